import * as vscode from 'vscode';
import { createDeviceCodeTokenProvider, type DeviceCodeTokenProvider } from '../../core/auth/deviceCodeTokenProvider';
import type { TokenAudience } from '../../core/auth/tokenProvider';
import { parseClaimsChallenge } from '../../core/http/claimsChallenge';
import type { ServiceEndpoints } from '../../core/http/clouds';
import type { HttpTransport } from '../../core/http/transport';
import { AUTH } from '../constants';
import type { Log } from '../ui/log';
import { groupNameScopes, parseScopes } from './scopes';

/** A session handed out, with what its token is asked for again (and the claims its sign-in sent). */
interface Held {
  readonly session: vscode.AuthenticationSession;
  readonly audience: TokenAudience;
  readonly key: string;
  readonly claims?: string;
}

/**
 * Authentication provider "GDAP Emulator": sessions come from the emulator's Entra token endpoints
 * through msal-node's device-code flow (core/auth), so the extension signs in through
 * `vscode.authentication.getSession` exactly as in production. Sessions live in memory only; the msal
 * cache is in memory too (the emulator issues throw-away tokens).
 */
export class EmulatorAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private readonly sources = new Map<string, DeviceCodeTokenProvider>();
  /** `claims`: the claims request a session's sign-in satisfied (sessions created from a challenge). */
  private sessions: Held[] = [];
  private counter = 0;

  constructor(
    private readonly endpoints: ServiceEndpoints,
    private readonly transport: HttpTransport,
    private readonly log: Log,
  ) {}

  async getSessions(scopes: readonly string[] | undefined): Promise<vscode.AuthenticationSession[]> {
    const wanted = scopes === undefined ? undefined : normalise(scopes);
    return this.withFreshTokens(this.sessions.filter((s) => wanted === undefined || normalise(s.session.scopes) === wanted));
  }

  /** The sessions with a token asked for now: msal refreshes silently from its cache, so none is stale. */
  private async withFreshTokens(matches: readonly Held[]): Promise<vscode.AuthenticationSession[]> {
    const result: vscode.AuthenticationSession[] = [];
    for (const m of matches) {
      const token = await this.sourceFor(m.key)
        .getToken(m.audience)
        .catch(() => undefined);
      if (token !== undefined) {
        result.push({ ...m.session, accessToken: token });
      }
    }
    return result;
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const { key, audience } = this.describe(scopes);
    const source = this.sourceFor(key);
    const accessToken = await source.getToken(audience);
    const actor = await source.getActor();
    const session: vscode.AuthenticationSession = {
      id: `gdap-emulator-${++this.counter}`,
      accessToken,
      account: { id: actor?.id ?? 'emulator-user', label: actor?.id ?? 'emulator user' },
      scopes: [...scopes],
    };
    this.sessions.push({ session, audience, key });
    this.changed.fire({ added: [session], removed: [], changed: [] });
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    const removed = this.sessions.filter((s) => s.session.id === sessionId);
    this.sessions = this.sessions.filter((s) => s.session.id !== sessionId);
    if (this.sessions.length === 0) {
      for (const source of this.sources.values()) {
        await source.signOut().catch(() => undefined);
      }
      this.sources.clear();
    }
    if (removed.length > 0) {
      this.changed.fire({ added: [], removed: removed.map((r) => r.session), changed: [] });
    }
  }

  /**
   * VS Code's challenge API (1.105+; registered with `supportsChallenges`): only sessions whose sign-in sent
   * the same claims satisfy a challenge; otherwise VS Code asks for a new one, the sign-in the challenge needs.
   */
  async getSessionsFromChallenges(constraint: ChallengeConstraint): Promise<vscode.AuthenticationSession[]> {
    const claims = claimsOf(constraint.challenges);
    const wanted = normalise(constraint.fallbackScopes ?? constraint.scopes ?? []);
    return this.withFreshTokens(
      this.sessions.filter((s) => claims !== undefined && s.claims === claims && normalise(s.session.scopes) === wanted),
    );
  }

  /**
   * A new session whose sign-in sends the challenge's claims (e.g. `amr` with `mfa` for Partner Center,
   * docs/emulator.md "Partner Center and MFA"); the emulator's token endpoint then issues `mfa` in `amr`.
   */
  async createSessionFromChallenges(constraint: ChallengeConstraint): Promise<vscode.AuthenticationSession> {
    const scopes = constraint.fallbackScopes ?? constraint.scopes ?? [];
    const claims = claimsOf(constraint.challenges);
    if (claims === undefined || scopes.length === 0) {
      throw new Error('The challenge carries no claims or no scopes to sign in for.');
    }
    const { key, audience } = this.describe(scopes);
    const source = this.sourceFor(key);
    await source.signIn(undefined, { audience, claims });
    const accessToken = await source.getToken(audience);
    const actor = await source.getActor();
    const session: vscode.AuthenticationSession = {
      id: `gdap-emulator-${++this.counter}`,
      accessToken,
      account: { id: actor?.id ?? 'emulator-user', label: actor?.id ?? 'emulator user' },
      scopes: [...scopes],
    };
    this.sessions.push({ session, audience, key, claims });
    this.changed.fire({ added: [session], removed: [], changed: [] });
    return session;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private describe(scopes: readonly string[]): { key: string; audience: TokenAudience } {
    const parsed = parseScopes(scopes);
    const audience: TokenAudience = parsed.resourceScopes.some((s) => s.startsWith(this.endpoints.partnerCenterResource))
      ? 'partnerCenter'
      : 'graph';
    const clientId = parsed.clientId ?? AUTH.emulatorClientId;
    const tenant = parsed.tenantId ?? AUTH.emulatorTenant;
    if (audience === 'partnerCenter') {
      // The Graph scopes do not matter for Partner Center: reuse the sign-in of the same app and tenant
      // (its refresh token gets the Partner Center token silently, as in production).
      const same = [...this.sources.keys()].find((k) => {
        const [c, t] = JSON.parse(k) as [string, string];
        return c === clientId && t === tenant;
      });
      if (same !== undefined) {
        return { key: same, audience };
      }
    }
    const readOnly = parsed.resourceScopes.some((s) => s.endsWith(`/${AUTH.graphRead}`));
    const groupNames = parsed.resourceScopes.some((s) => s.endsWith(`/${AUTH.graphGroupRead}`));
    return { key: JSON.stringify([clientId, tenant, readOnly, groupNames]), audience };
  }

  private sourceFor(key: string): DeviceCodeTokenProvider {
    let source = this.sources.get(key);
    if (source === undefined) {
      const [clientId, tenant, readOnly, groupNames] = JSON.parse(key) as [string, string, boolean, boolean];
      source = createDeviceCodeTokenProvider({
        endpoints: this.endpoints,
        transport: this.transport,
        clientId,
        tenant: tenant === AUTH.defaultTenant ? AUTH.emulatorTenant : tenant,
        readOnly,
        // The session's scopes decide the token's: GroupMember.Read.All only when the session asked for it.
        extraGraphScopes: groupNameScopes({ endpoints: this.endpoints, resolveGroupNames: groupNames }),
        // The emulator approves the code by itself after one poll; nothing for the user to do.
        onDeviceCode: () => this.log.info('Emulator sign-in: device code issued; the emulator approves it automatically.'),
        log: (e) => this.log.request(e),
        msalLog: (m) => this.log.info(`msal: ${m}`),
      });
      this.sources.set(key, source);
    }
    return source;
  }
}

/** The provider side of VS Code's challenge API (1.105+), which the types this extension builds against predate. */
export interface ChallengeConstraint {
  readonly challenges: readonly { readonly scheme: string; readonly params: Readonly<Record<string, string>> }[];
  readonly fallbackScopes?: readonly string[];
  /** The name of `fallbackScopes` in earlier VS Code builds. */
  readonly scopes?: readonly string[];
}

/** The decoded claims of the first Bearer challenge with `insufficient_claims`. */
function claimsOf(challenges: ChallengeConstraint['challenges']): string | undefined {
  for (const c of challenges) {
    if (c.scheme.toLowerCase() === 'bearer' && c.params.claims !== undefined) {
      const header = `Bearer error="${c.params.error ?? 'insufficient_claims'}", claims="${c.params.claims}"`;
      const parsed = parseClaimsChallenge(header);
      if (parsed !== undefined) {
        return parsed.claims;
      }
    }
  }
  return undefined;
}

function normalise(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}
