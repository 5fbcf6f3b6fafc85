import { GdapError } from '../http/gdapError';
import { actorFromToken } from './actorFromToken';
import type { Actor, TokenAudience, TokenProvider } from './tokenProvider';

export interface StaticTokens {
  readonly graph?: string;
  readonly partnerCenter?: string;
}

/** Bearer tokens from env `GDAP_GRAPH_TOKEN` / `GDAP_PARTNER_CENTER_TOKEN` (empty values ignored). */
export function staticTokensFromEnv(env: NodeJS.ProcessEnv = process.env): StaticTokens | undefined {
  const graph = env.GDAP_GRAPH_TOKEN?.trim() || undefined;
  const partnerCenter = env.GDAP_PARTNER_CENTER_TOKEN?.trim() || undefined;
  return graph === undefined && partnerCenter === undefined ? undefined : { graph, partnerCenter };
}

/** Tokens handed in from outside (CI pipelines). They cannot be refreshed: an expired one is an auth error. */
export function createStaticTokenProvider(tokens: StaticTokens): TokenProvider {
  return {
    getToken(audience: TokenAudience): Promise<string> {
      const token = audience === 'graph' ? tokens.graph : tokens.partnerCenter;
      if (token === undefined || token === '') {
        const variable = audience === 'graph' ? 'GDAP_GRAPH_TOKEN' : 'GDAP_PARTNER_CENTER_TOKEN';
        return Promise.reject(
          new GdapError({
            kind: 'auth',
            message: `No ${audience === 'graph' ? 'Microsoft Graph' : 'Partner Center'} token: set ${variable}, or sign in with --device-code.`,
          }),
        );
      }
      return Promise.resolve(token);
    },
    getActor(): Promise<Actor | undefined> {
      const token = tokens.graph ?? tokens.partnerCenter;
      return Promise.resolve(token === undefined ? undefined : actorFromToken(token));
    },
  };
}
