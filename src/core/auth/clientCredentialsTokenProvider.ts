import { GdapError } from '../http/gdapError';
import { HeldTokens } from './heldTokens';
import { graphAppScope, resolveMsalAuthority, msalLoggerOptions } from './msalConfig';
import { loadMsal, type MsalConfidentialClientApplication } from './msalLoader';
import { createMsalNetworkClient } from './msalNetworkClient';
import type { MsalTokenSourceOptions } from './msalTokenSourceOptions';
import { toSignInError } from './signInError';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

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
  const held = new HeldTokens<'graph'>();

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
      const reused = request?.forceRefresh === true ? undefined : held.get('graph');
      if (reused !== undefined) {
        return reused;
      }
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
        held.hold('graph', result.accessToken, result.expiresOn);
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
