import { GdapError, isGdapError } from '../http/gdapError';
import { redact } from '../http/redact';

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
  const raw =
    typeof err.errorMessage === 'string' && err.errorMessage !== ''
      ? err.errorMessage
      : typeof err.message === 'string'
        ? err.message
        : String(e);
  const detail = redact(raw.split('\n')[0]).slice(0, 300);
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
