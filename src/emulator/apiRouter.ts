import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { handleGraph } from './graphApi';
import { handleGroups, isGroupsPath } from './groupsApi';
import type { ResolvedOptions } from './options';
import { handleRoleDefinitions, isRoleDefinitionsPath } from './roleDefinitionsApi';
import { handlePartnerCenter } from './partnerCenterApi';
import { type Family, decorate, errorResponse, mfaChallenge, throttled, unauthorized } from './responses';
import type { EmulatorStore } from './store';
import { MFA_CLAIMS, type Principal, type TokenService } from './tokens';

/** Token bucket over API requests (burst N, refill N per second); `rps` 0 = unlimited. */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  public constructor(private readonly rps: number) {
    this.tokens = rps;
  }

  public take(): boolean {
    if (this.rps <= 0) {
      return true;
    }
    const now = Date.now();
    this.tokens = Math.min(this.rps, this.tokens + ((now - this.last) / 1000) * this.rps);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export interface RouterDeps {
  store: EmulatorStore;
  tokens: TokenService;
  options: ResolvedOptions;
  /** Set once the server listens (the port is known only then). */
  baseUrl: () => string;
}

/**
 * One API request (also each `$batch` sub-request) after the fault roll: authentication → throttle bucket →
 * the lazy clock → the family's router; every refusal becomes the family's error shape.
 */
export class ApiRouter {
  private readonly bucket: TokenBucket;

  public constructor(private readonly deps: RouterDeps) {
    this.bucket = new TokenBucket(deps.options.throttleRps);
  }

  public evaluate(r: ApiRequest, family: Family): ApiResponse {
    const { store, tokens, options } = this.deps;
    try {
      const principal = tokens.verify(r.headers.authorization, family);
      if ('error' in principal) {
        return unauthorized(family, principal.error, r, this.deps.baseUrl());
      }
      if (family === 'partnerCenter' && options.requirePcMfa && principal.kind === 'user' && !principal.amr.includes('mfa')) {
        return mfaChallenge(r, this.deps.baseUrl(), MFA_CLAIMS);
      }
      if (!this.bucket.take()) {
        return throttled(family, options.retryAfterSeconds, r);
      }
      store.advance();
      const res =
        family === 'graph' ? this.graph(r, principal) : handlePartnerCenter(r, { store, principal, defaultPageSize: options.pageSize });
      return decorate(res, family, r);
    } catch (e) {
      if (e instanceof ApiError) {
        return errorResponse(family, e.status, e.code, e.message, r, e.headers);
      }
      const msg = e instanceof Error ? e.message : String(e);
      return errorResponse(family, 500, 'generalException', `Unexpected emulator error: ${msg}`, r);
    }
  }

  private graph(r: ApiRequest, principal: Principal): ApiResponse {
    const { store, tokens, options } = this.deps;
    const baseUrl = this.deps.baseUrl();
    if (isGroupsPath(r.path)) {
      return handleGroups(r, store, principal, baseUrl, options.pageSize);
    }
    if (isRoleDefinitionsPath(r.path)) {
      return handleRoleDefinitions(r, principal, baseUrl);
    }
    return handleGraph(r, {
      store,
      baseUrl,
      pageSize: options.pageSize,
      retryAfterSeconds: options.retryAfterSeconds,
      principal,
      adminAgents: principal.kind === 'app' || tokens.user.adminAgents,
    });
  }
}
