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
  const ext = getExtension<T>();
  return ext.isActive ? ext.exports : await ext.activate();
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
