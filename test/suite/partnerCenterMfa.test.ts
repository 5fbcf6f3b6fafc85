// Partner Center's MFA claims challenge in the real extension host (docs/api-notes.md §15.6): with the
// emulator requiring MFA, Remove DAP shows the dedicated message with "Sign In with MFA", the sign-in sends the
// challenge's claims through the GDAP Emulator provider, and the command plans again from fresh reads and
// removes DAP with one PATCH. GDAP: Check Sign-In reports the missing MFA before and nothing after.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { ChallengeConstraint } from '../../src/extension/auth/emulatorAuthProvider';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorRequests, emulatorState, resetEmulator } from './harness/emulator';
import { emulatorSessions, settledSessionChanges, signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

const MFA_MESSAGE = /^Partner Center requires multi-factor authentication for this call: sign in again with MFA/;
const SIGN_IN_WITH_MFA = 'Sign In with MFA';
// The claims request the emulator sends, as JSON and as the base64 of its challenge.
const CLAIMS_JSON = '{"access_token":{"amr":{"values":["mfa"]}}}';
const CLAIMS_B64 = Buffer.from(CLAIMS_JSON, 'utf8').toString('base64');

class MfaPrompts implements PromptLayer {
  readonly notices: { level: NotifyLevel; message: string; actions: string[] }[] = [];
  readonly confirms: ConfirmRequest[] = [];
  /** The action chosen on a notification that offers it. */
  answer: string | undefined = SIGN_IN_WITH_MFA;

  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(true);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(items.map((i) => i.value));
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    this.notices.push({ level, message, actions });
    return Promise.resolve(this.answer !== undefined && actions.includes(this.answer) ? this.answer : undefined);
  }
}

type AnyNode = GdapNode & Record<string, unknown>;
type PcCustomer = { id: string; allowDelegatedAccess: boolean };

describe('Partner Center MFA: Remove DAP signs in with MFA and plans again', function () {
  this.timeout(180_000);
  let api: GdapExplorerApi;
  const prompts = new MfaPrompts();

  async function report(): Promise<string> {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('gdap.checkSignIn');
    const doc = await waitFor(() => {
      const d = vscode.window.activeTextEditor?.document;
      return d !== undefined && d.uri.path.endsWith('.md') ? d : undefined;
    }, 'the sign-in report');
    return doc.getText();
  }

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(prompts);
    await resetEmulator({ preset: 'demo' });
    await emulatorFetch('/_emulator/partner-center', { method: 'POST', body: { requireMfa: true } });
    // A sign-in from scratch while MFA is required: password only, as a user who skipped MFA.
    const provider = api.emulatorAuthProvider;
    assert.ok(provider, 'the GDAP Emulator authentication provider is registered');
    const existing = await provider.getSessions(undefined, {});
    await settledSessionChanges(api, async () => {
      for (const s of existing) {
        await provider.removeSession(s.id);
      }
      await vscode.commands.executeCommand('gdap.signOut');
    });
    api.setSessionSource(emulatorSessions(api));
    await signInWithEmulator(api);
    await treeIdle(api.tree);
  });

  after(async () => {
    api.setPromptLayer(undefined);
    await emulatorFetch('/_emulator/partner-center', { method: 'POST', body: { requireMfa: false } });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Check Sign-In reports that Partner Center needs an MFA sign-in', async () => {
    const text = await report();
    assert.match(text, /Partner Center needs an MFA sign-in/);
    assert.doesNotMatch(text, /Sign-in works/);
  });

  it('Remove DAP with the MFA message dismissed: no confirmation, nothing sent, DAP stays on', async () => {
    const state = await emulatorState();
    const pcs = state.partnerCenterCustomers as PcCustomer[];
    const nodes = (await api.tree.getChildren()) as AnyNode[];
    const customer = nodes.find((n) => n.kind === 'customer' && pcs.some((p) => p.id === n.tenantId && p.allowDelegatedAccess));
    assert.ok(customer, 'a customer with DAP on is in the tree');
    const patchesBefore = (await emulatorRequests()).filter((r) => r.method === 'PATCH').length;
    const noticesBefore = prompts.notices.length;
    const confirmsBefore = prompts.confirms.length;
    prompts.answer = undefined;
    try {
      await vscode.commands.executeCommand('gdap.removeDap', customer);
    } finally {
      prompts.answer = SIGN_IN_WITH_MFA;
    }
    const notices = prompts.notices.slice(noticesBefore);
    assert.equal(notices.length, 1, `only the MFA message: ${JSON.stringify(notices)}`);
    assert.match(notices[0].message, MFA_MESSAGE);
    assert.equal(prompts.confirms.length, confirmsBefore, 'nothing to confirm: nothing could be read');
    assert.equal((await emulatorRequests()).filter((r) => r.method === 'PATCH').length, patchesBefore, 'nothing sent');
  });

  it('Remove DAP → the MFA message → Sign In with MFA → planned again → DAP removed with one PATCH', async () => {
    const state = await emulatorState();
    const pcs = state.partnerCenterCustomers as PcCustomer[];
    const nodes = (await api.tree.getChildren()) as AnyNode[];
    const customer = nodes.find((n) => n.kind === 'customer' && pcs.some((p) => p.id === n.tenantId && p.allowDelegatedAccess));
    assert.ok(customer, 'a customer with DAP on is in the tree');
    const tenantId = String(customer.tenantId);
    const patchesBefore = (await emulatorRequests()).filter((r) => r.method === 'PATCH').length;
    const noticesBefore = prompts.notices.length;
    const confirmsBefore = prompts.confirms.length;

    await vscode.commands.executeCommand('gdap.removeDap', customer);

    const notices = prompts.notices.slice(noticesBefore);
    const mfa = notices.filter((n) => MFA_MESSAGE.test(n.message));
    assert.equal(mfa.length, 1, `one MFA message: ${JSON.stringify(notices)}`);
    assert.deepEqual(mfa[0].actions, [SIGN_IN_WITH_MFA]);
    assert.equal(mfa[0].level, 'warning');
    assert.equal(prompts.confirms.length, confirmsBefore + 1, 'one confirmation, of the plan read after the MFA sign-in');
    assert.match(prompts.confirms.at(-1)?.message ?? '', /DAP/);
    const after = await emulatorState();
    assert.equal((after.partnerCenterCustomers as PcCustomer[]).find((p) => p.id === tenantId)?.allowDelegatedAccess, false, 'DAP is off');
    const patches = (await emulatorRequests()).filter((r) => r.method === 'PATCH');
    assert.equal(patches.length - patchesBefore, 1, 'exactly one PATCH, after the sign-in');
    // The emulator refuses Partner Center calls without mfa in amr: the PATCH got through, so the token had it.
    assert.equal(patches.at(-1)?.status, 200);
  });

  it('the provider finds the MFA session for the same challenge only (what VS Code asks it with the header)', async () => {
    const provider = api.emulatorAuthProvider as vscode.AuthenticationProvider & {
      getSessionsFromChallenges(constraint: ChallengeConstraint): Thenable<readonly vscode.AuthenticationSession[]>;
    };
    const pc = (await provider.getSessions(undefined, {})).find((x) => x.scopes.some((scope) => scope.endsWith('/user_impersonation')));
    assert.ok(pc, 'a Partner Center session');
    const challenge = (claims: string): ChallengeConstraint => ({
      challenges: [{ scheme: 'Bearer', params: { error: 'insufficient_claims', claims } }],
      fallbackScopes: pc.scopes,
    });
    // The MFA sign-in of this suite created one; an earlier suite of the same run may have answered the same
    // challenge too. Every session found must be one an MFA sign-in created.
    const found = await provider.getSessionsFromChallenges(challenge(CLAIMS_B64));
    assert.ok(found.length >= 1, 'the session the MFA sign-in created');
    for (const session of found) {
      const amr = (JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString('utf8')) as { amr?: string[] }).amr;
      assert.deepEqual(amr, ['pwd', 'mfa']);
    }
    const other = Buffer.from('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}').toString('base64');
    assert.equal((await provider.getSessionsFromChallenges(challenge(other))).length, 0, 'other claims: a new sign-in is needed');
  });

  it('Check Sign-In no longer reports it; neither the claims nor a token reached the log', async () => {
    const text = await report();
    assert.doesNotMatch(text, /Partner Center needs an MFA sign-in/);
    await treeIdle(api.tree);
    const log = api.logLines().join('\n');
    assert.match(log, /Partner Center answered with a claims challenge \(multi-factor authentication\)/);
    assert.ok(!log.includes(CLAIMS_B64) && !log.includes(CLAIMS_JSON) && !log.includes('"amr"'), 'no claims in the log');
    assert.doesNotMatch(log, /eyJ[\w-]{10,}\.[\w-]{10,}/, 'no token in the log');
  });
});
