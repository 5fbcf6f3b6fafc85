import type { Actor } from './tokenProvider';

/**
 * Who a bearer token was issued to, read from its (unverified) JWT claims: the UPN for a user, the
 * app id for an app. Only for attribution in the journal; returns undefined for opaque tokens. The
 * token itself is never kept.
 */
export function actorFromToken(token: string): Actor | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return undefined;
  }
  let claims: Record<string, unknown>;
  try {
    const parsed = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) {
      return undefined;
    }
    claims = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (k: string): string | undefined => (typeof claims[k] === 'string' && claims[k] !== '' ? claims[k] : undefined);
  const user = str('upn') ?? str('preferred_username') ?? str('unique_name');
  if (user !== undefined) {
    return { kind: 'user', id: user, label: user };
  }
  const app = str('appid') ?? str('azp');
  if (app !== undefined) {
    return { kind: 'app', id: app, label: str('app_displayname') ?? app };
  }
  return undefined;
}
