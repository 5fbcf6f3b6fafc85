import * as vscode from 'vscode';
import {
  createDeviceCodeTokenProvider,
  type DeviceCodePrompt,
  type DeviceCodeTokenProvider,
} from '../../core/auth/deviceCodeTokenProvider';
import type { TokenCacheStore } from '../../core/auth/tokenCacheStore';
import type { Actor, TokenAudience, TokenProvider, TokenRequestOptions } from '../../core/auth/tokenProvider';
import type { ServiceEndpoints } from '../../core/http/clouds';
import { claimsChallengeMessage } from '../../core/http/claimsChallenge';
import { GdapError, type ClaimsChallenge } from '../../core/http/gdapError';
import type { HttpTransport } from '../../core/http/transport';
import { l10nTranslate } from '../commands/mutationProgress';
import { AUTH, STORAGE_KEYS, type AuthState } from '../constants';
import type { GdapSettings } from '../settings';
import type { Log } from '../ui/log';
import type { PromptHolder } from '../ui/promptLayer';
import { groupNameScopes, scopesFor } from './scopes';
import type { SessionSource } from './sessionSource';

const SESSION_CHANGE_DEBOUNCE_MS = 500;

export interface AuthServiceOptions {
  readonly settings: () => GdapSettings;
  readonly endpoints: () => ServiceEndpoints;
  readonly transport: () => HttpTransport;
  /** Provider-backed sessions (VS Code's microsoft provider, or our emulator provider). */
  readonly sessions: () => SessionSource;
  readonly emulator: boolean;
  readonly secrets: vscode.SecretStorage;
  readonly log: Log;
  readonly prompts: PromptHolder;
}

/**
 * The token service. Implements core's TokenProvider over VS Code
 * sessions: silent by default, interactive only from `signIn()` (a user action). Tokens are consumed
 * per request and never stored by us; only the account is remembered for this window.
 */
export class AuthService implements TokenProvider, vscode.Disposable {
  private readonly stateEmitter = new vscode.EventEmitter<AuthState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires once (debounced) when our sessions changed outside our own sign-in. */
  readonly onDidChangeSessions = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private currentState: AuthState = 'checking';
  private account: vscode.AuthenticationSessionAccountInformation | undefined;
  private deviceCode: DeviceCodeTokenProvider | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private rechecking = false;
  /**
   * Bumped by everything that starts sign-in over (sign-in, sign-out, a settings reset, a new session
   * source): a re-check begun before it is stale, so its result is dropped instead of applied.
   */
  private epoch = 0;
  private readonly busyEmitter = new vscode.EventEmitter<void>();
  /** Fires when `busy` changes. */
  readonly onDidChangeBusy = this.busyEmitter.event;
  private signingIn = false;
  /** The last claims challenge a service answered with (docs/api-notes.md §15.6), until a sign-in answers it. */
  private challenge: { readonly audience: TokenAudience; readonly challenge: ClaimsChallenge } | undefined;
  /** Commands running that offer the claims sign-in themselves (Remove DAP): no second message meanwhile. */
  private challengeHandlers = 0;

  constructor(private readonly options: AuthServiceOptions) {
    this.disposables.push(
      this.stateEmitter,
      this.changeEmitter,
      this.busyEmitter,
      vscode.authentication.onDidChangeSessions((e) => {
        // Only our provider, and not the change our own sign-in just caused.
        if (e.provider.id === this.sessionSource().providerId && !this.signingIn) {
          this.scheduleSessionChange();
        }
      }),
    );
  }

  get state(): AuthState {
    return this.currentState;
  }

  get accountLabel(): string | undefined {
    return this.account?.label;
  }

  /**
   * True from a session change seen outside our own sign-in until the re-check it causes has run and
   * `onDidChangeSessions` has fired (the tree counts this as loading: a reload is about to start).
   */
  get busy(): boolean {
    return this.debounce !== undefined || this.rechecking;
  }

  /** Silent sign-in at start: no prompt, no consent. Resolves with the new state. */
  async initialise(): Promise<AuthState> {
    return this.check(this.epoch);
  }

  /**
   * The silent check behind `initialise()`. Settings, scopes and the session source are read now, not
   * when the check was scheduled; when `epoch` is stale by the time it resolves, nothing is applied.
   */
  private async check(epoch: number): Promise<AuthState> {
    const apply = (state: AuthState, account?: vscode.AuthenticationSessionAccountInformation): AuthState => {
      if (epoch !== this.epoch) {
        return this.currentState;
      }
      if (account !== undefined) {
        this.account = account;
      }
      return this.setState(state);
    };
    if (this.needsAppRegistration()) {
      return apply('noAppRegistration');
    }
    try {
      if (this.usesDeviceCode()) {
        const actor = await this.deviceCodeProvider(false).getActor();
        const token =
          actor === undefined
            ? undefined
            : await this.deviceCodeProvider(false)
                .getToken('graph')
                .catch(() => undefined);
        if (token !== undefined && actor !== undefined) {
          return apply('signedIn', { id: actor.id, label: actor.label });
        }
        return apply('signedOut');
      }
      const session = await this.sessionSource().getSession(this.scopes('graph'), { interactive: false });
      if (session === undefined) {
        return apply('signedOut');
      }
      return apply('signedIn', session.account);
    } catch (e) {
      this.options.log.warn(`Silent sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
      return apply('signedOut');
    }
  }

  /** Interactive sign-in (user gesture). Throws on failure; the caller funnels the error. */
  async signIn(): Promise<void> {
    if (this.needsAppRegistration()) {
      this.setState('noAppRegistration');
      return;
    }
    // A user action: a re-check scheduled by an earlier session change no longer applies.
    this.supersedePendingChange();
    this.signingIn = true;
    try {
      if (this.usesDeviceCode()) {
        const actor = await this.deviceCodeProvider(true).signIn();
        this.account = { id: actor.id, label: actor.label };
      } else {
        const graph = await this.sessionSource().getSession(this.scopes('graph'), { interactive: true });
        if (graph === undefined) {
          throw new GdapError({ kind: 'cancelled', message: vscode.l10n.t('Sign-in was cancelled.') });
        }
        this.account = graph.account;
        // Consent to the Partner Center scope now, with the same account, while the user is here.
        await this.sessionSource().getSession(this.scopes('partnerCenter'), { interactive: true, account: graph.account });
      }
      this.options.log.info(`Signed in as ${this.account.label}`);
      this.setState('signedIn');
    } catch (e) {
      const cancelled = typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'cancelled';
      this.setState(cancelled ? (this.account === undefined ? 'signedOut' : 'signedIn') : 'signInFailed');
      throw e;
    } finally {
      this.signingIn = false;
    }
  }

  /** Forgets the account for this extension (VS Code keeps its accounts; the Accounts menu removes them). */
  async signOut(): Promise<void> {
    // A pending re-check would sign this extension straight back in from VS Code's sessions.
    this.supersedePendingChange();
    this.account = undefined;
    this.challenge = undefined;
    if (this.deviceCode !== undefined) {
      await this.deviceCode.signOut().catch(() => undefined);
      this.deviceCode = undefined;
    }
    await this.options.secrets.delete(STORAGE_KEYS.msalCache);
    this.setState(this.needsAppRegistration() ? 'noAppRegistration' : 'signedOut');
  }

  /** Settings that steer sign-in changed: start over silently. */
  async reset(): Promise<AuthState> {
    // The re-check below reads the new settings; one scheduled before them would ask with the old scopes.
    this.supersedePendingChange();
    this.account = undefined;
    this.deviceCode = undefined;
    return this.initialise();
  }

  async getToken(audience: TokenAudience, request?: TokenRequestOptions): Promise<string> {
    if (this.currentState !== 'signedIn') {
      throw new GdapError({ kind: 'auth', message: vscode.l10n.t('You are not signed in. Sign in to continue.') });
    }
    if (this.usesDeviceCode()) {
      return this.deviceCodeProvider(false).getToken(audience, request);
    }
    // getSession before each call: the provider refreshes; a 401 retry (forceRefresh) asks again silently.
    const session = await this.sessionSource().getSession(this.scopes(audience), { interactive: false, account: this.account });
    if (session === undefined) {
      throw new GdapError({
        kind: 'auth',
        message:
          audience === 'partnerCenter'
            ? vscode.l10n.t('Partner Center access has not been granted yet. Sign in again to consent.')
            : vscode.l10n.t('Your sign-in expired. Sign in again.'),
      });
    }
    return session.accessToken;
  }

  /**
   * A service refused our token with a claims challenge (core calls this; docs/api-notes.md §15.6). Logged
   * without the claims; the first one is offered as a "Sign In with MFA" message unless a running command
   * offers it itself.
   */
  noteClaimsChallenge(audience: TokenAudience, challenge: ClaimsChallenge): void {
    const first = this.challenge === undefined;
    this.challenge = { audience, challenge };
    if (first) {
      this.options.log.warn(
        `${audience === 'partnerCenter' ? 'Partner Center' : 'Microsoft Graph'} answered with a claims challenge (${challenge.mfa ? 'multi-factor authentication' : 'other claims'}); a new sign-in that satisfies it is needed.`,
      );
      if (this.challengeHandlers === 0) {
        void this.offerClaimsSignIn(true).catch((e: unknown) => this.options.log.warn(`Sign-in with MFA failed: ${errorText(e)}`));
      }
    }
  }

  /** Whether a claims challenge waits for a sign-in (for `audience`, when given). */
  hasPendingClaimsChallenge(audience?: TokenAudience): boolean {
    return this.challenge !== undefined && (audience === undefined || this.challenge.audience === audience);
  }

  /** Forgets a noted claims challenge (a command about to read again learns afresh whether it still applies). */
  forgetClaimsChallenge(): void {
    this.challenge = undefined;
  }

  /** Runs `work` (a command that offers the claims sign-in itself) without the general message. */
  async handlingClaimsChallenges<T>(work: () => Promise<T>): Promise<T> {
    this.challengeHandlers++;
    try {
      return await work();
    } finally {
      this.challengeHandlers--;
    }
  }

  /**
   * The dedicated message for a pending claims challenge, with "Sign In with MFA". Resolves true when the user
   * signed in with the claims; `reload` then tells the listeners of `onDidChangeSessions` (the tree re-reads).
   */
  async offerClaimsSignIn(reload: boolean): Promise<boolean> {
    const noted = this.challenge;
    if (noted === undefined) {
      return false;
    }
    const m = claimsChallengeMessage(noted.audience, noted.challenge);
    const button = vscode.l10n.t('Sign In with MFA');
    const choice = await this.options.prompts.current.notify('warning', l10nTranslate(m.template, ...m.args), button);
    if (choice !== button) {
      return false;
    }
    await this.signInWithClaims();
    if (reload) {
      this.changeEmitter.fire();
    }
    return true;
  }

  /**
   * Interactive sign-in that sends the pending challenge's claims (user gesture): msal-node's device code with
   * `claims`, or the session provider with the WWW-Authenticate challenge. The next token for that service
   * comes from this sign-in. Throws on failure; the challenge stays pending then.
   */
  async signInWithClaims(): Promise<void> {
    const noted = this.challenge;
    if (noted === undefined) {
      return;
    }
    this.supersedePendingChange();
    this.signingIn = true;
    try {
      if (this.usesDeviceCode()) {
        await this.deviceCodeProvider(true).signIn(undefined, { audience: noted.audience, claims: noted.challenge.claims });
      } else {
        const source = this.sessionSource();
        const request = { scopes: this.scopes(noted.audience), wwwAuthenticate: noted.challenge.wwwAuthenticate, account: this.account };
        const session =
          source.getSessionForChallenge !== undefined
            ? await source.getSessionForChallenge(request)
            : await source.getSession(request.scopes, { interactive: true, account: this.account });
        if (session === undefined) {
          throw new GdapError({ kind: 'cancelled', message: vscode.l10n.t('Sign-in was cancelled.') });
        }
      }
      this.challenge = undefined;
      this.options.log.info(
        `Signed in again for ${noted.audience === 'partnerCenter' ? 'Partner Center' : 'Microsoft Graph'} with the claims it asked for.`,
      );
    } finally {
      this.signingIn = false;
    }
  }

  /**
   * Sessions now come from another source (the test API swaps it): a session change seen on the old
   * one says nothing about the new one, so a re-check it scheduled is dropped.
   */
  sessionSourceChanged(): void {
    this.supersedePendingChange();
  }

  getActor(): Promise<Actor | undefined> {
    const a = this.account;
    return Promise.resolve(a === undefined ? undefined : { kind: 'user', id: a.label, label: a.label });
  }

  dispose(): void {
    if (this.debounce !== undefined) {
      clearTimeout(this.debounce);
    }
    for (const d of this.disposables) {
      d.dispose();
    }
  }

  private scheduleSessionChange(): void {
    const wasBusy = this.busy;
    if (this.debounce !== undefined) {
      clearTimeout(this.debounce);
    }
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.rechecking = true;
      const epoch = this.epoch;
      void this.check(epoch)
        .then(() => {
          // Superseded meanwhile (sign-out, settings reset, new source): whoever did that reloads.
          if (epoch === this.epoch) {
            this.changeEmitter.fire();
          }
        })
        .finally(() => {
          // After the listeners ran: the reload they started is tracked by then.
          this.rechecking = false;
          this.busyEmitter.fire();
        });
    }, SESSION_CHANGE_DEBOUNCE_MS);
    if (!wasBusy) {
      this.busyEmitter.fire();
    }
  }

  /** Drops a scheduled session-change re-check and makes one in flight stale. */
  private supersedePendingChange(): void {
    this.epoch++;
    if (this.debounce !== undefined) {
      clearTimeout(this.debounce);
      this.debounce = undefined;
      if (!this.rechecking) {
        this.busyEmitter.fire();
      }
    }
  }

  private setState(state: AuthState): AuthState {
    if (state !== this.currentState) {
      this.currentState = state;
      this.stateEmitter.fire(state);
    }
    return state;
  }

  private needsAppRegistration(): boolean {
    return !this.options.emulator && this.options.settings().clientId === '';
  }

  private usesDeviceCode(): boolean {
    return !this.options.emulator && this.options.settings().useDeviceCode;
  }

  private sessionSource(): SessionSource {
    return this.options.sessions();
  }

  private scopes(audience: TokenAudience): string[] {
    const s = this.options.settings();
    return scopesFor(audience, {
      clientId: s.clientId || AUTH.emulatorClientId,
      tenantId: s.tenantId || (this.options.emulator ? AUTH.emulatorTenant : AUTH.defaultTenant),
      readOnly: s.readOnly,
      endpoints: this.options.endpoints(),
      resolveGroupNames: s.resolveGroupNames,
    });
  }

  private deviceCodeProvider(interactive: boolean): DeviceCodeTokenProvider {
    // msal-node itself is loaded by core/auth on first use only (lean activation).
    if (this.deviceCode === undefined || interactive) {
      const s = this.options.settings();
      this.deviceCode = createDeviceCodeTokenProvider({
        endpoints: this.options.endpoints(),
        transport: this.options.transport(),
        clientId: s.clientId,
        tenant: s.tenantId || AUTH.defaultTenant,
        readOnly: s.readOnly,
        extraGraphScopes: groupNameScopes({ endpoints: this.options.endpoints(), resolveGroupNames: s.resolveGroupNames }),
        interactive,
        cache: secretCache(this.options.secrets),
        onDeviceCode: (p) => this.showDeviceCode(p),
        log: (e) => this.options.log.request(e),
        msalLog: (m) => this.options.log.info(`msal: ${m}`),
      });
    }
    return this.deviceCode;
  }

  /** The code is shown, never logged. */
  private showDeviceCode(prompt: DeviceCodePrompt): void {
    const copy = vscode.l10n.t('Copy Code and Open Browser');
    void this.options.prompts.current
      .notify('info', vscode.l10n.t('To sign in, open {0} and enter the code {1}.', prompt.verificationUri, prompt.userCode), copy)
      .then(async (choice) => {
        if (choice === copy) {
          await vscode.env.clipboard.writeText(prompt.userCode);
          await vscode.env.openExternal(vscode.Uri.parse(prompt.verificationUri));
        }
      });
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** msal's cache (refresh tokens) in SecretStorage, the only place we keep token material. */
function secretCache(secrets: vscode.SecretStorage): TokenCacheStore {
  return {
    load: async () => (await secrets.get(STORAGE_KEYS.msalCache)) ?? undefined,
    save: (text) => Promise.resolve(secrets.store(STORAGE_KEYS.msalCache, text)),
  };
}
