import type * as vscode from 'vscode';
import type { AccessMatrix } from '../core/insight/accessMatrix';
import type { AccessRow } from '../core/insight/accessRows';
import type { SessionSource } from './auth/sessionSource';
import type { AuthState } from './constants';
import type { RenewalTestHooks } from './renewal/renewal';
import type { GdapTreeProvider } from './tree/gdapTreeProvider';
import type { GdapNode } from './tree/node';
import type { PromptLayer } from './ui/promptLayer';

/**
 * The environment variable the project's test harnesses (scripts/vscode/runSuite.mjs,
 * scripts/vscode/runElectron.mjs) set to `1` in the extension host. Without it `activate()` returns
 * undefined: the hooks below replace the confirmation dialogs and the session source, which no other
 * installed extension may reach through `vscode.extensions.getExtension(...).exports`.
 */
export const TEST_API_ENV = 'GDAP_EXPLORER_TEST_API';

/**
 * What `activate()` returns under the test harnesses only: a small, typed surface for the in-host test
 * suite and benchmark (and nothing a user needs). Tokens are never reachable through it.
 */
export interface GdapExplorerApi {
  /** Wall time of `activate()` in milliseconds. */
  readonly activationMs: number;
  /** True when GDAP_EMULATOR_URL/GDAP_EMULATOR_CA put the extension in emulator mode. */
  readonly emulator: boolean;
  readonly journalPath: string;
  /** The start-up cache file (under the extension's global storage folder). */
  readonly startupCachePath: string;
  readonly registeredCommands: readonly string[];
  /** The tree; `tree.loading` and `tree.onDidChangeLoading` tell when loads have settled. */
  readonly tree: GdapTreeProvider;
  readonly treeView: vscode.TreeView<GdapNode>;
  /** The "GDAP Emulator" provider in emulator mode (tests create sessions on it directly). */
  readonly emulatorAuthProvider: vscode.AuthenticationProvider | undefined;
  /** Replaces every prompt (modal, quick pick, input, notification); undefined restores VS Code's. */
  setPromptLayer(layer: PromptLayer | undefined): void;
  /** Replaces where sessions come from (VS Code refuses consent prompts in test mode); undefined restores. */
  setSessionSource(source: SessionSource | undefined): void;
  authState(): AuthState;
  /** Redacted lines written to the "GDAP Explorer" log channel. */
  logLines(): readonly string[];
  /** Everything the extension keeps in globalState (the token-hygiene test scans it). */
  storedState(): Record<string, unknown>;
  /** Replaces where mailto: and admin center links are opened (undefined restores VS Code's opener). */
  setExternalOpener(open: ((uri: string) => Promise<boolean>) | undefined): void;
  /** Runs the approval poller's check now (it otherwise runs on refreshes and on its backing-off timer). */
  pollApprovals(): Promise<void>;
  /**
   * Replaces the approval poller's first and longest wait (undefined restores once a minute backing off to 15
   * minutes); `approvalPolling()` tells what it watches and when it checks next (undefined: no timer set).
   */
  setApprovalPollTiming(timing: { readonly baseMs: number; readonly maxMs: number } | undefined): void;
  approvalPolling(): { readonly watching: number; readonly nextCheckInMs: number | undefined };
  /** Runs the start-up check for interrupted actions now (it otherwise runs once, after sign-in); the number found. */
  reconcileJournal(): Promise<number>;
  /** The expiry radar and the Renewal view (badge and status-bar figures, the daily notification). */
  readonly renewal: RenewalTestHooks;
  /** The language-model tools as registered: the tests call a tool's `prepareInvocation` and `invoke` directly. */
  readonly lmTools: {
    tool(name: string): vscode.LanguageModelTool<Record<string, unknown>> | undefined;
    registered(): readonly string[];
  };
  /**
   * The open Access Matrix: the rows it shows and a way to deliver a message as if the webview sent it
   * (validated like one); undefined when no matrix is open.
   */
  accessMatrix(): AccessMatrixTestHandle | undefined;
}

export interface AccessMatrixTestHandle {
  readonly rows: readonly AccessRow[];
  /** Every message the extension posted to an Access Matrix webview since activation, oldest first. */
  readonly allPosted: readonly unknown[];
  /** The webview's HTML. */
  readonly html: string;
  /** Delivers `message` as the webview would (parsed first; false when it was dropped). */
  receive(message: unknown): Promise<boolean>;
  /** The grid built from the rows (customers × roles). */
  readonly grid: AccessMatrix;
  /** The last message of `type` the panel posted to the webview (e.g. `members`), if any. */
  posted(type: string): unknown;
}

/** The names of the hooks above, for the test that checks none is exported outside the harnesses. */
export const TEST_API_KEYS: readonly (keyof GdapExplorerApi)[] = [
  'activationMs',
  'emulator',
  'journalPath',
  'startupCachePath',
  'registeredCommands',
  'tree',
  'treeView',
  'emulatorAuthProvider',
  'setPromptLayer',
  'setSessionSource',
  'authState',
  'logLines',
  'storedState',
  'reconcileJournal',
  'renewal',
  'setExternalOpener',
  'pollApprovals',
  'setApprovalPollTiming',
  'approvalPolling',
  'lmTools',
  'accessMatrix',
];
