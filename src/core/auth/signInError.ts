import { gdapErrorOf, innerMessage, isGdapError, type GdapError } from '../http/gdapError';
import { msg, type Message } from '../messages';
import { redact } from '../http/redact';

/**
 * Turns whatever msal (or the network client below it) threw into one `GdapError` of kind `auth`
 * (or `cancelled`), keeping msal's error code for the log and never the response body. `what` names the flow
 * ("Sign-in (device code)"), a message so that it reads in the face's language; msal's own text stays a plain
 * argument.
 */
export function toSignInError(e: unknown, what: Message | string): GdapError {
  if (isGdapError(e)) {
    if (e.kind === 'cancelled' || e.kind === 'auth') {
      return e;
    }
    return gdapErrorOf('auth', msg('{0} failed: {1}', what, innerMessage(e)), { code: e.code, status: e.status, cause: e });
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
    return gdapErrorOf('cancelled', msg('{0} was cancelled.', what), { code });
  }
  const message = code !== undefined ? msg('{0} failed ({1}): {2}', what, `${code}${sub}`, detail) : msg('{0} failed: {1}', what, detail);
  return gdapErrorOf('auth', message, { code, serviceMessage: detail, cause: e });
}
