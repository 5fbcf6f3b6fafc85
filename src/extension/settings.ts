import * as vscode from 'vscode';
import { SETTINGS } from './constants';

export type CloudSetting = 'global' | 'usgov' | 'usgovdod';
export type ConfirmationMode = 'button' | 'typeName';

export interface GdapSettings {
  readonly clientId: string;
  readonly tenantId: string;
  readonly cloud: CloudSetting;
  readonly useDeviceCode: boolean;
  readonly confirmation: ConfirmationMode;
  readonly readOnly: boolean;
  readonly expiryWarningDays: number;
  readonly cacheEnabled: boolean;
  /** Ask for GroupMember.Read.All and show security group names instead of ids. */
  readonly resolveGroupNames: boolean;
  /** The expiry radar's daily notification (docs/renewal.md); the badge and status bar stay either way. */
  readonly notifications: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9][a-z0-9.-]{0,252}\.[a-z]{2,63}|organizations|common)$/i;

/**
 * Reads a setting from user (global) settings or its default only. The settings are declared
 * `"scope": "application"`, so VS Code already ignores workspace values; reading `globalValue` through
 * `inspect` keeps a hostile `.vscode/settings.json` from steering sign-in even if that ever changed
 *.
 */
function userValue<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T, valid: (v: unknown) => v is T): T {
  const info = config.inspect<unknown>(key);
  const value = info?.globalValue ?? info?.defaultValue;
  return valid(value) ? value : fallback;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

export function readSettings(): GdapSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS.section);
  const clientId = userValue(c, SETTINGS.clientId, '', isString).trim();
  const tenantId = userValue(c, SETTINGS.tenantId, '', isString).trim();
  const days = userValue(
    c,
    SETTINGS.expiryWarningDays,
    30,
    (v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 730,
  );
  return {
    // Invalid values are treated as unset rather than sent to Entra (validated before any request).
    clientId: GUID.test(clientId) ? clientId : '',
    tenantId: tenantId !== '' && TENANT.test(tenantId) ? tenantId : '',
    cloud: userValue(c, SETTINGS.cloud, 'global', (v): v is CloudSetting => v === 'global' || v === 'usgov' || v === 'usgovdod'),
    useDeviceCode: userValue(c, SETTINGS.useDeviceCode, false, isBool),
    confirmation: userValue(c, SETTINGS.confirmation, 'button', (v): v is ConfirmationMode => v === 'button' || v === 'typeName'),
    readOnly: userValue(c, SETTINGS.readOnly, false, isBool),
    expiryWarningDays: days,
    cacheEnabled: userValue(c, SETTINGS.cacheEnabled, true, isBool),
    // Off by default: the extra scope needs admin consent, and asking for it without consent fails sign-in.
    resolveGroupNames: userValue(c, SETTINGS.resolveGroupNames, false, isBool),
    notifications: userValue(c, SETTINGS.notifications, true, isBool),
  };
}

/** True when a configuration change touches a setting that changes who we sign in as or where. */
export function affectsAuth(e: vscode.ConfigurationChangeEvent): boolean {
  // resolveGroupNames changes the scopes asked for, so it starts sign-in over too.
  return [SETTINGS.clientId, SETTINGS.tenantId, SETTINGS.cloud, SETTINGS.useDeviceCode, SETTINGS.readOnly, SETTINGS.resolveGroupNames].some(
    (k) => e.affectsConfiguration(`${SETTINGS.section}.${k}`),
  );
}
