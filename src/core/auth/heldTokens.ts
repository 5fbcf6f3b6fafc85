/** msal renews a token this long before it expires (its `tokenRenewalOffsetSeconds`); so do held tokens. */
export const RENEWAL_MARGIN_MS = 300_000;

/**
 * The last token per key (an audience) while it has more than msal's renewal margin left. Every Graph
 * request asks its provider for a token, and msal's cache look-up (building the request, a filtered
 * scan, scope matching) cost ≈ 0.4 ms each: ≈ 70 ms of a 2,000-customer inventory (BENCHMARKS.md,
 * "Token per request"). A forced refresh, a claims request or a sign-out bypass or clear it.
 */
export class HeldTokens<K> {
  private readonly held = new Map<K, { readonly token: string; readonly expiresAtMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The held token for `key` if more than the renewal margin is left; otherwise forgets it. */
  get(key: K): string | undefined {
    const entry = this.held.get(key);
    if (entry !== undefined && entry.expiresAtMs - RENEWAL_MARGIN_MS > this.now()) {
      return entry.token;
    }
    this.held.delete(key);
    return undefined;
  }

  /** Holds `token` until its expiry; a token without a known expiry is not held. */
  hold(key: K, token: string, expiresOn: Date | null | undefined): void {
    if (expiresOn instanceof Date && !Number.isNaN(expiresOn.getTime())) {
      this.held.set(key, { token, expiresAtMs: expiresOn.getTime() });
    } else {
      this.held.delete(key);
    }
  }

  clear(): void {
    this.held.clear();
  }
}
