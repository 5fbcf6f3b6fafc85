/**
 * Removes secrets from any text before it reaches a log, an error message or the journal
 * (docs/architecture.md §3). Deliberately over-eager: a redacted non-secret costs nothing, a leaked token
 * costs the partner's tenant.
 */
const SECRET_KEYS = [
  'client_secret',
  'device_code',
  'refresh_token',
  'access_token',
  'id_token',
  'code',
  'assertion',
  'client_assertion',
  'password',
];
const KEY_ALTERNATION = SECRET_KEYS.join('|');

// `Authorization: <anything to end of line>` in header dumps, and `"authorization":"…"` in JSON.
const AUTH_HEADER = /(authorization\s*[:=]\s*)(?:"[^"]*"|'[^']*'|[^\r\n,}]+)/gi;
const AUTH_JSON = /("authorization"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const BEARER = /\b(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
// JWTs (access and id tokens) start with base64url('{"') = `eyJ`. No word boundary before it: a token
// glued to a word character (`\neyJ…` in JSON-escaped text, `x=1eyJ…`) must be caught too.
const JWT = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}/g;
// form / query string: `code=…&…`.
const FORM_PAIR = new RegExp(`(^|[?&\\s;,])(${KEY_ALTERNATION})=([^&\\s"',;]*)`, 'gi');
// JSON: `"refresh_token": "…"`. A bare `"code"` is NOT redacted in JSON: Graph and Partner Center put
// their (non-secret, needed) error codes there; OAuth authorization codes only travel form-encoded.
const JSON_PAIR = new RegExp(`("(?:${SECRET_KEYS.filter((k) => k !== 'code').join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');

export const REDACTED = '[redacted]';

export function redact(text: string): string {
  return text
    .replace(AUTH_JSON, `$1"${REDACTED}"`)
    .replace(AUTH_HEADER, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(JSON_PAIR, `$1"${REDACTED}"`)
    .replace(FORM_PAIR, `$1$2=${REDACTED}`)
    .replace(JWT, REDACTED);
}
