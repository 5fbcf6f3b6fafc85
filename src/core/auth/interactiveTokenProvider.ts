import * as http from 'node:http';
import { GdapError } from '../http/gdapError';
import { msg } from '../messages';
import type { MsalAccountInfo, MsalPublicClientApplication } from './msalLoader';
import { createUserTokenProvider, type UserSignInOptions, type UserTokenProvider } from './msalUserSession';

/** How long the browser sign-in may take before it is given up. Default 5 minutes. */
export const DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface InteractiveSignInOptions extends UserSignInOptions {
  /**
   * Shows the sign-in page to the user (CLI: the system browser, or the URL on stderr when none opens).
   * The URL carries the PKCE challenge and the state, never a secret; it resolves once the page was handed
   * over, not when the user finished.
   */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Gives up waiting for the browser after this long. Default {@link DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** Browser sign-in now (even when a cached account exists), cached tokens after. */
export type InteractiveTokenProvider = UserTokenProvider;

// What the loopback listener shows in the browser tab once the code arrived (no script, no data).
const SUCCESS_PAGE =
  '<!doctype html><meta charset="utf-8"><title>GDAP Explorer</title><p>Signed in. You can close this tab and return to the terminal.</p>';
const ERROR_PAGE =
  '<!doctype html><meta charset="utf-8"><title>GDAP Explorer</title><p>Sign-in did not complete. Return to the terminal for the reason.</p>';

/**
 * Ends msal's wait for the browser: msal has no cancel for the interactive flow, and its loopback
 * listener would keep the process alive. Delivering an `access_denied` answer with the request's own
 * state to that listener, as Entra would after the user declined, makes msal close it and throw.
 * This is the one request that bypasses core's transport: it goes to our own loopback listener only.
 */
async function releaseLoopback(authorizeUrl: string): Promise<void> {
  const url = new URL(authorizeUrl);
  const redirectUri = url.searchParams.get('redirect_uri');
  const state = url.searchParams.get('state');
  if (redirectUri === null || state === null || !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/?$/.test(redirectUri)) {
    return;
  }
  const body = new URLSearchParams({ error: 'access_denied', error_description: 'The sign-in was cancelled.', state }).toString();
  await new Promise<void>((resolve) => {
    const req = http.request(
      redirectUri.replace('//localhost', '//127.0.0.1'),
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', () => resolve());
    req.on('timeout', () => req.destroy());
    req.end(body);
  });
}

/**
 * User tokens through msal-node's authorization code flow with PKCE on a loopback redirect (public
 * client): the user signs in in a browser, msal listens on `http://localhost:<port>` for the code and
 * redeems it with the PKCE verifier, which never leaves this process. Later tokens, including the
 * Partner Center scope, come silently from the cached refresh token.
 */
export function createInteractiveTokenProvider(options: InteractiveSignInOptions): InteractiveTokenProvider {
  return createUserTokenProvider(options, {
    label: msg('Sign-in (browser)'),
    notSignedIn: msg('You are not signed in (or the sign-in expired). Sign in again in the browser.'),
    acquire: (client, scopes, signal, claims) => browserSignIn(options, client, scopes, signal, claims),
  });
}

// Long because: the browser flow's cancel and timeout both release msal's loopback listener, which shares the authorize URL with them.
async function browserSignIn(
  options: InteractiveSignInOptions,
  client: MsalPublicClientApplication,
  scopes: string[],
  signal?: AbortSignal,
  claims?: string,
): Promise<MsalAccountInfo> {
  if (signal?.aborted === true) {
    throw new GdapError({ kind: 'cancelled', message: 'Sign-in (browser) was cancelled.' });
  }
  let authorizeUrl: string | undefined;
  let stop: 'cancelled' | 'timeout' | undefined;
  const giveUp = (why: 'cancelled' | 'timeout'): void => {
    if (stop === undefined) {
      stop = why;
      if (authorizeUrl !== undefined) {
        void releaseLoopback(authorizeUrl);
      }
    }
  };
  const onAbort = (): void => giveUp('cancelled');
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => giveUp('timeout'), options.timeoutMs ?? DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS);
  timer.unref?.();
  try {
    const result = await client.acquireTokenInteractive({
      scopes,
      // A claims challenge's request (e.g. MFA): msal sends it on the authorize URL and the code redemption.
      ...(claims !== undefined ? { claims } : {}),
      successTemplate: SUCCESS_PAGE,
      errorTemplate: ERROR_PAGE,
      openBrowser: async (url: string): Promise<void> => {
        authorizeUrl = url;
        if (stop !== undefined) {
          // Cancelled while msal was preparing: answer the listener instead of opening a tab.
          await releaseLoopback(url);
          return;
        }
        await options.openBrowser(url);
      },
    });
    if (result?.account == null) {
      throw new GdapError({ kind: 'auth', message: 'Sign-in returned no account.' });
    }
    return result.account;
  } catch (e) {
    if (stop === 'cancelled') {
      throw new GdapError({ kind: 'cancelled', message: 'Sign-in (browser) was cancelled.' });
    }
    if (stop === 'timeout') {
      throw new GdapError({
        kind: 'auth',
        message:
          'Sign-in (browser) timed out waiting for the browser. Open the sign-in link, or use --device-code where the browser cannot reach this machine.',
      });
    }
    throw e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
