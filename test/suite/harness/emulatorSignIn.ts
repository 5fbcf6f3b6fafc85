// Sign-in for in-host tests and the in-host benchmark. VS Code refuses consent prompts in test mode, so
// sessions come straight from the extension's "GDAP Emulator" provider; the UI suite covers the consent
// dialog and vscode.authentication.getSession.
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../../src/extension/api';
import type { SessionSource } from '../../../src/extension/auth/sessionSource';

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
    providerId: 'gdap-emulator',
    async getSession(scopes) {
      seen.push([...scopes]);
      const kept = scopes.filter((x) => !drop(x));
      const existing = await provider.getSessions(kept, {});
      return existing[0] ?? (await provider.createSession(kept, {}));
    },
  };
}

/** Signs the extension in through the emulator provider, unless it already is; throws when it cannot. */
export async function signInWithEmulator(api: GdapExplorerApi): Promise<void> {
  if (api.authState() === 'signedIn') {
    return;
  }
  api.setSessionSource(emulatorSessions(api));
  await vscode.commands.executeCommand('gdap.signIn');
  if (api.authState() !== 'signedIn') {
    throw new Error(`sign-in through the emulator provider failed: ${api.authState()}`);
  }
}
