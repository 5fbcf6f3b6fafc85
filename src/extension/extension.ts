import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ActionContext } from '../core/actions/actionTypes';
import { createCoreClients, type CoreClients } from '../core/coreClients';
import { parseEmulatorUrl, resolveEndpoints, type ServiceEndpoints } from '../core/http/clouds';
import { createHttpTransport, type HttpTransport } from '../core/http/transport';
import type { GdapExplorerApi } from './api';
import { AuthService } from './auth/authService';
import { EmulatorAuthProvider } from './auth/emulatorAuthProvider';
import { VsCodeSessionSource, type SessionSource } from './auth/sessionSource';
import type { CommandDeps } from './commands/commandDeps';
import { registerCommands, REGISTERED_COMMAND_IDS } from './commands/registerCommands';
import { COMMANDS, AUTH, CONTEXT_KEYS, DETAILS_SCHEME, ENV, JOURNAL_FILE, VIEW_ID } from './constants';
import { JournalService } from './journal/journalService';
import { affectsAuth, readSettings, type GdapSettings } from './settings';
import { GdapTreeProvider } from './tree/gdapTreeProvider';
import { InventoryStore } from './tree/inventoryStore';
import type { GdapNode } from './tree/node';
import { DetailsProvider } from './ui/detailsProvider';
import { ErrorFunnel } from './ui/errorFunnel';
import { Log } from './ui/log';
import { PromptHolder, VsCodePromptLayer } from './ui/promptLayer';

interface EmulatorEnv {
  readonly url: string;
  readonly caPem: string | undefined;
}

/** GDAP_EMULATOR_URL (loopback only) + GDAP_EMULATOR_CA (a PEM file) of the extension host = emulator mode. */
function readEmulatorEnv(log: Log): EmulatorEnv | undefined {
  const url = process.env[ENV.emulatorUrl];
  if (url === undefined || url === '') {
    return undefined;
  }
  try {
    const origin = parseEmulatorUrl(url);
    const caFile = process.env[ENV.emulatorCa];
    const caPem = caFile !== undefined && caFile !== '' ? readFileSync(caFile, 'utf8') : undefined;
    return { url: origin, caPem };
  } catch (e) {
    log.error(`Ignoring ${ENV.emulatorUrl}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/**
 * Composition root: builds and wires; no network I/O here (sign-in and loading start when the view
 * asks for its first children).
 */
export function activate(context: vscode.ExtensionContext): GdapExplorerApi {
  const started = performance.now();
  const subs = context.subscriptions;

  const log = new Log();
  subs.push(log);
  const prompts = new PromptHolder(new VsCodePromptLayer());
  const realPrompts = prompts.current;
  const funnel = new ErrorFunnel(log, prompts);
  const emulator = readEmulatorEnv(log);

  let settings: GdapSettings = readSettings();
  let endpoints: ServiceEndpoints | undefined;
  let transport: HttpTransport | undefined;
  let clients: CoreClients | undefined;

  const getEndpoints = (): ServiceEndpoints =>
    (endpoints ??= resolveEndpoints({ cloud: settings.cloud, emulatorUrl: emulator?.url, emulatorCaPem: emulator?.caPem }));
  const getTransport = (): HttpTransport => (transport ??= createHttpTransport({ endpoints: getEndpoints() }));
  const resetConnections = (): void => {
    clients?.dispose();
    transport?.close();
    clients = undefined;
    transport = undefined;
    endpoints = undefined;
  };
  subs.push({ dispose: resetConnections });

  let emulatorProvider: EmulatorAuthProvider | undefined;
  if (emulator !== undefined) {
    emulatorProvider = new EmulatorAuthProvider(getEndpoints(), getTransport(), log);
    subs.push(
      emulatorProvider,
      vscode.authentication.registerAuthenticationProvider(AUTH.emulatorProvider, 'GDAP Emulator', emulatorProvider),
    );
  }
  const sessionSource = (): SessionSource =>
    new VsCodeSessionSource(
      emulator !== undefined ? AUTH.emulatorProvider : settings.cloud === 'global' ? AUTH.microsoftProvider : AUTH.sovereignProvider,
    );

  const auth = new AuthService({
    settings: () => settings,
    endpoints: getEndpoints,
    transport: getTransport,
    sessions: sessionSource,
    emulator: emulator !== undefined,
    secrets: context.secrets,
    log,
    prompts,
  });
  subs.push(auth);

  const getClients = (): CoreClients =>
    (clients ??= createCoreClients({ endpoints: getEndpoints(), tokens: auth, log: (e) => log.request(e) }));

  const store = new InventoryStore({
    graph: () => getClients().graph,
    state: context.globalState,
    cacheEnabled: () => settings.cacheEnabled,
    cacheKey: () => JSON.stringify([emulator?.url ?? settings.cloud, settings.clientId, settings.tenantId, auth.accountLabel ?? '']),
    source: () => (emulator !== undefined ? 'emulator' : 'graph'),
    log: (line) => log.info(line),
  });
  subs.push(store);
  const tree = new GdapTreeProvider(
    store,
    auth,
    () => settings,
    (e, doing) => funnel.reportLater(e, doing),
  );
  subs.push(tree);
  const treeView = vscode.window.createTreeView<GdapNode>(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  subs.push(treeView);

  if (emulator !== undefined) {
    // A view alone in its container has no header of its own, so its description is not shown: say
    // "emulator" in the title and the status bar too, wherever the emulator is used.
    treeView.title = vscode.l10n.t('Delegated Admin (emulator)');
    const indicator = vscode.window.createStatusBarItem('gdap.emulator', vscode.StatusBarAlignment.Left);
    indicator.name = vscode.l10n.t('GDAP Emulator');
    indicator.text = `$(beaker) ${vscode.l10n.t('GDAP emulator')}`;
    indicator.tooltip = vscode.l10n.t('GDAP Explorer is connected to the local emulator at {0}, not to Microsoft.', emulator.url);
    indicator.command = COMMANDS.showLog;
    indicator.show();
    subs.push(indicator);
  }

  const updateDescription = (): void => {
    const parts: string[] = [];
    if (emulator !== undefined) {
      parts.push(vscode.l10n.t('emulator'));
    }
    if (store.isFromCache && store.ageMs !== undefined) {
      const minutes = Math.round(store.ageMs / 60_000);
      parts.push(minutes < 1 ? vscode.l10n.t('cached just now') : vscode.l10n.t('cached {0} min ago', minutes));
    }
    if (tree.filter().text !== '' || tree.filter().status !== 'all') {
      parts.push(vscode.l10n.t('filtered'));
    }
    treeView.description = parts.length > 0 ? parts.join(' · ') : undefined;
  };
  updateDescription();
  subs.push(store.onDidChange(updateDescription), tree.onDidChangeTreeData(updateDescription));

  const details = new DetailsProvider();
  subs.push(details, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));

  const journalPath = vscode.Uri.joinPath(context.globalStorageUri, JOURNAL_FILE).fsPath;
  const journal = new JournalService(journalPath);
  subs.push({ dispose: () => void journal.close() });
  const reconcileJournal = (): Promise<number> =>
    journal.reconcile(
      async (): Promise<ActionContext> => {
        const c = getClients();
        return {
          graph: c.graph,
          partnerCenter: c.partnerCenter,
          journal: journal.journal,
          actor: await auth.getActor(),
          cloud: getEndpoints().cloud,
        };
      },
      log,
      prompts,
    );
  let reconciled = false;

  const setContext = (key: string, value: unknown): void => {
    void vscode.commands.executeCommand('setContext', key, value);
  };
  setContext(CONTEXT_KEYS.authState, auth.state);
  setContext(CONTEXT_KEYS.readOnly, settings.readOnly);
  setContext(CONTEXT_KEYS.emulator, emulator !== undefined);
  setContext(CONTEXT_KEYS.filterActive, false);
  subs.push(
    auth.onDidChangeState((state) => {
      setContext(CONTEXT_KEYS.authState, state);
      if (state === 'signedIn' && !reconciled) {
        reconciled = true;
        // After sign-in (it needs the network): settle any run interrupted last time.
        void reconcileJournal().catch((e: unknown) => funnel.logDetails(e, 'Reconciling the action journal'));
      }
    }),
    auth.onDidChangeSessions(() => void tree.refresh()),
  );

  const deps: CommandDeps = {
    tree,
    auth,
    clients: getClients,
    endpoints: getEndpoints,
    journal: () => journal.journal,
    journalPath,
    prompts,
    funnel,
    log,
    settings: () => settings,
    details,
    extensionPath: context.extensionPath,
    afterAuthChange: async () => {
      tree.clear();
      await tree.refresh();
    },
  };
  subs.push(...registerCommands(deps));

  subs.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('gdap')) {
        return;
      }
      settings = readSettings();
      setContext(CONTEXT_KEYS.readOnly, settings.readOnly);
      if (affectsAuth(e)) {
        resetConnections();
        tree.clear();
        void auth.reset().then(() => tree.refresh());
      } else {
        tree.repaint(undefined);
      }
    }),
  );

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms${emulator !== undefined ? ` (emulator ${emulator.url})` : ''}`);

  return {
    activationMs,
    emulator: emulator !== undefined,
    journalPath,
    registeredCommands: REGISTERED_COMMAND_IDS,
    tree,
    treeView,
    emulatorAuthProvider: emulatorProvider,
    setPromptLayer: (layer) => {
      prompts.current = layer ?? realPrompts;
    },
    setSessionSource: (source) => auth.setSessionSourceForTests(source),
    authState: () => auth.state,
    waitForIdle: () => tree.waitForIdle(),
    logLines: () => log.lines(),
    reconcileJournal,
    storedState: () => Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
