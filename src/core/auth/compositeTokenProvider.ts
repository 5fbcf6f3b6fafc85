import type { ClaimsChallenge } from '../http/gdapError';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from './tokenProvider';

export interface CompositeTokenProvider extends TokenProvider {
  /** The principal behind one audience's tokens (e.g. the app for Graph, the user for Partner Center). */
  getActorFor(audience: TokenAudience): Promise<Actor | undefined>;
}

/**
 * One source per audience, e.g. in emulator mode app-only client credentials for Graph and a
 * device-code user for Partner Center. `getActor` answers with the Graph principal, else the
 * Partner Center one.
 */
export function createCompositeTokenProvider(sources: {
  readonly graph: TokenProvider;
  readonly partnerCenter: TokenProvider;
}): CompositeTokenProvider {
  const pick = (audience: TokenAudience): TokenProvider => (audience === 'graph' ? sources.graph : sources.partnerCenter);
  return {
    getToken(audience: TokenAudience, options?: TokenRequestOptions): Promise<string> {
      return pick(audience).getToken(audience, options);
    },
    async getActor(): Promise<Actor | undefined> {
      return (await sources.graph.getActor()) ?? (await sources.partnerCenter.getActor());
    },
    getActorFor(audience: TokenAudience): Promise<Actor | undefined> {
      return pick(audience).getActor();
    },
    noteClaimsChallenge(audience: TokenAudience, challenge: ClaimsChallenge): void {
      pick(audience).noteClaimsChallenge?.(audience, challenge);
    },
  };
}
