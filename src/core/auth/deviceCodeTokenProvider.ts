import { GdapError } from '../http/gdapError';
import { graphDelegatedScope, partnerCenterScope, resolveMsalAuthority, msalLoggerOptions } from './msalConfig';
import { loadMsal, type MsalAccountInfo, type MsalPublicClientApplication } from './msalLoader';
import { createMsalNetworkClient } from './msalNetworkClient';
import type { MsalTokenSourceOptions } from './msalTokenSourceOptions';
import { toSignInError } from './signInError';
import { toMsalCachePlugin, type TokenCacheStore } from './tokenCacheStore';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

/** What the user must do to finish a device-code sign-in. Shown to the user, never logged. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The service's full sentence ("To sign in, use a web browser to open … and enter the code …"). */
  readonly message: string;
  readonly expiresInSeconds: number;
}

export interface DeviceCodeOptions extends MsalTokenSourceOptions {
  /** Displays the prompt (CLI: stderr; extension: a notification with a copy button). */
  readonly onDeviceCode: (prompt: DeviceCodePrompt) => void;
  /** Persists msal's cache (refresh tokens). Without it the cache lives in memory for this process only. */
  readonly cache?: TokenCacheStore;
  /** Ask for `DelegatedAdminRelationship.Read.All` instead of `ReadWrite.All`. */
  readonly readOnly?: boolean;
  /** Further delegated Graph scopes asked for with the GDAP one (full URIs, e.g. `<graph>/GroupMember.Read.All`). */
  readonly extraGraphScopes?: readonly string[];
  /** When false a missing or expired sign-in is an `auth` error instead of a new device-code prompt. Default true. */
  readonly interactive?: boolean;
}

export interface DeviceCodeTokenProvider extends TokenProvider {
  /** Starts a device-code sign-in now (even when a cached account exists) and returns the user. */
  signIn(signal?: AbortSignal): Promise<Actor>;
  /** Forgets every cached account (and persists the empty cache). */
  signOut(): Promise<void>;
}

function userActor(account: MsalAccountInfo): Actor {
  const id = account.username !== '' ? account.username : account.homeAccountId;
  return { kind: 'user', id, label: account.name !== undefined && account.name !== '' ? account.name : id };
}

/**
 * User tokens through msal-node's device-code flow (public client). The first token is obtained
 * interactively; later ones, including the Partner Center scope, silently from the cached refresh
 * token. Interactive sign-ins are serialised so two concurrent requests show one prompt.
 *
 * Long because: a factory whose small closures share one msal application, account and pending
 * sign-in; splitting it would pass that state around instead of keeping it private here.
 */
export function createDeviceCodeTokenProvider(options: DeviceCodeOptions): DeviceCodeTokenProvider {
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

  async function deviceCode(scopes: string[], signal?: AbortSignal): Promise<MsalAccountInfo> {
    const client = await getApp(signal);
    const request = {
      scopes,
      deviceCodeCallback: (response: { userCode: string; verificationUri: string; message: string; expiresIn: number }): void => {
        options.onDeviceCode({
          userCode: response.userCode,
          verificationUri: response.verificationUri,
          message: response.message,
          expiresInSeconds: response.expiresIn,
        });
      },
      cancel: false,
    };
    // msal polls until `cancel` turns true; an aborted signal ends the wait.
    const onAbort = (): void => {
      request.cancel = true;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await client.acquireTokenByDeviceCode(request);
      if (result?.account == null) {
        throw new GdapError({ kind: 'auth', message: 'Sign-in returned no account.' });
      }
      account = result.account;
      return result.account;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async function interactive(scopes: string[], signal?: AbortSignal): Promise<MsalAccountInfo> {
    if (options.interactive === false) {
      throw new GdapError({ kind: 'auth', message: 'You are not signed in (or the sign-in expired). Sign in again with the device code.' });
    }
    interactiveSignIn ??= deviceCode(scopes, signal).finally(() => {
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
      const name = (e as { name?: unknown }).name;
      if (name === 'InteractionRequiredAuthError') {
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
        throw toSignInError(e, 'Sign-in (device code)');
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
        throw toSignInError(e, 'Sign-in (device code)');
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
