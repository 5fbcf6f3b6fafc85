import type * as vscode from 'vscode';
import type { SessionSource } from './auth/sessionSource';
import type { AuthState } from './constants';
import type { GdapTreeProvider } from './tree/gdapTreeProvider';
import type { GdapNode } from './tree/node';
import type { PromptLayer } from './ui/promptLayer';

/**
 * What `activate()` returns: a small, typed surface for the in-host test suite (and nothing a user
 * needs). Tokens are never reachable through it.
 */
export interface GdapExplorerApi {
  /** Wall time of `activate()` in milliseconds. */
  readonly activationMs: number;
  /** True when GDAP_EMULATOR_URL/GDAP_EMULATOR_CA put the extension in emulator mode. */
  readonly emulator: boolean;
  readonly journalPath: string;
  readonly registeredCommands: readonly string[];
  readonly tree: GdapTreeProvider;
  readonly treeView: vscode.TreeView<GdapNode>;
  /** The "GDAP Emulator" provider in emulator mode (tests create sessions on it directly). */
  readonly emulatorAuthProvider: vscode.AuthenticationProvider | undefined;
  /** Replaces every prompt (modal, quick pick, input, notification); undefined restores VS Code's. */
  setPromptLayer(layer: PromptLayer | undefined): void;
  /** Replaces where sessions come from (VS Code refuses consent prompts in test mode); undefined restores. */
  setSessionSource(source: SessionSource | undefined): void;
  authState(): AuthState;
  /** Resolves when the tree has no load in flight. */
  waitForIdle(): Promise<void>;
  /** Redacted lines written to the "GDAP Explorer" log channel. */
  logLines(): readonly string[];
  /** Everything the extension keeps in globalState (the token-hygiene test scans it). */
  storedState(): Record<string, unknown>;
  /** Runs the start-up check for interrupted actions now (it otherwise runs once, after sign-in); the number found. */
  reconcileJournal(): Promise<number>;
}
