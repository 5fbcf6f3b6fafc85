import type { ApiRequest } from './apiTypes';
import type { TokenService } from './tokens';

/**
 * The Entra v2.0 routes (`/{tenant}/oauth2/v2.0/token|devicecode`, the openid configuration, the keys):
 * path matching and method checks only — the token logic stays in tokens.ts.
 */
const ENTRA_PATH = /^\/([^/]+)\/(oauth2\/v2\.0\/(token|devicecode)|v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys)$/;

export function isEntraPath(path: string): boolean {
  return ENTRA_PATH.test(path);
}

export function handleEntra(r: ApiRequest, tokens: TokenService, baseUrl: string): { status: number; body?: unknown } {
  const m = ENTRA_PATH.exec(r.path);
  if (m === null) {
    return { status: 404, body: { error: 'invalid_request', error_description: `No route ${r.path}.` } };
  }
  if (m[3] !== undefined) {
    if (r.method !== 'POST') {
      return { status: 405, body: { error: 'invalid_request', error_description: 'Use POST.' } };
    }
    const form = r.body instanceof URLSearchParams ? r.body : new URLSearchParams(r.rawText ?? '');
    const answer = m[3] === 'token' ? tokens.token(baseUrl, form) : tokens.deviceCode(baseUrl, form);
    tokens.rememberIssued(answer.body);
    return answer;
  }
  if (m[2].startsWith('v2.0')) {
    return { status: 200, body: tokens.openIdConfiguration(baseUrl, m[1]) };
  }
  return { status: 200, body: { keys: [] } };
}
