// Sign-in for in-host tests and the in-host benchmark. VS Code refuses consent prompts in test mode, so
// sessions come straight from the extension's "GDAP Emulator" provider; the UI suite covers the consent
// dialog and vscode.authentication.getSession.
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../../src/extension/api';
import { parseBearerParams } from '../../../src/core/http/claimsChallenge';
import type { ChallengeConstraint } from '../../../src/extension/auth/emulatorAuthProvider';
import type { SessionSource } from '../../../src/extension/auth/sessionSource';
import { treeIdle } from './vscodeHelpers';

const EMULATOR_PROVIDER_ID = 'gdap-emulator';

/** Session source on the emulator provider; `drop` removes scopes, `seen` records what was asked. */
export function emulatorSessions(
  api: GdapExplorerApi,
  seen: string[][] = [],
  drop: (scope: string) => boolean = () => false,
): SessionSource {
  const provider = api.emulatorAuthProvider;
  if (provider === undefined) {
    throw new Error('the GDAP Emulator authentication provider is not registered (is GDAP_EMULATOR_URL set?)');
  }
  return {
    providerId: EMULATOR_PROVIDER_ID,
    async getSession(scopes) {
      seen.push([...scopes]);
      const kept = scopes.filter((x) => !drop(x));
      const existing = await provider.getSessions(kept, {});
      return existing[0] ?? (await provider.createSession(kept, {}));
    },
    // As VS Code's challenge API does: the header parsed into challenges, handed to the provider.
    async getSessionForChallenge(request) {
      seen.push([...request.scopes]);
      const withChallenges = provider as vscode.AuthenticationProvider & {
        createSessionFromChallenges?(constraint: ChallengeConstraint, options: object): Thenable<vscode.AuthenticationSession>;
      };
      if (withChallenges.createSessionFromChallenges === undefined) {
        throw new Error('the GDAP Emulator provider does not take challenges');
      }
      const params = parseBearerParams(request.wwwAuthenticate) ?? {};
      return withChallenges.createSessionFromChallenges({ challenges: [{ scheme: 'Bearer', params }], fallbackScopes: request.scopes }, {});
    },
  };
}

/** Signs the extension in through the emulator provider, unless it already is; throws when it cannot. */
export async function signInWithEmulator(api: GdapExplorerApi): Promise<void> {
  if (api.authState() === 'signedIn') {
    return;
  }
  api.setSessionSource(emulatorSessions(api));
  await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
  if (api.authState() !== 'signedIn') {
    throw new Error(`sign-in through the emulator provider failed: ${api.authState()}`);
  }
}

/**
 * Runs `action` (a sign-in) and resolves when every session the emulator provider created meanwhile
 * has reached the extension as a `vscode.authentication.onDidChangeSessions` event (VS Code delivers it
 * through the main process, after the sign-in returned) and the re-check and reload the extension
 * scheduled for it have finished (the tree's idle signal covers both). Without this, that late re-check
 * runs inside the next test, with that test's session source and settings.
 */
export async function settledSessionChanges(api: GdapExplorerApi, action: () => Thenable<unknown>, timeoutMs = 30_000): Promise<void> {
  const provider = api.emulatorAuthProvider;
  if (provider === undefined) {
    throw new Error('the GDAP Emulator authentication provider is not registered (is GDAP_EMULATOR_URL set?)');
  }
  let created = 0;
  let delivered = 0;
  let caughtUp: (() => void) | undefined;
  const subs = [
    provider.onDidChangeSessions(() => {
      created++;
    }),
    vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === EMULATOR_PROVIDER_ID) {
        delivered++;
        if (delivered >= created) {
          caughtUp?.();
        }
      }
    }),
  ];
  try {
    await action();
    if (delivered < created) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`${created} session change(s) on the emulator provider, ${delivered} reached the extension after ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        caughtUp = (): void => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    for (const s of subs) {
      s.dispose();
    }
  }
  await treeIdle(api.tree);
}
