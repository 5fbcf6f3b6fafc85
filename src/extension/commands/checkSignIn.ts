import * as vscode from 'vscode';
import {
  diagnoseSignIn,
  formatSignInReport,
  type Finding,
  type ObservedError,
  type SignInFacts,
  type SignInMethod,
  tokenFacts,
} from '../../core/auth/signInDiagnosis';
import type { CloudName } from '../../core/http/clouds';
import { isGdapError } from '../../core/http/gdapError';
import { redact } from '../../core/http/redact';
import { SETTINGS } from '../constants';
import type { CommandDeps } from './commandDeps';
import { l10nTranslate } from './mutationProgress';

/**
 * Redirect URIs the app registration needs (platform "Mobile and desktop applications"): VS Code's
 * Microsoft sign-in, and the loopback one for msal-node (the CLI's browser sign-in). See the README,
 * "App registration".
 */
export const REDIRECT_URIS = ['https://vscode.dev/redirect', 'http://localhost'] as const;

/** The Entra admin center's App registrations list, per cloud (US Government has its own portal). */
const APP_REGISTRATIONS_URL: Record<Exclude<CloudName, 'china'>, string> = {
  global: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
  usgov: 'https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
  usgovdod: 'https://entra.microsoft.us/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
};

function observed(e: unknown): ObservedError {
  if (isGdapError(e)) {
    return { message: redact(e.message), code: e.code, status: e.status };
  }
  return { message: redact(e instanceof Error ? e.message : String(e)) };
}

/** A setting exactly as the user wrote it in user settings (the rules judge it, so no normalising here). */
function rawUserSetting(key: string): string | undefined {
  const value = vscode.workspace.getConfiguration(SETTINGS.section).inspect<unknown>(key)?.globalValue;
  return typeof value === 'string' ? value : undefined;
}

/** Observes sign-in without any prompt; tokens are read for their claims only and dropped at once. */
async function gatherFacts(deps: CommandDeps, signInError: ObservedError | undefined): Promise<SignInFacts> {
  const settings = deps.settings();
  const method: SignInMethod = deps.endpoints().emulator !== undefined ? 'emulator' : settings.useDeviceCode ? 'deviceCode' : 'vscode';
  const base = {
    clientId: rawUserSetting(SETTINGS.clientId),
    tenantId: rawUserSetting(SETTINGS.tenantId),
    method,
    readOnly: settings.readOnly,
  };
  if (deps.auth.state !== 'signedIn') {
    return { ...base, signedIn: false, graphError: signInError };
  }
  let graphToken;
  try {
    graphToken = tokenFacts(await deps.auth.getToken('graph'));
  } catch (e) {
    return { ...base, signedIn: false, graphError: observed(e) };
  }
  let partnerCenterToken;
  let partnerCenterError: ObservedError | undefined;
  try {
    partnerCenterToken = tokenFacts(await deps.auth.getToken('partnerCenter'));
  } catch (e) {
    partnerCenterError = observed(e);
  }
  let customerCount: number | undefined;
  let listError: ObservedError | undefined;
  try {
    customerCount = (await deps.clients().graph.listCustomers()).length;
  } catch (e) {
    listError = observed(e);
  }
  return {
    ...base,
    signedIn: true,
    graphToken,
    partnerCenterToken,
    partnerCenterError,
    partnerCenterMfaChallenge: deps.auth.hasPendingClaimsChallenge('partnerCenter'),
    customerCount,
    listError,
  };
}

/**
 * GDAP: Check Sign-In — one report of what stands between the user and the tree (app registration,
 * consent, public client flows, Admin Agents, Partner Center MFA), each with its fix. Silent unless the
 * user is signed out and agrees to sign in, since most failures only show during a sign-in.
 */
export async function checkSignInCommand(deps: CommandDeps): Promise<Finding[]> {
  let signInError: ObservedError | undefined;
  const configOk = diagnoseSignIn({
    clientId: rawUserSetting(SETTINGS.clientId),
    tenantId: rawUserSetting(SETTINGS.tenantId),
    method: deps.endpoints().emulator !== undefined ? 'emulator' : 'vscode',
    signedIn: true,
  }).every((f) => f.severity !== 'error');
  if (deps.auth.state !== 'signedIn' && configOk) {
    const signIn = vscode.l10n.t('Sign In and Check');
    const answer = await deps.prompts.current.notify(
      'info',
      vscode.l10n.t('You are not signed in. Most sign-in problems only show while signing in.'),
      signIn,
    );
    if (answer === signIn) {
      try {
        await deps.auth.signIn();
        await deps.afterAuthChange();
      } catch (e) {
        signInError = observed(e);
      }
    }
  }
  const findings = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking sign-in…') },
    async () => diagnoseSignIn(await gatherFacts(deps, signInError)),
  );
  for (const f of findings) {
    deps.log.info(`Check sign-in: [${f.severity}] ${f.title}`);
  }
  const report = formatSignInReport(findings, {
    heading: vscode.l10n.t('GDAP Explorer: sign-in check'),
    fix: vscode.l10n.t('Fix:'),
    translate: (m) => l10nTranslate(m.template, ...m.args),
  });
  await deps.details.showText(vscode.l10n.t('Sign-in check'), report, 'markdown');
  return findings;
}

/**
 * GDAP: Open App Registrations — the first step of the setup: opens the Entra admin center's App
 * registrations and copies the redirect URIs the new app needs.
 */
export async function openAppRegistrationsCommand(deps: CommandDeps): Promise<void> {
  await vscode.env.clipboard.writeText(REDIRECT_URIS.join('\n'));
  const cloud = deps.endpoints().cloud;
  const url = APP_REGISTRATIONS_URL[cloud === 'china' ? 'global' : cloud];
  await vscode.env.openExternal(vscode.Uri.parse(url, true));
  void deps.prompts.current.notify(
    'info',
    vscode.l10n.t(
      'Redirect URIs copied: {0}. Add them under Authentication → "Mobile and desktop applications" of your new app registration.',
      REDIRECT_URIS.join(', '),
    ),
  );
}
