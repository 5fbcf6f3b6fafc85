import { gdapErrorOf } from '../http/gdapError';
import { msg } from '../messages';
import type { MsalAccountInfo, MsalPublicClientApplication } from './msalLoader';
import { createUserTokenProvider, type UserSignInOptions, type UserTokenProvider } from './msalUserSession';

/** What the user must do to finish a device-code sign-in. Shown to the user, never logged. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The service's full sentence ("To sign in, use a web browser to open … and enter the code …"). */
  readonly message: string;
  readonly expiresInSeconds: number;
}

export interface DeviceCodeOptions extends UserSignInOptions {
  /** Displays the prompt (CLI: stderr; extension: a notification with a copy button). */
  readonly onDeviceCode: (prompt: DeviceCodePrompt) => void;
}

/** Device-code sign-in now (even when a cached account exists), cached tokens after. */
export type DeviceCodeTokenProvider = UserTokenProvider;

/**
 * User tokens through msal-node's device-code flow (public client). The first token is obtained
 * interactively; later ones, including the Partner Center scope, silently from the cached refresh
 * token (docs/architecture.md §5).
 */
export function createDeviceCodeTokenProvider(options: DeviceCodeOptions): DeviceCodeTokenProvider {
  return createUserTokenProvider(options, {
    label: msg('Sign-in (device code)'),
    notSignedIn: msg('You are not signed in (or the sign-in expired). Sign in again with the device code.'),
    acquire: (client, scopes, signal, claims) => deviceCode(options, client, scopes, signal, claims),
  });
}

async function deviceCode(
  options: DeviceCodeOptions,
  client: MsalPublicClientApplication,
  scopes: string[],
  signal?: AbortSignal,
  claims?: string,
): Promise<MsalAccountInfo> {
  const request = {
    scopes,
    // A claims challenge's request (e.g. MFA): sent with the device code and the token polls.
    ...(claims !== undefined ? { claims } : {}),
    deviceCodeCallback: (response: { userCode: string; verificationUri: string; message: string; expiresIn: number }): void => {
      options.onDeviceCode({
        userCode: response.userCode,
        verificationUri: response.verificationUri,
        message: response.message,
        expiresInSeconds: response.expiresIn,
      });
    },
    cancel: false,
  };
  // msal polls until `cancel` turns true; an aborted signal ends the wait.
  const onAbort = (): void => {
    request.cancel = true;
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await client.acquireTokenByDeviceCode(request);
    if (result?.account == null) {
      throw gdapErrorOf('auth', msg('Sign-in returned no account.'));
    }
    return result.account;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
