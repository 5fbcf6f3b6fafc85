// Small helpers for in-host tests: the extension under test, its activation, waiting on conditions.
import * as vscode from 'vscode';
import { pollUntil } from './poll';

export const EXTENSION_ID = 'gdap-explorer.gdap-explorer';

export function getExtension<T = unknown>(): vscode.Extension<T> {
  const ext = vscode.extensions.getExtension<T>(EXTENSION_ID);
  if (!ext) {
    throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  }
  return ext;
}

/**
 * Activates the extension and returns what activate() returned. Tests reach the extension's
 * internals only through this export (e.g. a test hook that injects the prompt layer): the suite
 * bundle has its own copy of any src module it imports, so module state is not shared with the
 * running extension.
 */
export async function activateExtension<T = unknown>(): Promise<T> {
  const ext = getExtension<T | undefined>();
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (exports === undefined) {
    throw new Error('the extension returned no test API: the harness must set GDAP_EXPLORER_TEST_API=1 in the extension host');
  }
  return exports;
}

/** What the tree's idle signal needs (GdapTreeProvider's `loading` and `onDidChangeLoading`). */
export interface LoadingSignal {
  readonly loading: boolean;
  readonly onDidChangeLoading: vscode.Event<boolean>;
}

/**
 * Resolves when the tree has no load in flight and no session-change reload pending: at once when it
 * is idle, else on its `onDidChangeLoading(false)` event. Rejects after `timeoutMs` (a guard, not a wait).
 */
export function treeIdle(tree: LoadingSignal, timeoutMs = 30_000): Promise<void> {
  if (!tree.loading) {
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the tree was still loading after ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = tree.onDidChangeLoading((loading) => {
      if (!loading) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}

/**
 * Resolves once the tree has not started a load for `quietMs` after its last one ended. A settings change
 * that touches sign-in reloads the tree only after the sign-in starts over (up to a second later), and the
 * session change that follows reloads it again: a suite that changes such a setting waits for this, so
 * those reloads do not land inside the next suite's tests.
 */
export async function treeQuiet(tree: LoadingSignal, quietMs = 2_000, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await treeIdle(tree, Math.max(1, deadline - Date.now()));
    const startedAgain = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        sub.dispose();
        resolve(false);
      }, quietMs);
      const sub = tree.onDidChangeLoading((loading) => {
        if (loading) {
          clearTimeout(timer);
          sub.dispose();
          resolve(true);
        }
      });
    });
    if (!startedAgain) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`the tree kept starting loads for ${timeoutMs} ms`);
    }
  }
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  return pollUntil(probe, what, timeoutMs, intervalMs);
}

/** All command ids registered in this window that start with `prefix`. */
export async function registeredCommands(prefix = 'gdap.'): Promise<string[]> {
  return (await vscode.commands.getCommands(true)).filter((c) => c.startsWith(prefix)).sort();
}

/** Reads `contributes` of the extension's own package.json as loaded by VS Code. */
export function manifestContributes(): Record<string, unknown> {
  const pkg = getExtension().packageJSON as { contributes?: Record<string, unknown> };
  return pkg.contributes ?? {};
}
