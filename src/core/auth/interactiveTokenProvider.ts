import * as http from 'node:http';
import { GdapError } from '../http/gdapError';
import { graphDelegatedScope, partnerCenterScope, resolveMsalAuthority, msalLoggerOptions } from './msalConfig';
import { loadMsal, type MsalAccountInfo, type MsalPublicClientApplication } from './msalLoader';
import { createMsalNetworkClient } from './msalNetworkClient';
import type { MsalTokenSourceOptions } from './msalTokenSourceOptions';
import { toSignInError } from './signInError';
import { toMsalCachePlugin, type TokenCacheStore } from './tokenCacheStore';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

/** How long the browser sign-in may take before it is given up. Default 5 minutes. */
export const DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface InteractiveSignInOptions extends MsalTokenSourceOptions {
  /**
   * Shows the sign-in page to the user (CLI: the system browser, or the URL on stderr when none opens).
   * The URL carries the PKCE challenge and the state, never a secret; it resolves once the page was handed
   * over, not when the user finished.
   */
  readonly openBrowser: (url: string) => Promise<void>;
  /** Persists msal's cache (refresh tokens). Without it the cache lives in memory for this process only. */
  readonly cache?: TokenCacheStore;
  /** Ask for `DelegatedAdminRelationship.Read.All` instead of `ReadWrite.All`. */
  readonly readOnly?: boolean;
  /** Further delegated Graph scopes asked for with the GDAP one (full URIs). */
  readonly extraGraphScopes?: readonly string[];
  /** When false a missing or expired sign-in is an `auth` error instead of a browser sign-in. Default true. */
  readonly interactive?: boolean;
  /** Gives up waiting for the browser after this long. Default {@link DEFAULT_BROWSER_SIGN_IN_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

export interface InteractiveTokenProvider extends TokenProvider {
  /** Signs in through the browser now (even when a cached account exists) and returns the user. */
  signIn(signal?: AbortSignal): Promise<Actor>;
  /** Forgets every cached account (and persists the empty cache). */
  signOut(): Promise<void>;
}

// What the loopback listener shows in the browser tab once the code arrived (no script, no data).
const SUCCESS_PAGE =
  '<!doctype html><meta charset="utf-8"><title>GDAP Explorer</title><p>Signed in. You can close this tab and return to the terminal.</p>';
const ERROR_PAGE =
  '<!doctype html><meta charset="utf-8"><title>GDAP Explorer</title><p>Sign-in did not complete. Return to the terminal for the reason.</p>';

function userActor(account: MsalAccountInfo): Actor {
  const id = account.username !== '' ? account.username : account.homeAccountId;
  return { kind: 'user', id, label: account.name !== undefined && account.name !== '' ? account.name : id };
}

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
 * Partner Center scope, come silently from the cached refresh token. Interactive sign-ins are
 * serialised so two concurrent requests open one browser tab.
 *
 * Long because: a factory whose small closures share one msal application, account and pending
 * sign-in; splitting it would pass that state around instead of keeping it private here.
 */
export function createInteractiveTokenProvider(options: InteractiveSignInOptions): InteractiveTokenProvider {
  let app: Promise<MsalPublicClientApplication> | undefined;
  let account: MsalAccountInfo | undefined;
  let interactiveSignIn: Promise<MsalAccountInfo> | undefined;

  function getApp(signal?: AbortSignal): Promise<MsalPublicClientApplication> {
    app ??= (async (): Promise<MsalPublicClientApplication> => {
      const msal = await loadMsal();
      const authority = await resolveMsalAuthority(options.endpoints, options.tenant, options.transport, signal);
      return new msal.PublicClientApplication({
        auth: { clientId: options.clientId, ...authority },
        cache: options.cache === undefined ? undefined : { cachePlugin: toMsalCachePlugin(options.cache) },
        system: {
          networkClient: createMsalNetworkClient(options.transport, { log: options.log }),
          loggerOptions: msalLoggerOptions(options.msalLog),
        },
      });
    })().catch((e: unknown) => {
      app = undefined;
      throw e;
    });
    return app;
  }

  function scopesFor(audience: TokenAudience): string[] {
    return audience === 'graph'
      ? [graphDelegatedScope(options.endpoints, options.readOnly), ...(options.extraGraphScopes ?? [])]
      : [partnerCenterScope(options.endpoints)];
  }

  async function browserSignIn(scopes: string[], signal?: AbortSignal): Promise<MsalAccountInfo> {
    if (signal?.aborted === true) {
      throw new GdapError({ kind: 'cancelled', message: 'Sign-in (browser) was cancelled.' });
    }
    const client = await getApp(signal);
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
      account = result.account;
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

  async function interactive(scopes: string[], signal?: AbortSignal): Promise<MsalAccountInfo> {
    if (options.interactive === false) {
      throw new GdapError({ kind: 'auth', message: 'You are not signed in (or the sign-in expired). Sign in again in the browser.' });
    }
    interactiveSignIn ??= browserSignIn(scopes, signal).finally(() => {
      interactiveSignIn = undefined;
    });
    return interactiveSignIn;
  }

  async function currentAccount(signal?: AbortSignal): Promise<MsalAccountInfo | undefined> {
    if (account !== undefined) {
      return account;
    }
    const accounts = await (await getApp(signal)).getTokenCache().getAllAccounts();
    account = accounts[0];
    return account;
  }

  async function silent(scopes: string[], forceRefresh: boolean, signal?: AbortSignal): Promise<string | undefined> {
    const known = await currentAccount(signal);
    if (known === undefined) {
      return undefined;
    }
    try {
      const result = await (await getApp(signal)).acquireTokenSilent({ account: known, scopes, forceRefresh });
      return result?.accessToken || undefined;
    } catch (e) {
      if ((e as { name?: unknown }).name === 'InteractionRequiredAuthError') {
        return undefined;
      }
      throw e;
    }
  }

  return {
    async getToken(audience: TokenAudience, request?: TokenRequestOptions): Promise<string> {
      const scopes = scopesFor(audience);
      try {
        const cached = await silent(scopes, request?.forceRefresh === true, request?.signal);
        if (cached !== undefined) {
          return cached;
        }
        await interactive(scopes, request?.signal);
        const after = await silent(scopes, false, request?.signal);
        if (after === undefined) {
          throw new GdapError({ kind: 'auth', message: 'Sign-in finished but no token was issued for this service.' });
        }
        return after;
      } catch (e) {
        throw toSignInError(e, 'Sign-in (browser)');
      }
    },
    async getActor(): Promise<Actor | undefined> {
      const known = account ?? (app === undefined ? undefined : await currentAccount().catch(() => undefined));
      return known === undefined ? undefined : userActor(known);
    },
    async signIn(signal?: AbortSignal): Promise<Actor> {
      try {
        return userActor(await interactive(scopesFor('graph'), signal));
      } catch (e) {
        throw toSignInError(e, 'Sign-in (browser)');
      }
    },
    async signOut(): Promise<void> {
      const cache = (await getApp()).getTokenCache();
      for (const a of await cache.getAllAccounts()) {
        await cache.removeAccount(a);
      }
      account = undefined;
    },
  };
}
