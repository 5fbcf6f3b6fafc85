import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ActionContext } from '../core/actions/actionTypes';
import type { CoreClients } from '../core/coreClients';
import { parseEmulatorUrl, resolveEndpoints, type ServiceEndpoints } from '../core/http/clouds';
import { createHttpTransport, type HttpTransport } from '../core/http/transport';
import { TEST_API_ENV, type AccessMatrixTestHandle, type GdapExplorerApi } from './api';
import { AuthService } from './auth/authService';
import { EmulatorAuthProvider } from './auth/emulatorAuthProvider';
import { VsCodeSessionSource, type SessionSource } from './auth/sessionSource';
import type { CommandDeps } from './commands/commandDeps';
import { registerAccess } from './access/accessCommands';
import { AccessMatrixPanel } from './access/accessMatrixPanel';
import { registerCommands, REGISTERED_COMMAND_IDS } from './commands/registerCommands';
import { registerTemplateServices } from './templates/templateServices';
import { COMMANDS, AUTH, CONTEXT_KEYS, DETAILS_SCHEME, ENV, JOURNAL_FILE, STORAGE_KEYS, VIEW_ID } from './constants';
import { JournalService } from './journal/journalService';
import { registerRenewal } from './renewal/renewal';
import { ApprovalPoller, DEFAULT_POLLER_TIMING, type PollerTiming } from './onboarding/approvalPoller';
import { MementoPlannedAssignmentStore } from './onboarding/plannedStore';
import { openWithVsCode, type OnboardingServices } from './onboarding/services';
import { GdapLmTools } from './lm/lmTools';
import { features } from './lazy/featureLoader';
import { affectsAuth, readSettings, type GdapSettings } from './settings';
import { GdapTreeProvider } from './tree/gdapTreeProvider';
import { InventoryStore } from './tree/inventoryStore';
import type { GdapNode } from './tree/node';
import { STARTUP_CACHE_FILE, StartupCache } from './tree/startupCache';
import { DetailsProvider } from './ui/detailsProvider';
import { displayLocale } from './tree/presentation';
import { ErrorFunnel } from './ui/errorFunnel';
import { formatMinutesAgo } from './ui/intlFormat';
import { Log } from './ui/log';
import { PromptHolder, VsCodePromptLayer, type PromptLayer } from './ui/promptLayer';

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

/** What the wiring functions share: built once in `activate()`, settings replaced when they change. */
interface Runtime {
  readonly context: vscode.ExtensionContext;
  readonly subs: vscode.Disposable[];
  readonly log: Log;
  readonly prompts: PromptHolder;
  readonly funnel: ErrorFunnel;
  readonly emulator: EmulatorEnv | undefined;
  settings: GdapSettings;
  /** Where sessions come from; only the test API replaces it (VS Code refuses consent prompts under tests). */
  sessionOverride: SessionSource | undefined;
  readonly endpoints: () => ServiceEndpoints;
  readonly transport: () => HttpTransport;
  /** Built on first use (they need the token service), dropped with the connections. */
  clients: CoreClients | undefined;
  /** Drops endpoints, transport and clients (sign-in settings changed); they are rebuilt on next use. */
  readonly resetConnections: () => void;
}

function createRuntime(context: vscode.ExtensionContext): Runtime {
  const log = new Log();
  context.subscriptions.push(log);
  const prompts = new PromptHolder(new VsCodePromptLayer());
  let endpoints: ServiceEndpoints | undefined;
  let transport: HttpTransport | undefined;
  const rt: Runtime = {
    context,
    subs: context.subscriptions,
    log,
    prompts,
    funnel: new ErrorFunnel(log, prompts),
    emulator: readEmulatorEnv(log),
    settings: readSettings(),
    sessionOverride: undefined,
    clients: undefined,
    endpoints: () =>
      (endpoints ??= resolveEndpoints({ cloud: rt.settings.cloud, emulatorUrl: rt.emulator?.url, emulatorCaPem: rt.emulator?.caPem })),
    transport: () => (transport ??= createHttpTransport({ endpoints: rt.endpoints() })),
    resetConnections: () => {
      rt.clients?.dispose();
      rt.clients = undefined;
      transport?.close();
      transport = undefined;
      endpoints = undefined;
    },
  };
  rt.subs.push({ dispose: () => rt.resetConnections() });
  return rt;
}

function registerEmulatorProvider(rt: Runtime): EmulatorAuthProvider | undefined {
  if (rt.emulator === undefined) {
    return undefined;
  }
  const provider = new EmulatorAuthProvider(rt.endpoints(), rt.transport(), rt.log);
  // supportsChallenges (VS Code 1.105+): claims challenges (Partner Center MFA) reach the provider.
  const options = { supportsChallenges: true } as vscode.AuthenticationProviderOptions;
  rt.subs.push(provider, vscode.authentication.registerAuthenticationProvider(AUTH.emulatorProvider, 'GDAP Emulator', provider, options));
  return provider;
}

function createAuth(rt: Runtime): AuthService {
  const providerId = (): string =>
    rt.emulator !== undefined ? AUTH.emulatorProvider : rt.settings.cloud === 'global' ? AUTH.microsoftProvider : AUTH.sovereignProvider;
  const auth = new AuthService({
    settings: () => rt.settings,
    endpoints: rt.endpoints,
    transport: rt.transport,
    sessions: () => rt.sessionOverride ?? new VsCodeSessionSource(providerId()),
    emulator: rt.emulator !== undefined,
    secrets: rt.context.secrets,
    log: rt.log,
    prompts: rt.prompts,
  });
  rt.subs.push(auth);
  return auth;
}

function clientsFactory(rt: Runtime, auth: AuthService): () => CoreClients {
  // Built on the first request (never for the first paint from the start-up cache): loaded with dist/features.js.
  return () => (rt.clients ??= features().createCoreClients({ endpoints: rt.endpoints(), tokens: auth, log: (e) => rt.log.request(e) }));
}

interface TreeParts {
  readonly tree: GdapTreeProvider;
  readonly treeView: vscode.TreeView<GdapNode>;
  readonly cache: StartupCache;
}

function createTree(rt: Runtime, auth: AuthService, clients: () => CoreClients): TreeParts {
  const cache = new StartupCache(vscode.Uri.joinPath(rt.context.globalStorageUri, STARTUP_CACHE_FILE).fsPath, (line) => rt.log.info(line));
  // Earlier versions kept the cache in globalState (read into memory at every start): drop that copy.
  if (rt.context.globalState.get(STORAGE_KEYS.inventoryCache) !== undefined) {
    void rt.context.globalState.update(STORAGE_KEYS.inventoryCache, undefined);
    rt.log.info('Removed the start-up cache of an earlier version from globalState; it now lives in a file.');
  }
  const store = new InventoryStore({
    graph: () => clients().graph,
    partnerCenter: () => clients().partnerCenter,
    cache,
    cacheEnabled: () => rt.settings.cacheEnabled,
    cacheKey: () =>
      JSON.stringify([rt.emulator?.url ?? rt.settings.cloud, rt.settings.clientId, rt.settings.tenantId, auth.accountLabel ?? '']),
    source: () => (rt.emulator !== undefined ? 'emulator' : 'graph'),
    log: (line) => rt.log.info(line),
  });
  const tree = new GdapTreeProvider(
    store,
    auth,
    () => rt.settings,
    (e, doing) => rt.funnel.reportLater(e, doing),
  );
  const treeView = vscode.window.createTreeView<GdapNode>(VIEW_ID, { treeDataProvider: tree, canSelectMany: true, showCollapseAll: true });
  rt.subs.push(store, tree, treeView);
  if (rt.emulator !== undefined) {
    showEmulatorIndicator(rt, treeView, rt.emulator.url);
  }
  const updateDescription = (): void => {
    const parts: string[] = [];
    if (rt.emulator !== undefined) {
      parts.push(vscode.l10n.t('emulator'));
    }
    if (store.isFromCache && store.ageMs !== undefined) {
      const minutes = Math.round(store.ageMs / 60_000);
      // {0} is a relative time in the display language ("5 minutes ago", "vor 5 Minuten").
      parts.push(minutes < 1 ? vscode.l10n.t('cached just now') : vscode.l10n.t('cached {0}', formatMinutesAgo(minutes, displayLocale())));
    }
    if (tree.filter().text !== '' || tree.filter().status !== 'all') {
      parts.push(vscode.l10n.t('filtered'));
    }
    treeView.description = parts.length > 0 ? parts.join(' · ') : undefined;
  };
  updateDescription();
  rt.subs.push(store.onDidChange(updateDescription), tree.onDidChangeTreeData(updateDescription));
  return { tree, treeView, cache };
}

function showEmulatorIndicator(rt: Runtime, treeView: vscode.TreeView<GdapNode>, url: string): void {
  // A view alone in its container has no header of its own, so its description is not shown: say
  // "emulator" in the title and the status bar too, wherever the emulator is used.
  treeView.title = vscode.l10n.t('Delegated Admin (emulator)');
  const indicator = vscode.window.createStatusBarItem('gdap.emulator', vscode.StatusBarAlignment.Left);
  indicator.name = vscode.l10n.t('GDAP Emulator');
  indicator.text = `$(beaker) ${vscode.l10n.t('GDAP emulator')}`;
  indicator.tooltip = vscode.l10n.t('GDAP Explorer is connected to the local emulator at {0}, not to Microsoft.', url);
  indicator.command = COMMANDS.showLog;
  indicator.show();
  rt.subs.push(indicator);
}

interface JournalParts {
  readonly journal: JournalService;
  readonly journalPath: string;
  readonly reconcile: () => Promise<number>;
}

function createJournal(rt: Runtime, auth: AuthService, clients: () => CoreClients): JournalParts {
  const journalPath = vscode.Uri.joinPath(rt.context.globalStorageUri, JOURNAL_FILE).fsPath;
  const journal = new JournalService(journalPath);
  rt.subs.push({ dispose: () => void journal.close() });
  const reconcile = (): Promise<number> =>
    journal.reconcile(
      async (): Promise<ActionContext> => {
        const c = clients();
        return {
          graph: c.graph,
          partnerCenter: c.partnerCenter,
          journal: journal.journal,
          actor: await auth.getActor(),
          cloud: rt.endpoints().cloud,
        };
      },
      rt.log,
      rt.prompts,
    );
  return { journal, journalPath, reconcile };
}

function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

/** Context keys for `when` clauses, the journal check after the first sign-in, and reloads on session changes. */
function wireAuthState(rt: Runtime, auth: AuthService, tree: GdapTreeProvider, journal: JournalParts): void {
  setContext(CONTEXT_KEYS.authState, auth.state);
  setContext(CONTEXT_KEYS.readOnly, rt.settings.readOnly);
  setContext(CONTEXT_KEYS.emulator, rt.emulator !== undefined);
  setContext(CONTEXT_KEYS.filterActive, false);
  let reconciled = false;
  rt.subs.push(
    auth.onDidChangeState((state) => {
      setContext(CONTEXT_KEYS.authState, state);
      if (state === 'signedIn' && !reconciled) {
        reconciled = true;
        // After sign-in (it needs the network): settle any run interrupted last time.
        void journal.reconcile().catch((e: unknown) => rt.funnel.logDetails(e, 'Reconciling the action journal'));
      }
    }),
    auth.onDidChangeSessions(() => void tree.refresh()),
  );
}

function wireConfiguration(rt: Runtime, auth: AuthService, tree: GdapTreeProvider): void {
  rt.subs.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('gdap')) {
        return;
      }
      rt.settings = readSettings();
      setContext(CONTEXT_KEYS.readOnly, rt.settings.readOnly);
      if (affectsAuth(e)) {
        rt.resetConnections();
        tree.clear();
        void auth.reset().then(() => tree.refresh());
      } else {
        tree.repaint(undefined);
      }
    }),
  );
}

interface OnboardingParts {
  readonly services: OnboardingServices;
  /** Starts the approval poller once the commands' dependencies exist. */
  start(deps: CommandDeps): void;
  /** Under the test harnesses: where mailto: and admin center links go instead of VS Code's opener. */
  setOpener(open: ((uri: string) => Promise<boolean>) | undefined): void;
  /** Under the test harnesses: the approval poller's timing, and what it is doing. */
  setPollTiming(timing: PollerTiming | undefined): void;
  polling(): { readonly watching: number; readonly nextCheckInMs: number | undefined };
}

function createOnboarding(rt: Runtime, auth: AuthService): OnboardingParts {
  let poller: ApprovalPoller | undefined;
  let opener: (uri: string) => Promise<boolean> = openWithVsCode;
  const services: OnboardingServices = {
    planned: new MementoPlannedAssignmentStore(rt.context.globalState),
    adminLinks: new Map(),
    openExternal: (uri) => opener(uri),
    pollApprovals: () => poller?.check() ?? Promise.resolve(),
  };
  rt.subs.push(
    auth.onDidChangeState((state) => {
      if (state !== 'signedIn') {
        services.adminLinks.clear();
      }
    }),
  );
  return {
    services,
    start: (deps) => {
      poller = new ApprovalPoller(deps, () => auth.state === 'signedIn');
      rt.subs.push(poller);
    },
    setOpener: (open) => {
      opener = open ?? openWithVsCode;
    },
    setPollTiming: (timing) => poller?.retime(timing ?? DEFAULT_POLLER_TIMING),
    polling: () => ({ watching: poller?.watching.length ?? 0, nextCheckInMs: poller?.nextCheckInMs }),
  };
}

/** The open Access Matrix as the in-host tests see it (undefined when none is open). */
function accessMatrixHook(): AccessMatrixTestHandle | undefined {
  const open = AccessMatrixPanel.open;
  return open === undefined
    ? undefined
    : {
        rows: open.allRows,
        grid: open.grid,
        allPosted: AccessMatrixPanel.postedForTests ?? [],
        html: open.webviewHtml,
        receive: (message: unknown) => open.receive(message),
        posted: (type: string) => open.posted(type),
      };
}

/** True when the extension host runs under one of the project's test harnesses (they set the variable). */
function testApiEnabled(): boolean {
  return process.env[TEST_API_ENV] === '1';
}

/** The commands and the features built on them: templates, access, onboarding, chat tools, renewal. */
function registerFeatures(
  rt: Runtime,
  deps: CommandDeps,
  context: vscode.ExtensionContext,
  auth: AuthService,
  onboarding: ReturnType<typeof createOnboarding>,
  treeView: vscode.TreeView<GdapNode>,
): { lmTools: GdapLmTools; renewal: ReturnType<typeof registerRenewal> } {
  rt.subs.push(...registerCommands(deps), ...registerTemplateServices(deps), ...registerAccess());
  onboarding.start(deps);
  // gdap_plan_template reads templates from the workspace's own folders only; the planner is loaded on first use.
  const roots = (): string[] => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const lmTools = new GdapLmTools(deps, {
    templates: {
      plan: (name, inventory, signal) => features().folderTemplatePlanner(roots).plan(name, inventory, signal),
    },
  });
  rt.subs.push(lmTools);
  const renewal = registerRenewal(deps, context, treeView, auth);
  rt.subs.push(...renewal.disposables);

  return { lmTools, renewal };
}

/**
 * Composition root: builds and wires; no network I/O here (sign-in and loading start when the view
 * asks for its first children). Returns the test API only under the test harnesses: any other
 * extension could otherwise replace the confirmation dialogs through `exports`.
 */
export function activate(context: vscode.ExtensionContext): GdapExplorerApi | undefined {
  const started = performance.now();
  const rt = createRuntime(context);
  const emulatorProvider = registerEmulatorProvider(rt);
  const auth = createAuth(rt);
  const clients = clientsFactory(rt, auth);
  const { tree, treeView, cache } = createTree(rt, auth, clients);
  const details = new DetailsProvider();
  rt.subs.push(details, vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details));
  const journal = createJournal(rt, auth, clients);
  wireAuthState(rt, auth, tree, journal);
  const onboarding = createOnboarding(rt, auth);

  const deps: CommandDeps = {
    tree,
    auth,
    clients,
    endpoints: rt.endpoints,
    journal: () => journal.journal.journal,
    journalPath: journal.journalPath,
    prompts: rt.prompts,
    funnel: rt.funnel,
    log: rt.log,
    settings: () => rt.settings,
    details,
    extensionPath: context.extensionPath,
    onboarding: onboarding.services,
    treeView,
    afterAuthChange: async () => {
      tree.clear();
      await tree.refresh();
    },
  };
  const { lmTools, renewal } = registerFeatures(rt, deps, context, auth, onboarding, treeView);
  wireConfiguration(rt, auth, tree);

  const activationMs = performance.now() - started;
  rt.log.info(`Activated in ${activationMs.toFixed(1)} ms${rt.emulator !== undefined ? ` (emulator ${rt.emulator.url})` : ''}`);
  if (!testApiEnabled()) {
    return undefined;
  }
  const realPrompts = rt.prompts.current;
  // Under the test harnesses the matrix keeps what it posts to its webview, for the token-hygiene scan.
  AccessMatrixPanel.postedForTests = [];
  return {
    activationMs,
    emulator: rt.emulator !== undefined,
    journalPath: journal.journalPath,
    startupCachePath: cache.path,
    registeredCommands: REGISTERED_COMMAND_IDS,
    tree,
    treeView,
    emulatorAuthProvider: emulatorProvider,
    setPromptLayer: (layer: PromptLayer | undefined) => {
      rt.prompts.current = layer ?? realPrompts;
    },
    setSessionSource: (source) => {
      rt.sessionOverride = source;
      auth.sessionSourceChanged();
    },
    authState: () => auth.state,
    logLines: () => rt.log.lines(),
    reconcileJournal: journal.reconcile,
    setExternalOpener: (open) => onboarding.setOpener(open),
    pollApprovals: () => onboarding.services.pollApprovals(),
    setApprovalPollTiming: (timing) => onboarding.setPollTiming(timing),
    approvalPolling: () => onboarding.polling(),
    lmTools,
    accessMatrix: accessMatrixHook,
    storedState: () => Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
    renewal: renewal.hooks,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
