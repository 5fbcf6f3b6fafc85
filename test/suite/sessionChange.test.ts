// Session changes seen outside the extension's own sign-in schedule a debounced re-check (and a reload).
// Whatever starts sign-in over before it runs (a sign-out, a new session source) must drop it: otherwise
// the re-check signs the view straight back in, or asks with what it saw before.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorRequests } from './harness/emulator';
import { emulatorSessions, settledSessionChanges, signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

const RELATIONSHIPS = '/v1.0/tenantRelationships/delegatedAdminRelationships';

/** Adds a session on the emulator provider (as another sign-in would) and resolves once the extension saw it. */
async function sessionChangeSeen(api: GdapExplorerApi): Promise<void> {
  const provider = api.emulatorAuthProvider;
  assert.ok(provider, 'the GDAP Emulator authentication provider is registered');
  const existing = await provider.getSessions(undefined, {});
  assert.ok(existing.length > 0, 'signed in, so the provider holds a session');
  const delivered = new Promise<void>((resolve) => {
    const sub = vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === 'gdap-emulator') {
        sub.dispose();
        resolve();
      }
    });
  });
  await provider.createSession(existing[0].scopes, {});
  // The extension subscribed before this test did, so its listener has run when ours does.
  await delivered;
}

/** Answers without a UI: a real toast's promise would wait until someone dismissed it (Sign Out shows one). */
const quietPrompts: PromptLayer = {
  confirm: () => Promise.resolve(false),
  pick: () => Promise.resolve(undefined),
  pickMany: () => Promise.resolve(undefined),
  input: () => Promise.resolve(undefined),
  notify: () => Promise.resolve(undefined),
};

describe('session changes and sign-in starting over', () => {
  let api: GdapExplorerApi;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    assert.equal(api.emulator, true, 'GDAP_EMULATOR_URL puts the extension in emulator mode');
    api.setPromptLayer(quietPrompts);
    await signInWithEmulator(api);
    await treeIdle(api.tree);
  });

  after(() => api.setPromptLayer(undefined));

  afterEach(async () => {
    if (api.authState() !== 'signedIn') {
      api.setSessionSource(emulatorSessions(api));
      await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
    }
    await treeIdle(api.tree);
  });

  it('a sign-out right after a session change stays signed out (the pending re-check is dropped)', async () => {
    await sessionChangeSeen(api);
    assert.equal(api.tree.loading, true, 'the re-check the session change scheduled counts as loading');
    await vscode.commands.executeCommand('gdap.signOut');
    // Idle covers the debounce and the re-check: had it survived, it would have run by now.
    await treeIdle(api.tree);
    assert.equal(api.authState(), 'signedOut');
  });

  it('a new session source drops a re-check scheduled for the old one', async () => {
    await sessionChangeSeen(api);
    const seen: string[][] = [];
    api.setSessionSource(emulatorSessions(api, seen));
    await treeIdle(api.tree);
    assert.deepEqual(seen, [], 'nothing asked the new source for a session on behalf of the old one');
    assert.equal(api.authState(), 'signedIn');
  });

  it('a sign-out while the inventory is read: what that read brings back is neither shown nor cached', async () => {
    await api.tree.refresh();
    assert.ok(api.tree.store.current !== undefined, 'the tree holds an inventory');
    assert.ok(existsSync(api.startupCachePath), 'the inventory is in the start-up cache');
    // The next token the read asks for waits until the test lets it go: the read is in flight, past its
    // sign-in check, when the user signs out (a slow token refresh does the same).
    const inner = emulatorSessions(api);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    let armed = true;
    api.setSessionSource({
      ...inner,
      async getSession(scopes, request) {
        if (armed) {
          armed = false;
          held += 1;
          await gate;
        }
        return inner.getSession(scopes, request);
      },
    });
    const from = (await emulatorRequests()).length;
    const reading = api.tree.refresh();
    await waitFor(() => (held > 0 ? true : undefined), 'the read asking for its token');
    await vscode.commands.executeCommand('gdap.signOut');
    assert.equal(api.authState(), 'signedOut');
    assert.equal(existsSync(api.startupCachePath), false, 'Sign Out forgot the cached inventory');
    assert.equal(api.tree.store.current, undefined, 'Sign Out emptied the tree');
    const signedOutAt = (await emulatorRequests()).length;

    release();
    await reading;
    await treeIdle(api.tree);
    const after = (await emulatorRequests()).slice(signedOutAt).filter((r) => r.method === 'GET' && r.path === RELATIONSHIPS);
    assert.ok(
      after.some((r) => r.status === 200),
      `the read started before the sign-out went on and came back (${(await emulatorRequests()).length - from} requests)`,
    );
    assert.equal(api.tree.store.current, undefined, 'what it read is not shown');
    assert.deepEqual(await api.tree.getChildren(), [], 'the tree is empty for the signed-out welcome');
    assert.equal(existsSync(api.startupCachePath), false, 'what it read is not written to the cache');
  });
});
