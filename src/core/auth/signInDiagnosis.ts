/**
 * "Check Sign-In": pure rules that turn what was observed while signing in (settings, errors, token
 * claims, whether the lists came back empty) into findings, each with the fix. No I/O here: the
 * extension gathers the facts, these rules decide, so every rule is unit-tested.
 */

import { english, msg, type Message } from '../messages';

export type SignInMethod = 'vscode' | 'deviceCode' | 'browser' | 'emulator';

/** The non-secret parts of an access token the rules look at. Never the token itself. */
export interface TokenFacts {
  /** Delegated permissions (`scp`, space-separated in the token). */
  readonly scopes: readonly string[];
  /** Authentication methods (`amr`), e.g. `pwd`, `mfa`. Undefined when the token carries none. */
  readonly amr?: readonly string[];
  /** Token audience. */
  readonly audience?: string;
}

/** A failure while getting a token or calling a service: message, and the codes it carried. */
export interface ObservedError {
  readonly message: string;
  /** msal / OAuth error code (e.g. `invalid_grant`, `consent_required`) or service error code. */
  readonly code?: string;
  readonly status?: number;
}

export interface SignInFacts {
  /** `gdap.auth.clientId` as the user wrote it (not normalised). */
  readonly clientId: string | undefined;
  /** `gdap.auth.tenantId` as the user wrote it. */
  readonly tenantId: string | undefined;
  readonly method: SignInMethod;
  /** Signed in (a Graph token could be had silently). */
  readonly signedIn: boolean;
  readonly readOnly?: boolean;
  /** Why the Graph token (or sign-in) failed, if it did. */
  readonly graphError?: ObservedError;
  readonly graphToken?: TokenFacts;
  /** Why the Partner Center token failed, if it did. */
  readonly partnerCenterError?: ObservedError;
  readonly partnerCenterToken?: TokenFacts;
  /** Partner Center refused a call of this session with a claims challenge asking for MFA (docs/api-notes.md §15.6), not yet answered. */
  readonly partnerCenterMfaChallenge?: boolean;
  /** GDAP customers the signed-in user can see (undefined: not checked or the call failed). */
  readonly customerCount?: number;
  /** Why listing GDAP customers failed, if it did. */
  readonly listError?: ObservedError;
}

export type FindingSeverity = 'ok' | 'info' | 'warning' | 'error';

export type FindingId =
  | 'clientIdMissing'
  | 'clientIdNotGuid'
  | 'tenantInvalid'
  | 'tenantNotSet'
  | 'notSignedIn'
  | 'consentMissing'
  | 'appNotFound'
  | 'redirectUriMismatch'
  | 'publicClientFlowsOff'
  | 'conditionalAccess'
  | 'mfaRequired'
  | 'userNotInTenant'
  | 'signInFailed'
  | 'graphScopeMissing'
  | 'partnerCenterFailed'
  | 'partnerCenterMfaMissing'
  | 'notAdminAgent'
  | 'listFailed'
  | 'allGood';

/** Report text as codes with parameters (src/core/messages.ts); a plain string is text from elsewhere (an error), shown as it is. */
export type ReportText = Message | string;

export interface Finding {
  readonly id: FindingId;
  readonly severity: FindingSeverity;
  readonly title: string;
  readonly detail: string;
  /** What to do; absent for `ok` findings. */
  readonly fix?: string;
  /** `title`, `detail` and `fix` as codes (one per sentence), for a face that shows them in the user's language. */
  readonly codes: {
    readonly title: Message;
    readonly detail: readonly ReportText[];
    readonly fix?: readonly ReportText[];
  };
}

/** Joins the sentences of a report text in English (or through `translate`). */
export function reportText(parts: readonly ReportText[], translate: (m: Message) => string = english): string {
  return parts.map((p) => (typeof p === 'string' ? p : translate(p))).join(' ');
}

function finding(
  id: FindingId,
  severity: FindingSeverity,
  title: Message,
  detail: readonly ReportText[],
  fix?: readonly ReportText[],
): Finding {
  return {
    id,
    severity,
    title: english(title),
    detail: reportText(detail),
    ...(fix !== undefined ? { fix: reportText(fix) } : {}),
    codes: { title, detail, ...(fix !== undefined ? { fix } : {}) },
  };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|organizations|common|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)$/i;

const API_PERMISSIONS_FIX = msg(
  'In the Entra admin center open App registrations → your app → API permissions, add Microsoft Graph → DelegatedAdminRelationship.ReadWrite.All (delegated) and Microsoft Partner Center → user_impersonation, then select "Grant admin consent" for the partner tenant and sign in again.',
);

/** AADSTS error numbers mentioned in a text (`AADSTS65001: …`), in order of appearance. */
export function aadstsCodes(text: string): number[] {
  return [...text.matchAll(/AADSTS(\d{5,7})/g)].map((m) => Number(m[1]));
}

/** The `amr`, `scp` and `aud` claims of a JWT access token; undefined when it is not a JWT. */
export function tokenFacts(token: string): TokenFacts | undefined {
  const part = token.split('.')[1];
  if (part === undefined) {
    return undefined;
  }
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof claims !== 'object' || claims === null) {
      return undefined;
    }
    const scp = typeof claims.scp === 'string' ? claims.scp.split(' ').filter((s) => s !== '') : [];
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((a): a is string => typeof a === 'string') : undefined;
    return { scopes: scp, amr, audience: typeof claims.aud === 'string' ? claims.aud : undefined };
  } catch {
    return undefined;
  }
}

interface ErrorRule {
  readonly id: FindingId;
  readonly codes: readonly number[];
  /** OAuth / msal error codes that mean the same thing when no AADSTS number is given. */
  readonly names?: readonly string[];
  readonly pattern?: RegExp;
  readonly title: Message;
  readonly detail: Message;
  readonly fix: (facts: SignInFacts) => readonly Message[];
}

/**
 * The usual Entra refusals, by AADSTS number (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 * First match wins; order puts the more specific causes first.
 */
const ERROR_RULES: readonly ErrorRule[] = [
  {
    id: 'publicClientFlowsOff',
    codes: [7000218],
    title: msg('Public client flows are off for the app'),
    detail: msg('Entra refused the device code sign-in because the app registration does not allow public client flows.'),
    fix: () => [
      msg(
        'In App registrations → your app → Authentication, set "Allow public client flows" to Yes. Or turn off gdap.auth.useDeviceCode (device code is blocked by Conditional Access in many tenants anyway).',
      ),
    ],
  },
  {
    id: 'consentMissing',
    codes: [65001, 65004, 650057, 90094, 90008, 90099],
    names: ['consent_required'],
    pattern: /consent/i,
    title: msg('The app is not consented for a scope it asks for'),
    detail: msg('Entra refused a scope: the app registration does not list it, or nobody granted consent for the partner tenant.'),
    fix: (facts) => [
      API_PERMISSIONS_FIX,
      ...(facts.readOnly === true ? [msg('(gdap.readOnly is on: DelegatedAdminRelationship.Read.All is enough.)')] : []),
      msg('If gdap.resolveGroupNames is on, GroupMember.Read.All needs admin consent too, or turn that setting off.'),
    ],
  },
  {
    id: 'appNotFound',
    codes: [700016],
    title: msg('No app with this client id in the tenant'),
    detail: msg('Entra does not know the application (client) id in this tenant.'),
    fix: () => [
      msg(
        'Copy the "Application (client) ID" from the Overview page of your app registration into gdap.auth.clientId, and check that gdap.auth.tenantId is the tenant the app was registered in (or that the app is multi-tenant).',
      ),
    ],
  },
  {
    id: 'redirectUriMismatch',
    codes: [50011, 500113],
    title: msg('Redirect URI not registered'),
    detail: msg('The redirect URI of the sign-in is not one of the app registration.'),
    fix: () => [
      msg(
        'In App registrations → your app → Authentication, add the platform "Mobile and desktop applications" with the redirect URIs https://vscode.dev/redirect and http://localhost ("GDAP: Open App Registrations" copies them).',
      ),
    ],
  },
  {
    id: 'mfaRequired',
    codes: [50076, 50079, 50074, 50072],
    names: ['interaction_required'],
    title: msg('Multi-factor authentication required'),
    detail: msg('The tenant requires MFA for this sign-in and it was not completed.'),
    fix: () => [msg('Sign in again interactively and complete the MFA prompt (register an authentication method first if asked).')],
  },
  {
    id: 'conditionalAccess',
    codes: [53003, 53000, 53001, 530003],
    pattern: /conditional access/i,
    title: msg('Blocked by Conditional Access'),
    detail: msg('A Conditional Access policy of the tenant blocked this sign-in (device code and unmanaged devices are often blocked).'),
    fix: (facts) => [
      facts.method === 'deviceCode'
        ? msg(
            "Turn off gdap.auth.useDeviceCode to sign in through VS Code's Microsoft account (or use the browser sign-in of the CLI instead of --device-code); otherwise ask your Entra admin which policy applied (sign-in logs show it).",
          )
        : msg(
            'Ask your Entra admin which policy applied (Entra sign-in logs, "Conditional Access" tab) and sign in from a device and place it allows.',
          ),
    ],
  },
  {
    id: 'userNotInTenant',
    codes: [50020, 90072, 50034, 50177],
    title: msg('The account is not in the partner tenant'),
    detail: msg('The signed-in account does not exist in the tenant set in gdap.auth.tenantId.'),
    fix: () => [msg('Sign in with a user of your partner tenant (not a guest or a personal account), or correct gdap.auth.tenantId.')],
  },
];

function matchError(error: ObservedError): ErrorRule | undefined {
  const codes = aadstsCodes(`${error.message} ${error.code ?? ''}`);
  for (const rule of ERROR_RULES) {
    if (codes.some((c) => rule.codes.includes(c))) {
      return rule;
    }
  }
  if (codes.length > 0) {
    return undefined;
  }
  for (const rule of ERROR_RULES) {
    if ((error.code !== undefined && rule.names?.includes(error.code) === true) || rule.pattern?.test(error.message) === true) {
      return rule;
    }
  }
  return undefined;
}

/** The finding for an observed error: the rule it matches, else `fallback` with the error's own message. */
function fromError(
  error: ObservedError,
  facts: SignInFacts,
  fallback: { id: FindingId; severity: FindingSeverity; title: Message; fix: Message },
): Finding {
  const rule = matchError(error);
  if (rule === undefined) {
    return finding(fallback.id, fallback.severity, fallback.title, [error.message], [fallback.fix]);
  }
  return finding(rule.id, 'error', rule.title, [rule.detail, msg('({0})', error.message)], rule.fix(facts));
}

const MFA_TEXT = /\bmfa\b|multi-?factor/i;

/** Problems with the app registration settings (not for the emulator, which needs none). */
// Long because: one finding per setting problem, each with its literal texts for translation.
function configurationFindings(facts: SignInFacts): Finding[] {
  const findings: Finding[] = [];
  if (facts.method === 'emulator') {
    return findings;
  }
  const clientId = (facts.clientId ?? '').trim();
  const tenantId = (facts.tenantId ?? '').trim();
  if (clientId === '') {
    findings.push(
      finding(
        'clientIdMissing',
        'error',
        msg('No app registration configured'),
        [msg('gdap.auth.clientId is empty: GDAP Explorer signs in with your own Entra app registration, never a shared one.')],
        [
          msg(
            'Register an app in the Entra admin center (App registrations → New registration; "GDAP: Open App Registrations" opens it and copies the redirect URIs), then set gdap.auth.clientId to its Application (client) ID.',
          ),
        ],
      ),
    );
  } else if (!GUID.test(clientId)) {
    findings.push(
      finding(
        'clientIdNotGuid',
        'error',
        msg('The client id is not a GUID'),
        [msg('gdap.auth.clientId is "{0}", which is not an application (client) id; it is ignored.', clientId.slice(0, 60))],
        [
          msg(
            'Copy the "Application (client) ID" (a GUID such as 0a1b2c3d-…) from the Overview page of your app registration, not its name, object id or a secret.',
          ),
        ],
      ),
    );
  }
  if (tenantId === '') {
    findings.push(
      finding(
        'tenantNotSet',
        'info',
        msg('No tenant set'),
        [msg('gdap.auth.tenantId is empty, so the sign-in uses "organizations" (any work account).')],
        [msg('Set gdap.auth.tenantId to your partner tenant id or primary domain so the right tenant is always used.')],
      ),
    );
  } else if (!TENANT.test(tenantId)) {
    findings.push(
      finding(
        'tenantInvalid',
        'error',
        msg('The tenant is not a tenant id or domain'),
        [msg('gdap.auth.tenantId is "{0}"; it is ignored.', tenantId.slice(0, 60))],
        [
          msg(
            'Set gdap.auth.tenantId to the partner tenant id (a GUID, Entra admin center → Overview) or its domain such as contoso.onmicrosoft.com.',
          ),
        ],
      ),
    );
  }
  return findings;
}

/** Whether signing in to Graph worked, and with a GDAP permission. */
function graphFindings(facts: SignInFacts, configBroken: boolean): Finding[] {
  const findings: Finding[] = [];
  if (facts.graphError !== undefined) {
    findings.push(
      fromError(facts.graphError, facts, {
        id: 'signInFailed',
        severity: 'error',
        title: msg('Sign-in failed'),
        fix: msg('Run "GDAP: Show Log" for the details, fix what it names and sign in again.'),
      }),
    );
  } else if (!facts.signedIn && !configBroken) {
    findings.push(
      finding(
        'notSignedIn',
        'warning',
        msg('Not signed in'),
        [msg('No sign-in could be used without asking you, so the services were not checked.')],
        [msg('Run "GDAP: Sign In", then check again.')],
      ),
    );
  }
  if (facts.signedIn && facts.graphToken !== undefined) {
    const gdap = facts.graphToken.scopes.filter((s) => /^DelegatedAdminRelationship\.(Read|ReadWrite)\.All$/.test(s));
    if (gdap.length === 0) {
      const scopes = facts.graphToken.scopes.join(', ');
      findings.push(
        finding(
          'graphScopeMissing',
          'error',
          msg('The Graph token has no GDAP permission'),
          [
            scopes === ''
              ? msg("The token's delegated permissions are: none.")
              : msg("The token's delegated permissions are: {0}.", scopes),
          ],
          [API_PERMISSIONS_FIX],
        ),
      );
    }
  }
  return findings;
}

/** Whether Partner Center accepts the sign-in (it needs an MFA claim for App+User calls). */
function partnerCenterFindings(facts: SignInFacts): Finding[] {
  const findings: Finding[] = [];
  if (facts.partnerCenterMfaChallenge === true) {
    findings.push(
      partnerCenterMfaFinding(
        msg('Partner Center refused a call of this session with a claims challenge asking for MFA (HTTP 401, insufficient_claims).'),
        msg('Choose "Sign In with MFA" where Partner Center\'s refusal is shown (Remove DAP offers it): that sign-in asks for MFA.'),
      ),
    );
    return findings;
  }
  if (facts.partnerCenterError !== undefined) {
    const pc = facts.partnerCenterError;
    if (MFA_TEXT.test(pc.message) && matchError(pc) === undefined) {
      findings.push(partnerCenterMfaFinding(pc.message));
    } else {
      findings.push(
        fromError(pc, facts, {
          id: 'partnerCenterFailed',
          severity: 'warning',
          title: msg('No Partner Center access'),
          fix: msg(
            "Remove DAP and the DAP column need Partner Center: add Microsoft Partner Center → user_impersonation to the app's API permissions, grant admin consent, and sign in again.",
          ),
        }),
      );
    }
  } else if (facts.partnerCenterToken !== undefined && !(facts.partnerCenterToken.amr ?? []).includes('mfa')) {
    findings.push(partnerCenterMfaFinding(msg('The Partner Center token carries no MFA claim (amr without "mfa").')));
  }
  return findings;
}

/** Whether the GDAP customer list could be read, and whether it is suspiciously empty. */
function listFindings(facts: SignInFacts): Finding[] {
  const findings: Finding[] = [];
  if (facts.listError !== undefined) {
    findings.push(
      fromError(facts.listError, facts, {
        id: 'listFailed',
        severity: 'error',
        title: msg('Listing GDAP customers failed'),
        fix: msg('Run "GDAP: Show Log" for the request and its request-id.'),
      }),
    );
  } else if (facts.signedIn && facts.customerCount === 0) {
    findings.push(
      finding(
        'notAdminAgent',
        'warning',
        msg('No GDAP customers visible'),
        [
          msg(
            "The service answered with an empty list. It does that, instead of an error, when the signed-in user is not in the partner tenant's Admin Agents group; or the partner has no GDAP relationships yet.",
          ),
        ],
        [
          msg(
            'In the partner tenant, add the user to the "Admin Agents" group (Entra admin center → Groups, or Partner Center → Account settings → User management → Admin agent role), then sign out and in again.',
          ),
        ],
      ),
    );
  }
  return findings;
}

/** Every finding for the observed facts, worst first; `allGood` alone when nothing is wrong. */
export function diagnoseSignIn(facts: SignInFacts): Finding[] {
  const config = configurationFindings(facts);
  const configBroken = config.some((f) => f.severity === 'error');
  const findings = [...config, ...graphFindings(facts, configBroken), ...partnerCenterFindings(facts), ...listFindings(facts)];
  const order: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2, ok: 3 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  if (!findings.some((f) => f.severity === 'error' || f.severity === 'warning')) {
    const count = facts.customerCount;
    findings.push(
      finding('allGood', 'ok', msg('Sign-in works'), [
        count === undefined
          ? msg('Signed in.')
          : count === 1
            ? msg('Signed in; Graph answered with {0} GDAP customer and Partner Center accepted the sign-in.', String(count))
            : msg('Signed in; Graph answered with {0} GDAP customers and Partner Center accepted the sign-in.', String(count)),
      ]),
    );
  }
  return findings;
}

function partnerCenterMfaFinding(detail: ReportText, fix?: Message): Finding {
  return finding(
    'partnerCenterMfaMissing',
    'warning',
    msg('Partner Center needs an MFA sign-in'),
    [msg('Partner Center refuses App+User calls (Remove DAP included) without an MFA claim in the token (docs/api-notes.md §15).'), detail],
    [
      fix ??
        msg(
          'Sign out, then sign in again and complete multi-factor authentication (the tenant should require MFA for this user, e.g. with security defaults or a Conditional Access policy).',
        ),
    ],
  );
}

const ICONS: Record<FindingSeverity, string> = { error: '✖', warning: '⚠', info: 'ℹ', ok: '✔' };

/** The words of the report around the findings, for a face that translates them. */
export interface ReportWords {
  readonly heading: string;
  /** "Fix:" */
  readonly fix: string;
  /** Renders a finding's codes (default: English, as `title`, `detail` and `fix` are). */
  readonly translate?: (message: Message) => string;
}

/** The report as Markdown: one section per finding, the fix in bold. No token or secret is ever in the facts. */
export function formatSignInReport(
  findings: readonly Finding[],
  words: ReportWords = { heading: 'GDAP Explorer: sign-in check', fix: 'Fix:' },
): string {
  const translate = words.translate ?? english;
  const lines = [`# ${words.heading}`, ''];
  for (const f of findings) {
    lines.push(`## ${ICONS[f.severity]} ${translate(f.codes.title)}`, '', reportText(f.codes.detail, translate), '');
    if (f.codes.fix !== undefined) {
      lines.push(`**${words.fix}** ${reportText(f.codes.fix, translate)}`, '');
    }
  }
  return lines.join('\n');
}
