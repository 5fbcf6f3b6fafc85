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

/**
 * `gdap.roles.live` (default false): name roles, and take their privileged flag, from the partner
 * directory's role definitions (needs the consented `RoleManagement.Read.Directory` scope), so custom and
 * newer roles are named; the built-in catalog fills the gaps (docs/access.md "The live catalog").
 */
export function liveRolesEnabled(): boolean {
  return userValue('roles.live', false);
}
