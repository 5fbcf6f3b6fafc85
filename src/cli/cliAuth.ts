import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { createClientCredentialsTokenProvider } from '../core/auth/clientCredentialsTokenProvider';
import { createCompositeTokenProvider } from '../core/auth/compositeTokenProvider';
import { createDeviceCodeTokenProvider, type DeviceCodePrompt } from '../core/auth/deviceCodeTokenProvider';
import { createInteractiveTokenProvider } from '../core/auth/interactiveTokenProvider';
import { createStaticTokenProvider, staticTokensFromEnv } from '../core/auth/staticTokenProvider';
import { createFileTokenCacheStore } from '../core/auth/tokenCacheStore';
import type { UserTokenProvider } from '../core/auth/msalUserSession';
import type { Actor, TokenAudience, TokenProvider } from '../core/auth/tokenProvider';
import type { ServiceEndpoints } from '../core/http/clouds';
import { GdapError, type ClaimsChallenge } from '../core/http/gdapError';
import type { RequestLogger } from '../core/http/requestLog';
import type { HttpTransport } from '../core/http/transport';
import type { GlobalOptions } from './args';

/** Client id and secret the CLI presents to the emulator when signing in to it (the emulator accepts any). */
export const EMULATOR_CLIENT_ID = 'e0e0e0e0-0000-4000-8000-00000000c11a';
export const EMULATOR_CLIENT_SECRET = 'emulator-client-secret';
/** Tenant in the emulator's authority when --tenant is not given (the emulator serves any tenant path; client credentials need a concrete one). */
export const EMULATOR_DEFAULT_TENANT = '00000000-0000-4000-8000-00000000e301';

export type AuthMethod = 'envTokens' | 'browser' | 'deviceCode' | 'clientCredentials' | 'emulatorSignIn';

export interface CliAuth {
  readonly method: AuthMethod;
  readonly tokens: TokenProvider;
  /** The principal behind one audience's tokens, for the journal. */
  actorFor(audience: TokenAudience): Promise<Actor | undefined>;
  /** The last claims challenge a service answered this run's tokens with (docs/api-notes.md §15.6), if any. */
  pendingClaimsChallenge?(): NotedChallenge | undefined;
  /** Forgets the noted challenge (after the sign-in that answers it). */
  clearClaimsChallenge?(): void;
  /**
   * Signs in again for `audience` asking for `claims` (e.g. MFA), with the method's own flow (browser or
   * device code). Absent where the method cannot (tokens from the environment, client credentials).
   */
  stepUp?(audience: TokenAudience, claims: string, signal?: AbortSignal): Promise<void>;
}

export interface NotedChallenge {
  readonly audience: TokenAudience;
  readonly challenge: ClaimsChallenge;
}

/** `auth` whose tokens remember the claims challenges the services answer with, and `stepUp` when `signIn` exists. */
function withChallenges(
  auth: Pick<CliAuth, 'method' | 'tokens' | 'actorFor'>,
  signIn?: (audience: TokenAudience) => UserTokenProvider,
): CliAuth {
  let noted: NotedChallenge | undefined;
  const inner = auth.tokens;
  const tokens: TokenProvider = {
    getToken: (audience, options) => inner.getToken(audience, options),
    getActor: () => inner.getActor(),
    noteClaimsChallenge: (audience, challenge) => {
      noted = { audience, challenge };
      inner.noteClaimsChallenge?.(audience, challenge);
    },
  };
  return {
    ...auth,
    tokens,
    pendingClaimsChallenge: () => noted,
    clearClaimsChallenge: () => {
      noted = undefined;
    },
    ...(signIn !== undefined
      ? {
          stepUp: async (audience: TokenAudience, claims: string, signal?: AbortSignal): Promise<void> => {
            await signIn(audience).signIn(signal, { audience, claims });
          },
        }
      : {}),
  };
}

export interface CliAuthOptions {
  readonly global: GlobalOptions;
  readonly env: NodeJS.ProcessEnv;
  readonly endpoints: ServiceEndpoints;
  readonly transport: HttpTransport;
  readonly stateDir: string;
  /** Shows a device-code prompt (stderr). */
  readonly showDeviceCode: (prompt: DeviceCodePrompt, emulator: boolean) => void;
  /**
   * Opens the browser sign-in page. Default: the system browser ({@link openSystemBrowser}); when none
   * can be started, `showSignInUrl` prints the link instead.
   */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** Shows the browser sign-in link when no browser could be opened (stderr). */
  readonly showSignInUrl: (url: string) => void;
  readonly log?: RequestLogger;
  readonly msalLog?: (message: string) => void;
}

/** One msal cache file per cloud/authority, tenant and app, so switching between them never mixes accounts. */
export function tokenCacheFile(stateDir: string, endpoints: ServiceEndpoints, tenant: string, clientId: string): string {
  const key = createHash('sha256')
    .update(`${endpoints.loginHost}|${tenant.toLowerCase()}|${clientId.toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(stateDir, `msal-cache-${key}.json`);
}

/** The command that hands a URL to the desktop's default browser, per platform. */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === 'darwin') {
    return { command: 'open', args: [url] };
  }
  if (platform === 'win32') {
    // `start` is a cmd built-in; the empty title keeps a quoted URL from becoming the window title,
    // and `^&` keeps cmd from splitting the query string.
    return { command: 'cmd', args: ['/d', '/s', '/c', `start "" "${url.replace(/&/g, '^&')}"`] };
  }
  return { command: 'xdg-open', args: [url] };
}

/**
 * Opens `url` in the system browser (xdg-open / open / start). When the opener is missing or fails
 * (no desktop, SSH session), `fallback` gets the URL so the user can open it on any browser of this
 * machine: the redirect goes to a port on localhost, so that browser must run here.
 */
export async function openSystemBrowser(
  url: string,
  fallback: (url: string) => void,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  const { command, args } = browserCommand(url, platform);
  // Loaded here: child_process (and the dgram module it loads) is ≈ 1 ms that no other command needs.
  const { spawn } = await import('node:child_process');
  return new Promise<void>((resolve) => {
    let settled = false;
    const done = (ok: boolean): void => {
      if (!settled) {
        settled = true;
        if (!ok) {
          fallback(url);
        }
        resolve();
      }
    };
    try {
      const child = spawn(command, args, { stdio: 'ignore', detached: platform !== 'win32', windowsVerbatimArguments: true });
      child.on('error', () => done(false));
      child.on('exit', (code) => done(code === 0));
      child.unref();
    } catch {
      done(false);
    }
  });
}

/**
 * Picks the token source by the documented precedence (first match wins): env tokens; device code;
 * client credentials (a secret in the environment); browser sign-in; emulator sign-in. Nothing here
 * sends a request.
 */
export function createCliAuth(options: CliAuthOptions): CliAuth {
  const { global, env, endpoints, transport } = options;
  const envTokens = staticTokensFromEnv(env);
  if (envTokens !== undefined) {
    const tokens = createStaticTokenProvider(envTokens);
    return withChallenges({ method: 'envTokens', tokens, actorFor: () => tokens.getActor() });
  }
  const common = { endpoints, transport, log: options.log, msalLog: options.msalLog };
  if (global.deviceCode && global.clientId !== undefined && global.tenant !== undefined) {
    const tokens = createDeviceCodeTokenProvider({
      ...common,
      tenant: global.tenant,
      clientId: global.clientId,
      cache: createFileTokenCacheStore(tokenCacheFile(options.stateDir, endpoints, global.tenant, global.clientId)),
      onDeviceCode: (prompt) => options.showDeviceCode(prompt, false),
    });
    return withChallenges({ method: 'deviceCode', tokens, actorFor: () => tokens.getActor() }, () => tokens);
  }
  if (global.clientId !== undefined && global.tenant !== undefined) {
    const secret = env.GDAP_CLIENT_SECRET;
    if (secret === undefined || secret === '') {
      // The default interactive sign-in: authorization code + PKCE in the browser, loopback redirect.
      const tokens = createInteractiveTokenProvider({
        ...common,
        tenant: global.tenant,
        clientId: global.clientId,
        cache: createFileTokenCacheStore(tokenCacheFile(options.stateDir, endpoints, global.tenant, global.clientId)),
        openBrowser: options.openBrowser ?? ((url) => openSystemBrowser(url, options.showSignInUrl)),
      });
      return withChallenges({ method: 'browser', tokens, actorFor: () => tokens.getActor() }, () => tokens);
    }
    const tokens = createClientCredentialsTokenProvider({
      ...common,
      tenant: global.tenant,
      clientId: global.clientId,
      clientSecret: secret,
    });
    return withChallenges({ method: 'clientCredentials', tokens, actorFor: () => tokens.getActor() });
  }
  if (endpoints.emulator !== undefined) {
    const tenant = global.tenant ?? EMULATOR_DEFAULT_TENANT;
    // The emulator's own token endpoints, through msal-node like a real sign-in: app-only for Graph;
    // Partner Center's remove-DAP needs a user, so a device-code user for it (the emulator approves
    // the code by itself). The cache stays in memory: emulator tokens are never written to disk.
    const user = createDeviceCodeTokenProvider({
      ...common,
      tenant,
      clientId: EMULATOR_CLIENT_ID,
      onDeviceCode: (prompt) => options.showDeviceCode(prompt, true),
    });
    const tokens = createCompositeTokenProvider({
      graph: createClientCredentialsTokenProvider({
        ...common,
        tenant,
        clientId: EMULATOR_CLIENT_ID,
        clientSecret: EMULATOR_CLIENT_SECRET,
      }),
      partnerCenter: user,
    });
    // Only the Partner Center user can step up; Graph is app-only here.
    return withChallenges({ method: 'emulatorSignIn', tokens, actorFor: (audience) => tokens.getActorFor(audience) }, () => user);
  }
  throw new GdapError({
    kind: 'auth',
    message:
      'No credentials: pass --client-id ID --tenant TENANT to sign in in the browser (add --device-code where no browser can reach this machine), or set GDAP_GRAPH_TOKEN (and GDAP_PARTNER_CENTER_TOKEN).',
  });
}
