import type { ClaimsChallenge } from '../http/gdapError';

/** Which API a token is for. Graph and Partner Center tokens have different audiences. */
export type TokenAudience = 'graph' | 'partnerCenter';

export interface TokenRequestOptions {
  readonly signal?: AbortSignal;
  /** Skip any cache: used once after a 401 before asking the user to sign in again. */
  readonly forceRefresh?: boolean;
  /**
   * A claims request (JSON) the token must satisfy, from a service's claims challenge (docs/api-notes.md §15.6):
   * skips the cache; a source that cannot satisfy it silently fails with `auth` rather than prompting.
   */
  readonly claims?: string;
}

/** Who acts, for the journal and the UI: a user's UPN or an app id. Never a token. */
export interface Actor {
  readonly kind: 'user' | 'app';
  readonly id: string;
  readonly label: string;
}

/**
 * Source of bearer tokens. Implementations: the VS Code authentication bridge (extension), msal-node
 * device code / client credentials (core/auth), static tokens from the environment (CLI).
 * Tokens are consumed per request and never stored by the caller.
 */
export interface TokenProvider {
  getToken(audience: TokenAudience, options?: TokenRequestOptions): Promise<string>;
  /** The signed-in principal, when known; undefined before the first token. */
  getActor(): Promise<Actor | undefined>;
  /**
   * Told when a service refused this source's token with a claims challenge (e.g. Partner Center wants
   * MFA), so the face can offer the sign-in that satisfies it. Optional; must not prompt by itself.
   */
  noteClaimsChallenge?(audience: TokenAudience, challenge: ClaimsChallenge): void;
}
