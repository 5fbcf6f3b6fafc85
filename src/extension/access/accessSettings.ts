import * as vscode from 'vscode';

/*
 * The access settings (docs/access.md "In VS Code"). Application scope, read from user settings or the
 * default only, like the sign-in settings: a workspace cannot turn Partner Center calls on.
 */

function userValue(key: string, fallback: boolean): boolean {
  const info = vscode.workspace.getConfiguration('gdap').inspect<unknown>(key);
  const value = info?.globalValue ?? info?.defaultValue;
  return typeof value === 'boolean' ? value : fallback;
}

/** `gdap.partnerCenter.enabled` (default true): read Partner Center for customers without GDAP and DAP state. */
export function partnerCenterEnabled(): boolean {
  return userValue('partnerCenter.enabled', true);
}
