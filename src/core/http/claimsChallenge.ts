import { english, msg, type Message } from '../messages';
import { GdapError, type ClaimsChallenge } from './gdapError';
import type { ServiceName } from './errorMapping';

/**
 * The auth-params of a `WWW-Authenticate: Bearer k="v", k2="v2"` header (RFC 9110 §11.6.1). Only quoted or
 * token values; keys are lower-cased. Undefined when the scheme is not Bearer.
 */
export function parseBearerParams(header: string): Record<string, string> | undefined {
  const m = /^\s*Bearer(?:\s+|$)/i.exec(header);
  if (m === null) {
    return undefined;
  }
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/g;
  for (const match of header.slice(m[0].length).matchAll(re)) {
    const key = match[1].toLowerCase();
    // The first value of a key wins: a later challenge of another scheme may repeat it.
    params[key] ??= match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
  }
  return params;
}

function decodeClaims(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return undefined;
  }
  // Entra sends standard base64; some services send the JSON itself or base64url.
  const candidates = trimmed.startsWith('{')
    ? [trimmed]
    : [Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')];
  for (const text of candidates) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return JSON.stringify(parsed);
      }
    } catch {
      // not JSON: not a claims challenge we can answer
    }
  }
  return undefined;
}

/** Whether a claims request asks for an access token whose `amr` contains `mfa`. */
export function claimsAskForMfa(claims: string): boolean {
  try {
    const amr = (JSON.parse(claims) as { access_token?: { amr?: { values?: unknown; value?: unknown } } }).access_token?.amr;
    return (Array.isArray(amr?.values) && amr.values.includes('mfa')) || amr?.value === 'mfa';
  } catch {
    return false;
  }
}

/**
 * A claims challenge (`error="insufficient_claims"` with `claims="<base64 JSON>"`) in a 401's WWW-Authenticate
 * header (docs/api-notes.md §15.6), the claims decoded; undefined for any other 401.
 */
export function parseClaimsChallenge(wwwAuthenticate: string | undefined): ClaimsChallenge | undefined {
  if (wwwAuthenticate === undefined) {
    return undefined;
  }
  const params = parseBearerParams(wwwAuthenticate);
  if (params?.error !== 'insufficient_claims' || params.claims === undefined) {
    return undefined;
  }
  const claims = decodeClaims(params.claims);
  return claims === undefined ? undefined : { claims, mfa: claimsAskForMfa(claims), wwwAuthenticate };
}

const LABEL: Record<ServiceName, string> = { graph: 'Microsoft Graph', partnerCenter: 'Partner Center' };

/** The user's line for a claims challenge: what it is and what to do. */
export function claimsChallengeMessage(service: ServiceName, challenge: ClaimsChallenge): Message {
  return challenge.mfa
    ? msg('{0} requires multi-factor authentication for this call: sign in again with MFA, then try again.', LABEL[service])
    : msg(
        '{0} requires a new sign-in that meets its conditions for this call (a claims challenge): sign in again, then try again.',
        LABEL[service],
      );
}

/** `error` (a 401) with the challenge attached and the message that says what to do. */
export function withClaimsChallenge(error: GdapError, service: ServiceName, challenge: ClaimsChallenge): GdapError {
  const message = claimsChallengeMessage(service, challenge);
  return new GdapError({
    kind: 'auth',
    message: english(message),
    messageCodes: [message],
    status: error.status,
    code: error.code,
    serviceMessage: error.serviceMessage,
    requestId: error.requestId,
    clientRequestId: error.clientRequestId,
    claimsChallenge: challenge,
  });
}
