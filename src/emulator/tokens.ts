import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as http from 'node:http';
import type { ApiRequest, ApiResponse } from './apiTypes';

/**
 * The Entra token endpoints (v2.0): client credentials, device code, authorization code with PKCE
 * (after an authorize endpoint that approves by itself), refresh token, plus the
 * openid-configuration msal-node reads. Tokens are JWT-shaped and HMAC-signed with a per-start secret,
 * so only tokens issued by this emulator instance are accepted.
 */
export type Audience = 'graph' | 'partnerCenter';

export const GRAPH_RESOURCES = ['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us'];
export const PARTNER_CENTER_RESOURCE = 'https://api.partnercenter.microsoft.com';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEFAULT_GRAPH_PERMISSION = 'DelegatedAdminRelationship.ReadWrite.All';

export interface Principal {
  kind: 'user' | 'app';
  oid: string;
  upn?: string;
  appId: string;
  /** Delegated permissions (scp) or application permissions (roles). */
  permissions: Set<string>;
  audience: Audience;
  /** Authentication methods of a user token (`amr`); contains `mfa` when the sign-in satisfied MFA. */
  amr: string[];
}

/** A principal with the expiry of the token it was verified from (epoch milliseconds). */
type VerifiedPrincipal = Principal & { readonly expiresAtMs: number };

export interface EmulatorUser {
  oid: string;
  upn: string;
  name: string;
  /** Member of the partner's Admin Agents group (docs/api-notes.md §3.19). */
  adminAgents: boolean;
}

interface DeviceCodeEntry {
  clientId: string;
  scopes: string[];
  mfa: boolean;
  polls: number;
  expiresAt: number;
}

interface AuthCodeEntry {
  clientId: string;
  redirectUri: string;
  /** S256 challenge: base64url(sha256(code_verifier)). */
  challenge: string;
  scope: string;
  /** The authorize request's `claims` asked for MFA: the code's tokens carry it. */
  mfa: boolean;
  expiresAt: number;
}

/** Entra authorization codes live about ten minutes (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow). */
const AUTH_CODE_LIFETIME_MS = 10 * 60_000;

/**
 * A native client's redirect URI must be loopback http (RFC 8252 §7.3): the emulator never redirects a
 * code anywhere else, so it cannot be used as an open redirector.
 */
export function isLoopbackRedirectUri(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && url.username === '' && url.password === ''
  );
}

/** What the authorize endpoint answers: a redirect, an auto-posting form (form_post), or an error page. */
export interface AuthorizeOutcome {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly html?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(status: number, aadsts: number, message: string): AuthorizeOutcome {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    html: `<!doctype html><title>Sign in</title><p>AADSTS${aadsts}: ${escapeHtml(message)}</p>`,
  };
}

interface RefreshEntry {
  clientId: string;
  oid: string;
  /** A session that satisfied MFA keeps the claim on refresh. */
  mfa: boolean;
}

export interface IssueOptions {
  audience: Audience;
  kind: 'user' | 'app';
  /** Negative = already expired (for tests). */
  expiresInSeconds?: number;
  permissions?: string[];
  clientId?: string;
  /** Exact audience URI (e.g. https://graph.microsoft.us); defaults to the global one. */
  resource?: string;
  /** User tokens: `amr` is `["pwd", "mfa"]` instead of `["pwd"]`. */
  mfa?: boolean;
}

/** The claims challenge a resource sends when it needs MFA; the same JSON in a token request's `claims` asks for it. */
export const MFA_CLAIMS = { access_token: { amr: { values: ['mfa'] } } };

/** Whether a token request's `claims` parameter (JSON) asks for an `amr` containing `mfa`. */
export function claimsRequestMfa(claims: string | null): boolean {
  if (claims === null || claims.trim() === '') {
    return false;
  }
  try {
    const parsed = JSON.parse(claims) as { access_token?: { amr?: { values?: unknown; value?: unknown } } };
    const amr = parsed.access_token?.amr;
    return (Array.isArray(amr?.values) && amr.values.includes('mfa')) || amr?.value === 'mfa';
  } catch {
    return false;
  }
}

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');
}

function oauthError(status: number, error: string, aadsts: number, description: string): ApiResponse {
  const now = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: {},
    body: {
      error,
      error_description: `AADSTS${aadsts}: ${description}`,
      error_codes: [aadsts],
      timestamp: now,
      trace_id: randomUuid(),
      correlation_id: randomUuid(),
    },
  };
}

function randomUuid(): string {
  const h = randomBytes(16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Stable GUID-shaped id from text (service principal object ids). */
function guidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface ResolvedScopes {
  resource: string;
  audience: Audience;
  permissions: string[];
  isDefault: boolean;
}

const MAX_REMEMBERED = 10_000;

export class TokenService {
  private readonly secret = randomBytes(32);
  private readonly deviceCodes = new Map<string, DeviceCodeEntry>();
  private readonly authCodes = new Map<string, AuthCodeEntry>();
  private readonly refreshTokens = new Map<string, RefreshEntry>();
  /** Every secret handed out (newest last, bounded): what the token-hygiene tests look for. */
  private readonly handedOut: string[] = [];
  public readonly user: EmulatorUser;

  public constructor(
    public tenantId: string,
    public partnerDomain: string,
    adminAgents: boolean,
    private readonly lifetimeSeconds: number,
    private readonly pollIntervalSeconds: number,
    /**
     * True while Partner Center demands an MFA step-up (--require-pc-mfa): sign-ins are then password-only
     * until a token request asks for the MFA claim. Otherwise the emulated user signed in with MFA, as
     * partner users must (docs/emulator.md).
     */
    private readonly mfaStepUpRequired: () => boolean = () => false,
  ) {
    this.user = { oid: guidFrom(`user:${tenantId}`), upn: `admin@${partnerDomain}`, name: 'Partner Admin Agent', adminAgents };
  }

  /** The tokens, refresh tokens, id tokens, device codes and authorization codes this instance handed out. */
  public issuedSecrets(): readonly string[] {
    return this.handedOut.slice();
  }

  /** Records the secrets in a token-endpoint answer (or any object with those fields). */
  public rememberIssued(body: unknown): void {
    if (body === null || typeof body !== 'object') {
      return;
    }
    for (const k of ['access_token', 'refresh_token', 'id_token', 'device_code', 'code']) {
      const v = (body as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '') {
        this.handedOut.push(v);
      }
    }
    if (this.handedOut.length > MAX_REMEMBERED) {
      this.handedOut.splice(0, this.handedOut.length - MAX_REMEMBERED);
    }
  }

  public issuer(baseUrl: string): string {
    return `${baseUrl}/${this.tenantId}/v2.0`;
  }

  public openIdConfiguration(baseUrl: string, tenant: string): Record<string, unknown> {
    const root = `${baseUrl}/${tenant}`;
    return {
      token_endpoint: `${root}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${root}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: this.issuer(baseUrl),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${root}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'oid', 'preferred_username', 'tid', 'ver'],
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    };
  }

  private sign(payload: Record<string, unknown>): string {
    const head = b64url({ typ: 'JWT', alg: 'HS256', kid: 'gdap-emulator' });
    const body = b64url(payload);
    const sig = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  /** Mints an access token directly (tests, benchmarks): same format as the token endpoint's. */
  public issue(baseUrl: string, o: IssueOptions): string {
    const now = Math.floor(Date.now() / 1000);
    const resource = o.resource ?? (o.audience === 'graph' ? GRAPH_RESOURCES[0] : PARTNER_CENTER_RESOURCE);
    const clientId = o.clientId ?? '00000000-0000-0000-0000-00000000e1e1';
    const perms = o.permissions ?? (o.audience === 'graph' ? [DEFAULT_GRAPH_PERMISSION] : o.kind === 'user' ? ['user_impersonation'] : []);
    const payload: Record<string, unknown> = {
      aud: resource,
      iss: `${baseUrl}/${this.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + (o.expiresInSeconds ?? this.lifetimeSeconds),
      tid: this.tenantId,
      appid: clientId,
      azp: clientId,
      ver: '1.0',
    };
    if (o.kind === 'user') {
      Object.assign(payload, {
        oid: this.user.oid,
        sub: this.user.oid,
        upn: this.user.upn,
        preferred_username: this.user.upn,
        name: this.user.name,
        scp: perms.join(' '),
        amr: o.mfa === true ? ['pwd', 'mfa'] : ['pwd'],
        idtyp: 'user',
      });
    } else {
      const oid = guidFrom(`app:${clientId}`);
      Object.assign(payload, { oid, sub: oid, roles: perms, idtyp: 'app' });
    }
    return this.sign(payload);
  }

  /**
   * The principal each Authorization header was verified as, by audience and header text, with its
   * token's expiry. A `$batch` carries one token for up to 20 sub-requests, each checked like a direct
   * call; the signature and payload of the same text under the same per-start secret cannot change, so
   * they are checked once (the HMAC was a third of the emulator's CPU in a 2,000-customer inventory,
   * BENCHMARKS.md "Emulator serving"; parsing the header and building the principal again for each
   * sub-request was visible too, "Inventory, sixth pass"). The lifetime is still checked on every use, and
   * another audience is verified on its own. Bounded: cleared when full.
   */
  private readonly principals = new Map<string, VerifiedPrincipal>();

  /** Checks a Bearer header; returns the principal or a reason for the 401. */
  public verify(header: string | undefined, expected: Audience): Principal | { error: string } {
    const key = header === undefined ? undefined : `${expected} ${header}`;
    const known = key === undefined ? undefined : this.principals.get(key);
    if (known !== undefined && known.expiresAtMs > Date.now()) {
      return known;
    }
    const result = this.verifyAnew(header, expected);
    if (key !== undefined && !('error' in result)) {
      if (this.principals.size >= 256) {
        this.principals.clear();
      }
      this.principals.set(key, result);
    }
    return result;
  }

  private verifyAnew(header: string | undefined, expected: Audience): VerifiedPrincipal | { error: string } {
    if (header === undefined || !/^Bearer\s+\S+/i.test(header)) {
      return { error: 'Access token is empty.' };
    }
    const token = header.replace(/^Bearer\s+/i, '').trim();
    const parts = token.split('.');
    if (parts.length !== 3) {
      return { error: 'Access token validation failure. Invalid audience or malformed token.' };
    }
    const want = createHmac('sha256', this.secret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2], 'base64url');
    if (got.length !== want.length || !timingSafeEqual(got, want)) {
      return { error: 'Access token validation failure: the signature is invalid.' };
    }
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return { error: 'Access token validation failure: the payload is not JSON.' };
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      return { error: 'Lifetime validation failed, the token is expired.' };
    }
    const aud = String(claims.aud);
    const audience: Audience | undefined = GRAPH_RESOURCES.includes(aud)
      ? 'graph'
      : aud === PARTNER_CENTER_RESOURCE
        ? 'partnerCenter'
        : undefined;
    if (audience !== expected) {
      return { error: `Access token validation failure. Invalid audience '${aud}'.` };
    }
    const kind = claims.idtyp === 'app' ? 'app' : 'user';
    const permissions = new Set(
      kind === 'app'
        ? ((claims.roles as string[] | undefined) ?? [])
        : (typeof claims.scp === 'string' ? claims.scp : '').split(' ').filter((s) => s !== ''),
    );
    const amr = Array.isArray(claims.amr) ? claims.amr.filter((x): x is string => typeof x === 'string') : [];
    return {
      kind,
      oid: String(claims.oid),
      upn: claims.upn as string | undefined,
      appId: String(claims.appid),
      permissions,
      audience,
      amr,
      expiresAtMs: claims.exp * 1000,
    };
  }

  private resolveScopes(raw: string | null, grant: 'app' | 'user'): ResolvedScopes | ApiResponse {
    const scopes = (raw ?? '').split(/\s+/).filter((s) => s !== '' && !OIDC_SCOPES.has(s.toLowerCase()));
    if (scopes.length === 0) {
      if (grant === 'app') {
        return oauthError(
          400,
          'invalid_scope',
          1002012,
          'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
        );
      }
      return { resource: GRAPH_RESOURCES[0], audience: 'graph', permissions: [DEFAULT_GRAPH_PERMISSION], isDefault: true };
    }
    let resource: string | undefined;
    const permissions: string[] = [];
    let isDefault = false;
    for (const s of scopes) {
      const cut = s.lastIndexOf('/');
      const res = cut > 8 ? s.slice(0, cut) : GRAPH_RESOURCES[0];
      const perm = cut > 8 ? s.slice(cut + 1) : s;
      if (resource !== undefined && res !== resource) {
        return oauthError(
          400,
          'invalid_scope',
          28000,
          'Provided value for the input parameter scope is not valid because it contains more than one resource.',
        );
      }
      resource = res;
      if (perm === '.default') {
        isDefault = true;
      } else {
        permissions.push(perm);
      }
    }
    const res = resource as string;
    const audience: Audience | undefined = GRAPH_RESOURCES.includes(res)
      ? 'graph'
      : res === PARTNER_CENTER_RESOURCE
        ? 'partnerCenter'
        : undefined;
    if (audience === undefined) {
      return oauthError(400, 'invalid_resource', 500011, `The resource principal named ${res} was not found in the tenant.`);
    }
    if (grant === 'app' && (!isDefault || permissions.length > 0)) {
      return oauthError(
        400,
        'invalid_scope',
        1002012,
        'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
      );
    }
    if (isDefault) {
      permissions.push(audience === 'graph' ? DEFAULT_GRAPH_PERMISSION : 'user_impersonation');
    }
    return { resource: res, audience, permissions: [...new Set(permissions)], isDefault };
  }

  private userTokenResponse(
    baseUrl: string,
    clientId: string,
    requestedScope: string,
    resolved: ResolvedScopes,
    mfa: boolean,
  ): ApiResponse {
    const access = this.issue(baseUrl, {
      mfa: mfa || !this.mfaStepUpRequired(),
      audience: resolved.audience,
      kind: 'user',
      permissions: resolved.audience === 'graph' ? resolved.permissions : ['user_impersonation'],
      clientId,
      resource: resolved.resource,
    });
    const now = Math.floor(Date.now() / 1000);
    // id_token claims consistent with the openid configuration: iss, aud = client id, tid, oid, no nonce.
    const idToken = this.sign({
      aud: clientId,
      iss: this.issuer(baseUrl),
      iat: now,
      nbf: now,
      exp: now + this.lifetimeSeconds,
      name: this.user.name,
      oid: this.user.oid,
      preferred_username: this.user.upn,
      sub: this.user.oid,
      tid: this.tenantId,
      ver: '2.0',
    });
    const refresh = `emu.rt.${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refresh, { clientId, oid: this.user.oid, mfa });
    return {
      status: 200,
      headers: {},
      body: {
        token_type: 'Bearer',
        scope: requestedScope.trim() === '' ? resolved.permissions.map((p) => `${resolved.resource}/${p}`).join(' ') : requestedScope,
        expires_in: this.lifetimeSeconds,
        ext_expires_in: this.lifetimeSeconds,
        access_token: access,
        refresh_token: refresh,
        id_token: idToken,
        client_info: b64url({ uid: this.user.oid, utid: this.tenantId }),
      },
    };
  }

  /**
   * GET /{tenant}/oauth2/v2.0/authorize: the user "approves" at once. The code goes back to the
   * loopback redirect URI with the state, in the query (default) or as an auto-submitting form
   * (`response_mode=form_post`, what msal-node asks for). Errors about the client or the redirect URI
   * are shown as a page, never redirected, like Entra does.
   */
  public authorize(query: URLSearchParams): AuthorizeOutcome {
    const clientId = query.get('client_id') ?? '';
    if (clientId === '') {
      return errorPage(400, 900144, "The request body must contain the following parameter: 'client_id'.");
    }
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!isLoopbackRedirectUri(redirectUri)) {
      return errorPage(
        400,
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application. Use a loopback http://localhost redirect URI.`,
      );
    }
    const responseMode = query.get('response_mode') ?? 'query';
    if (responseMode !== 'query' && responseMode !== 'form_post') {
      return errorPage(400, 900144, `The emulator supports response_mode query or form_post, not '${responseMode}'.`);
    }
    const state = query.get('state');
    const reply = (params: Record<string, string>): AuthorizeOutcome => {
      const all = state === null ? params : { ...params, state };
      if (responseMode === 'form_post') {
        const inputs = Object.entries(all)
          .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
          .join('');
        return {
          status: 200,
          headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
          html: `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="POST" name="hiddenform" action="${escapeHtml(redirectUri)}">${inputs}<noscript><input type="submit" value="Continue"></noscript></form></body></html>`,
        };
      }
      const target = new URL(redirectUri);
      for (const [k, v] of Object.entries(all)) {
        target.searchParams.set(k, v);
      }
      return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store' } };
    };
    const fail = (error: string, aadsts: number, description: string): AuthorizeOutcome =>
      reply({ error, error_description: `AADSTS${aadsts}: ${description}` });
    if ((query.get('response_type') ?? '') !== 'code') {
      return fail('unsupported_response_type', 70005, "The response_type must be 'code' for this application.");
    }
    const challenge = query.get('code_challenge') ?? '';
    const method = query.get('code_challenge_method') ?? 'plain';
    if (challenge === '' || method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return fail(
        'invalid_request',
        900144,
        'The emulator requires Proof Key for Code Exchange: a code_challenge with code_challenge_method S256.',
      );
    }
    const scope = query.get('scope') ?? '';
    const resolved = this.resolveScopes(scope, 'user');
    if ('status' in resolved) {
      const body = resolved.body as { error: string; error_description: string };
      return reply({ error: body.error, error_description: body.error_description });
    }
    const code = `emu.ac.${randomBytes(32).toString('base64url')}`;
    this.authCodes.set(code, {
      clientId,
      redirectUri,
      challenge,
      scope,
      mfa: claimsRequestMfa(query.get('claims')),
      expiresAt: Date.now() + AUTH_CODE_LIFETIME_MS,
    });
    this.rememberIssued({ code });
    return reply({ code, client_info: b64url({ uid: this.user.oid, utid: this.tenantId }), session_state: randomUuid() });
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode */
  public deviceCode(baseUrl: string, form: URLSearchParams): ApiResponse {
    const clientId = form.get('client_id') ?? '';
    if (clientId === '') {
      return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    }
    const resolved = this.resolveScopes(form.get('scope'), 'user');
    if ('status' in resolved) {
      return resolved;
    }
    const deviceCode = `emu.dc.${randomBytes(24).toString('base64url')}`;
    const userCode = randomBytes(5).toString('hex').toUpperCase().slice(0, 9);
    const expiresIn = 900;
    this.deviceCodes.set(deviceCode, {
      clientId,
      scopes: (form.get('scope') ?? '').split(' '),
      mfa: claimsRequestMfa(form.get('claims')),
      polls: 0,
      expiresAt: Date.now() + expiresIn * 1000,
    });
    const verificationUri = `${baseUrl}/devicelogin`;
    return {
      status: 200,
      headers: {},
      body: {
        user_code: userCode,
        device_code: deviceCode,
        verification_uri: verificationUri,
        expires_in: expiresIn,
        interval: this.pollIntervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${userCode} to authenticate. (GDAP emulator: the code is approved automatically after the first poll.)`,
      },
    };
  }

  /** POST /{tenant}/oauth2/v2.0/token */
  public token(baseUrl: string, form: URLSearchParams): ApiResponse {
    const grant = form.get('grant_type') ?? '';
    const clientId = form.get('client_id') ?? '';
    if (clientId === '') {
      return oauthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    }
    if (grant === 'client_credentials') {
      if ((form.get('client_secret') ?? '') === '') {
        return oauthError(
          401,
          'invalid_client',
          7000216,
          "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
        );
      }
      const resolved = this.resolveScopes(form.get('scope'), 'app');
      if ('status' in resolved) {
        return resolved;
      }
      const perms = resolved.audience === 'graph' ? [DEFAULT_GRAPH_PERMISSION] : [];
      return {
        status: 200,
        headers: {},
        body: {
          token_type: 'Bearer',
          expires_in: this.lifetimeSeconds,
          ext_expires_in: this.lifetimeSeconds,
          access_token: this.issue(baseUrl, {
            audience: resolved.audience,
            kind: 'app',
            permissions: perms,
            clientId,
            resource: resolved.resource,
          }),
        },
      };
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code' || grant === 'device_code') {
      const code = form.get('device_code') ?? form.get('code') ?? '';
      const entry = this.deviceCodes.get(code);
      if (entry === undefined || entry.clientId !== clientId) {
        return oauthError(400, 'invalid_grant', 70000, 'The provided value for the input parameter device_code is not valid.');
      }
      if (Date.now() > entry.expiresAt) {
        this.deviceCodes.delete(code);
        return oauthError(400, 'expired_token', 70020, 'The provided value for the input parameter device_code has expired.');
      }
      entry.polls++;
      if (entry.polls === 1) {
        return oauthError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
      }
      this.deviceCodes.delete(code);
      const scope = form.get('scope') ?? entry.scopes.join(' ');
      const resolved = this.resolveScopes(scope, 'user');
      if ('status' in resolved) {
        return resolved;
      }
      return this.userTokenResponse(baseUrl, clientId, scope, resolved, entry.mfa || claimsRequestMfa(form.get('claims')));
    }
    if (grant === 'authorization_code') {
      return this.redeemAuthCode(baseUrl, clientId, form);
    }
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const entry = this.refreshTokens.get(rt);
      if (entry === undefined || entry.clientId !== clientId) {
        return oauthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid (refresh token).');
      }
      const scope = form.get('scope') ?? '';
      const resolved = this.resolveScopes(scope, 'user');
      if ('status' in resolved) {
        return resolved;
      }
      return this.userTokenResponse(baseUrl, clientId, scope, resolved, entry.mfa || claimsRequestMfa(form.get('claims')));
    }
    return oauthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
  }

  /** The authorization_code grant: one use, same client and redirect URI, and the PKCE verifier must match. */
  private redeemAuthCode(baseUrl: string, clientId: string, form: URLSearchParams): ApiResponse {
    const code = form.get('code') ?? '';
    const entry = this.authCodes.get(code);
    if (entry === undefined) {
      return oauthError(
        400,
        'invalid_grant',
        54005,
        'OAuth2 Authorization code was already redeemed or is not valid. Please retry with a new valid code.',
      );
    }
    // Used up by any attempt, so a leaked code cannot be tried against many verifiers.
    this.authCodes.delete(code);
    if (Date.now() > entry.expiresAt) {
      return oauthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
    }
    if (entry.clientId !== clientId) {
      return oauthError(400, 'invalid_grant', 70000, 'The provided authorization code was issued to a different client.');
    }
    if ((form.get('redirect_uri') ?? '') !== entry.redirectUri) {
      return oauthError(400, 'invalid_grant', 70000, 'The redirect_uri does not match the one of the authorization request.');
    }
    const verifier = form.get('code_verifier') ?? '';
    const expected = createHash('sha256').update(verifier, 'ascii').digest();
    const got = Buffer.from(entry.challenge, 'base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || got.length !== expected.length || !timingSafeEqual(got, expected)) {
      return oauthError(
        400,
        'invalid_grant',
        501481,
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
      );
    }
    const scope = form.get('scope') ?? entry.scope;
    const resolved = this.resolveScopes(scope, 'user');
    if ('status' in resolved) {
      return resolved;
    }
    return this.userTokenResponse(baseUrl, clientId, scope, resolved, entry.mfa || claimsRequestMfa(form.get('claims')));
  }
}

/**
 * Serves `GET /{tenant}/oauth2/v2.0/authorize` when `r` is that route; false for any other request.
 * Kept here so the server registers the route with one line.
 */
export function serveAuthorize(tokens: TokenService, r: ApiRequest, res: http.ServerResponse): boolean {
  if (!/^\/[^/]+\/oauth2\/v2\.0\/authorize$/.test(r.path)) {
    return false;
  }
  const out: AuthorizeOutcome =
    r.method === 'GET' ? tokens.authorize(r.query) : errorPage(405, 900561, 'The endpoint only accepts GET requests.');
  if (!res.destroyed) {
    const headers = out.html === undefined ? out.headers : { ...out.headers, 'content-length': String(Buffer.byteLength(out.html)) };
    res.writeHead(out.status, headers);
    res.end(out.html);
  }
  return true;
}
