import { GdapError } from '../http/gdapError';
import { graphAppScope, resolveMsalAuthority, msalLoggerOptions } from './msalConfig';
import { loadMsal, type MsalConfidentialClientApplication } from './msalLoader';
import { createMsalNetworkClient } from './msalNetworkClient';
import type { MsalTokenSourceOptions } from './msalTokenSourceOptions';
import { toSignInError } from './signInError';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

/** msal renews a token this long before it expires (its `tokenRenewalOffsetSeconds`); so does the held one. */
const RENEWAL_MARGIN_MS = 300_000;

export interface ClientCredentialsOptions extends MsalTokenSourceOptions {
  /** From env `GDAP_CLIENT_SECRET`; never logged, never part of an error. */
  readonly clientSecret: string;
}

/**
 * App-only tokens (msal-node confidential client, client credentials grant), Graph `.default` scope.
 * Partner Center is refused: removing DAP accepts App+User credentials only (docs/api-notes.md §8.1).
 */
export function createClientCredentialsTokenProvider(options: ClientCredentialsOptions): TokenProvider {
  if (options.clientSecret === '') {
    throw new GdapError({ kind: 'auth', message: 'The client secret is empty: set GDAP_CLIENT_SECRET.' });
  }
  let app: Promise<MsalConfidentialClientApplication> | undefined;
  let signedIn = false;
  // The last token while it has more than msal's own renewal margin left: every Graph request asks for
  // one, and msal's cache look-up (request building, a filtered scan, scope matching) cost ≈ 0.4 ms each,
  // ≈ 70 ms of a 2,000-customer inventory (BENCHMARKS.md, "Token per request").
  let held: { readonly token: string; readonly expiresAtMs: number } | undefined;

  async function createApp(signal?: AbortSignal): Promise<MsalConfidentialClientApplication> {
    const msal = await loadMsal();
    const authority = await resolveMsalAuthority(options.endpoints, options.tenant, options.transport, signal);
    return new msal.ConfidentialClientApplication({
      auth: { clientId: options.clientId, clientSecret: options.clientSecret, ...authority },
      system: {
        networkClient: createMsalNetworkClient(options.transport, { log: options.log }),
        loggerOptions: msalLoggerOptions(options.msalLog),
      },
    });
  }

  return {
    async getToken(audience: TokenAudience, request?: TokenRequestOptions): Promise<string> {
      if (audience === 'partnerCenter') {
        throw new GdapError({
          kind: 'auth',
          message: 'Partner Center needs a signed-in user (App+User); app-only credentials cannot remove DAP. Sign in with --device-code.',
        });
      }
      const now = Date.now();
      if (request?.forceRefresh !== true && held !== undefined && held.expiresAtMs - RENEWAL_MARGIN_MS > now) {
        return held.token;
      }
      held = undefined;
      try {
        app ??= createApp(request?.signal).catch((e: unknown) => {
          app = undefined;
          throw e;
        });
        const client = await app;
        const result = await client.acquireTokenByClientCredential({
          scopes: [graphAppScope(options.endpoints)],
          skipCache: request?.forceRefresh === true,
        });
        if (result === null || result.accessToken === '') {
          throw new GdapError({ kind: 'auth', message: 'App sign-in returned no token.' });
        }
        signedIn = true;
        if (result.expiresOn instanceof Date) {
          held = { token: result.accessToken, expiresAtMs: result.expiresOn.getTime() };
        }
        return result.accessToken;
      } catch (e) {
        throw toSignInError(e, 'App sign-in (client credentials)');
      }
    },
    getActor(): Promise<Actor | undefined> {
      return Promise.resolve(signedIn ? { kind: 'app', id: options.clientId, label: options.clientId } : undefined);
    },
  };
}
