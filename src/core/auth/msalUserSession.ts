import { gdapErrorOf } from '../http/gdapError';
import { msg, type Message } from '../messages';
import { HeldTokens } from './heldTokens';
import { graphDelegatedScope, partnerCenterScope, resolveMsalAuthority, msalLoggerOptions } from './msalConfig';
import { loadMsal, type MsalAccountInfo, type MsalPublicClientApplication } from './msalLoader';
import { createMsalNetworkClient } from './msalNetworkClient';
import type { MsalTokenSourceOptions } from './msalTokenSourceOptions';
import { toSignInError } from './signInError';
import { toMsalCachePlugin, type TokenCacheStore } from './tokenCacheStore';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

/** What every user sign-in (device code, browser) is configured with. */
export interface UserSignInOptions extends MsalTokenSourceOptions {
  /** Persists msal's cache (refresh tokens). Without it the cache lives in memory for this process only. */
  readonly cache?: TokenCacheStore;
  /** Ask for `DelegatedAdminRelationship.Read.All` instead of `ReadWrite.All`. */
  readonly readOnly?: boolean;
  /** Further delegated Graph scopes asked for with the GDAP one (full URIs, e.g. `<graph>/GroupMember.Read.All`). */
  readonly extraGraphScopes?: readonly string[];
  /** When false a missing or expired sign-in is an `auth` error instead of a new interactive sign-in. Default true. */
  readonly interactive?: boolean;
}

/** What an interactive sign-in asks for beyond the defaults. */
export interface SignInRequest {
  /** The service whose token the sign-in obtains first. Default 'graph'. */
  readonly audience?: TokenAudience;
  /**
   * A claims request (JSON) from a service's claims challenge, e.g. MFA for Partner Center (docs/api-notes.md
   * §15.6): sent to the authorization and token endpoints so that the new token satisfies it.
   */
  readonly claims?: string;
}

export interface UserTokenProvider extends TokenProvider {
  /** Signs in interactively now (even when a cached account exists) and returns the user. */
  signIn(signal?: AbortSignal, request?: SignInRequest): Promise<Actor>;
  /** Forgets every cached account (and persists the empty cache). */
  signOut(): Promise<void>;
}

/** How one flow obtains an account interactively; the session does everything else. */
export interface InteractiveFlow {
  /** "Sign-in (device code)": names the flow in errors (a message, so that a face translates it). */
  readonly label: Message;
  /** The `auth` error's text when `interactive` is false and no cached sign-in serves. */
  readonly notSignedIn: Message;
  /** `claims`: a claims request (JSON) the new tokens must satisfy, passed to msal as is. */
  acquire(client: MsalPublicClientApplication, scopes: string[], signal?: AbortSignal, claims?: string): Promise<MsalAccountInfo>;
}

function userActor(account: MsalAccountInfo): Actor {
  const id = account.username !== '' ? account.username : account.homeAccountId;
  return { kind: 'user', id, label: account.name !== undefined && account.name !== '' ? account.name : id };
}

/**
 * User tokens through one msal-node public client application: the first token is obtained through
 * `flow`; later ones, including the Partner Center scope, silently from the cached refresh token.
 * Interactive sign-ins are serialised so two concurrent requests show one prompt.
 *
 * Long because: a factory whose small closures share one msal application, account and pending
 * sign-in; splitting it would pass that state around instead of keeping it private here.
 */
export function createUserTokenProvider(options: UserSignInOptions, flow: InteractiveFlow): UserTokenProvider {
  let app: Promise<MsalPublicClientApplication> | undefined;
  let account: MsalAccountInfo | undefined;
  const held = new HeldTokens<TokenAudience>();
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

  async function interactive(scopes: string[], signal?: AbortSignal, claims?: string): Promise<MsalAccountInfo> {
    if (options.interactive === false) {
      throw gdapErrorOf('auth', flow.notSignedIn);
    }
    interactiveSignIn ??= (async (): Promise<MsalAccountInfo> => {
      account = await flow.acquire(await getApp(signal), scopes, signal, claims);
      // A new sign-in may be another account or carry new claims: no earlier token is reused.
      held.clear();
      return account;
    })().finally(() => {
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

  async function silent(
    scopes: string[],
    forceRefresh: boolean,
    signal?: AbortSignal,
    claims?: string,
    heldKey?: TokenAudience,
  ): Promise<string | undefined> {
    const known = await currentAccount(signal);
    if (known === undefined) {
      return undefined;
    }
    try {
      // With `claims` msal skips its cache and redeems the refresh token asking for them.
      const result = await (
        await getApp(signal)
      ).acquireTokenSilent({
        account: known,
        scopes,
        forceRefresh,
        ...(claims !== undefined ? { claims } : {}),
      });
      const token = result?.accessToken || undefined;
      if (token !== undefined && heldKey !== undefined) {
        held.hold(heldKey, token, result?.expiresOn);
      }
      return token;
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
      const reused = request?.forceRefresh === true || request?.claims !== undefined ? undefined : held.get(audience);
      if (reused !== undefined) {
        return reused;
      }
      try {
        const cached = await silent(scopes, request?.forceRefresh === true, request?.signal, request?.claims, audience);
        if (cached !== undefined) {
          return cached;
        }
        await interactive(scopes, request?.signal, request?.claims);
        const after = await silent(scopes, false, request?.signal, undefined, audience);
        if (after === undefined) {
          throw gdapErrorOf('auth', msg('Sign-in finished but no token was issued for this service.'));
        }
        return after;
      } catch (e) {
        throw toSignInError(e, flow.label);
      }
    },
    async getActor(): Promise<Actor | undefined> {
      const known = account ?? (app === undefined ? undefined : await currentAccount().catch(() => undefined));
      return known === undefined ? undefined : userActor(known);
    },
    async signIn(signal?: AbortSignal, request?: SignInRequest): Promise<Actor> {
      try {
        return userActor(await interactive(scopesFor(request?.audience ?? 'graph'), signal, request?.claims));
      } catch (e) {
        throw toSignInError(e, flow.label);
      }
    },
    async signOut(): Promise<void> {
      held.clear();
      const cache = (await getApp()).getTokenCache();
      for (const a of await cache.getAllAccounts()) {
        await cache.removeAccount(a);
      }
      account = undefined;
    },
  };
}
