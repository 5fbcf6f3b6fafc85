import { GdapError, isGdapError } from '../http/gdapError';

/** Token-shaped strings and OAuth secrets that must never reach an error message (ARCHITECTURE.md §3). */
function scrub(text: string): string {
  return text
    .replace(/eyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){0,2}/g, '[redacted]')
    .replace(/((?:access_token|refresh_token|id_token|client_secret|device_code|code)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi, '$1[redacted]');
}

/**
 * Turns whatever msal (or the network client below it) threw into one `GdapError` of kind `auth`
 * (or `cancelled`), keeping msal's error code for the log and never the response body.
 */
export function toSignInError(e: unknown, what: string): GdapError {
  if (isGdapError(e)) {
    if (e.kind === 'cancelled' || e.kind === 'auth') {
      return e;
    }
    return new GdapError({ kind: 'auth', message: `${what} failed: ${e.message}`, code: e.code, status: e.status, cause: e });
  }
  const err = e as { errorCode?: unknown; subError?: unknown; errorMessage?: unknown; message?: unknown };
  const code = typeof err.errorCode === 'string' && err.errorCode !== '' ? err.errorCode : undefined;
  const sub = typeof err.subError === 'string' && err.subError !== '' ? `/${err.subError}` : '';
  const raw = typeof err.errorMessage === 'string' && err.errorMessage !== '' ? err.errorMessage : typeof err.message === 'string' ? err.message : String(e);
  const detail = scrub(raw.split('\n')[0]).slice(0, 300);
  if (code === 'user_cancelled' || code === 'device_code_cancelled' || /cancel/i.test(code ?? '')) {
    return new GdapError({ kind: 'cancelled', message: `${what} was cancelled.`, code });
  }
  return new GdapError({
    kind: 'auth',
    message: `${what} failed${code !== undefined ? ` (${code}${sub})` : ''}: ${detail}`,
    code,
    serviceMessage: detail,
    cause: e,
  });
}
