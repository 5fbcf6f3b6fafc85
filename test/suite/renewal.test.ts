// The expiry radar, the Renewal view and the renewal fixes in a real extension host against the emulator
// (seeded so that two relationships end within 7 days, some carry Global Administrator and one expired in
// the last 30 days). Expectations are computed from the emulator's own state, not from the extension.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { type EmulatorRequest, emulatorInfo, emulatorRequests, emulatorState, resetEmulator } from './harness/emulator';
import { emulatorSessions, settledSessionChanges } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A demo-sized data set with every case the radar and the fixes need (see the header). */
const SEED = 58;

interface Notice {
  readonly level: NotifyLevel;
  readonly message: string;
  readonly actions: readonly string[];
}

/** Scripted answers; records every question and notification. */
class ScriptedPrompts implements PromptLayer {
  readonly confirms: ConfirmRequest[] = [];
  readonly notices: Notice[] = [];
  /** The action chosen for a notification (default: none, as when it is dismissed). */
  answer: (notice: Notice) => string | undefined = () => undefined;
  confirmAnswer = true;

  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(this.confirmAnswer);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(items.map((i) => i.value));
  }
  input(): Promise<string | undefined> {
    return Promise.resolve('');
  }
  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    const notice = { level, message, actions };
    this.notices.push(notice);
    return Promise.resolve(this.answer(notice));
  }
}

type Rel = Record<string, unknown> & {
  id: string;
  status: string;
  displayName?: string;
  endDateTime?: string;
  autoExtendDuration?: string;
  accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] };
};
type AnyNode = GdapNode & Record<string, unknown>;

const hasGa = (r: Rel): boolean => (r.accessDetails?.unifiedRoles ?? []).some((x) => x.roleDefinitionId === GA);
const renewsItself = (r: Rel): boolean => r.autoExtendDuration === 'P180D' && !hasGa(r);
const msLeft = (r: Rel): number => Date.parse(r.endDateTime ?? '') - Date.now();
/** Active, will not renew by itself, ends from now to `days` days ahead: the rule the radar shows. */
const endsWithin = (r: Rel, days: number): boolean =>
  r.status === 'active' && !renewsItself(r) && msLeft(r) >= 0 && msLeft(r) <= days * DAY_MS;

async function relationships(): Promise<Rel[]> {
  return (await emulatorState()).relationships;
}

function mutationsSince(before: number, requests: EmulatorRequest[]): EmulatorRequest[] {
  return requests
    .slice(before)
    .filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator') && !r.path.includes('/oauth2/') && !r.path.endsWith('/$batch'));
}

describe('Renewal: expiry radar, Renewal view and fixes', function () {
  let api: GdapExplorerApi;
  const prompts = new ScriptedPrompts();

  async function customers(): Promise<AnyNode[]> {
    await api.tree.refresh();
    await treeIdle(api.tree);
    return ((await api.tree.getChildren()) as AnyNode[]).filter((n) => n.kind === 'customer');
  }

  /** The explorer's node of a relationship (loaded fresh). */
  async function relationshipNode(id: string): Promise<AnyNode> {
    for (const c of await customers()) {
      const found = ((await api.tree.getChildren(c)) as AnyNode[]).find((n) => (n.relationship as { id?: string } | undefined)?.id === id);
      if (found !== undefined) {
        return found;
      }
    }
    throw new Error(`relationship ${id} is not in the explorer`);
  }

  async function rel(id: string): Promise<Rel> {
    const r = (await relationships()).find((x) => x.id === id);
    assert.ok(r, id);
    return r;
  }

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator');
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(prompts);
    if (api.authState() === 'signedIn') {
      await vscode.commands.executeCommand('gdap.signOut');
    }
    await resetEmulator({ preset: 'demo', seed: SEED });
    await api.renewal.resetNotificationState();
  });

  after(async () => {
    api?.setPromptLayer(undefined);
    prompts.answer = () => undefined;
    // The suites after this one expect the emulator's start data set.
    await resetEmulator({ preset: 'demo' });
  });

  it('after sign-in a notification names what ends within 7 days, with Show, Enable Auto-Extend… and Snooze 1 day', async () => {
    const soon = (await relationships()).filter((r) => endsWithin(r, 7));
    assert.equal(soon.length, 2, 'the seeded data has two relationships ending within 7 days');
    api.setSessionSource(emulatorSessions(api));
    await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
    await customers();
    const notice = await waitFor(() => prompts.notices.find((n) => /end within 7 days/.test(n.message)), 'the radar notification');
    assert.equal(notice.level, 'warning');
    for (const r of soon) {
      assert.ok(notice.message.includes(r.displayName ?? '?'), `names ${r.displayName ?? r.id}`);
    }
    assert.deepEqual(notice.actions, ['Show', 'Enable Auto-Extend…', 'Snooze 1 day']);
    assert.equal(await api.renewal.checkNotification(), false, 'at most one a day');
  });

  it('badge and status bar count against the emulator data; the status bar opens the filtered explorer', async () => {
    const all = await relationships();
    const inWindow = all.filter((r) => endsWithin(r, 30));
    const within1 = all.filter((r) => endsWithin(r, 1));
    const within7 = all.filter((r) => endsWithin(r, 7));
    await customers();
    api.renewal.update();
    assert.equal(api.treeView.badge?.value, inWindow.length);
    assert.match(api.treeView.badge?.tooltip ?? '', new RegExp(`^${inWindow.length} relationships end within 30 days`));
    const bar = api.renewal.statusBar();
    assert.ok(bar, 'the status bar item shows');
    const expected =
      within1.length > 0
        ? `GDAP: ${within1.length} end`
        : within7.length === 1
          ? 'GDAP: 1 ends within 7 days'
          : `GDAP: ${within7.length} end within 7 days`;
    assert.ok(bar.text.includes(expected), `${bar.text} says ${expected}`);
    assert.equal(bar.command, 'gdap.showExpiring');
    await vscode.commands.executeCommand(bar.command);
    assert.equal(api.tree.filter().status, 'expiringSoon');
    const shown: string[] = [];
    for (const c of (await api.tree.getChildren()) as AnyNode[]) {
      for (const n of (await api.tree.getChildren(c)) as AnyNode[]) {
        shown.push((n.relationship as { id: string }).id);
      }
    }
    assert.deepEqual(shown.sort(), inWindow.map((r) => r.id).sort(), 'the filtered explorer shows exactly what the badge counts');
    await vscode.commands.executeCommand('gdap.clearFilter');
  });

  it('the Renewal view lists every relationship that will not renew by itself, with why', async () => {
    const all = await relationships();
    const expected = all.filter(
      (r) =>
        (r.status === 'active' && !renewsItself(r) && msLeft(r) > 0) ||
        (['expired', 'expiring'].includes(r.status) && msLeft(r) < 0 && msLeft(r) >= -30 * DAY_MS),
    );
    await customers();
    const groups = api.renewal.provider.getChildren();
    const rows = groups.flatMap((g) => api.renewal.provider.getChildren(g));
    const listed = rows.map((n) => (n as unknown as { relationship: Rel }).relationship);
    assert.deepEqual(listed.map((r) => r.id).sort(), expected.map((r) => r.id).sort());
    for (const row of rows) {
      const r = (row as unknown as { relationship: { id: string } }).relationship;
      const source = expected.find((x) => x.id === r.id) as Rel;
      const reason = source.status !== 'active' ? 'ended' : hasGa(source) ? 'globalAdministrator' : 'noAutoExtend';
      assert.match(row.getTreeItem().contextValue ?? '', new RegExp(`reason\\.${reason}(;|$)`), source.displayName);
    }
  });

  it('notification actions: Snooze 1 day holds it back, Show filters, the setting turns it off', async () => {
    await api.renewal.resetNotificationState();
    prompts.answer = (n) => (n.actions.includes('Snooze 1 day') ? 'Snooze 1 day' : undefined);
    assert.equal(await api.renewal.checkNotification(), true);
    const snoozed = api.storedState()['gdap.radar.snoozedUntil'] as number;
    assert.ok(snoozed > Date.now() + 23 * 60 * 60 * 1000, 'snoozed for a day');
    // A new day (the last-shown day forgotten) while snoozed: still nothing.
    await api.renewal.resetNotificationState({ keepSnooze: true });
    assert.equal(await api.renewal.checkNotification(), false, 'snoozed: none');
    await api.renewal.resetNotificationState();
    prompts.answer = (n) => (n.actions.includes('Show') ? 'Show' : undefined);
    assert.equal(await api.renewal.checkNotification(), true, 'without the snooze it shows again');
    assert.equal(api.tree.filter().status, 'expiringSoon', '"Show" filters the explorer');
    await vscode.commands.executeCommand('gdap.clearFilter');
    await api.renewal.resetNotificationState();
    const config = vscode.workspace.getConfiguration('gdap');
    await config.update('notifications', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => !vscode.workspace.getConfiguration('gdap').get<boolean>('notifications'), 'the setting applied');
      assert.equal(await api.renewal.checkNotification(), false, 'gdap.notifications off: none');
    } finally {
      await config.update('notifications', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Enable Auto-Extend…" in the notification turns auto-extend on for what ends within 7 days', async () => {
    const soon = (await relationships()).filter((r) => endsWithin(r, 7));
    await api.renewal.resetNotificationState();
    prompts.answer = (n) => (n.actions.includes('Enable Auto-Extend…') ? 'Enable Auto-Extend…' : undefined);
    const asked = prompts.confirms.length;
    assert.equal(await api.renewal.checkNotification(), true);
    prompts.answer = () => undefined;
    assert.match(prompts.confirms[asked]?.message ?? '', /^Turn on auto-extend for 2 GDAP relationships/);
    for (const r of soon) {
      assert.equal((await rel(r.id)).autoExtendDuration, 'P180D', r.displayName);
    }
    await customers();
    assert.equal(api.renewal.update()?.within7.length, 0, 'nothing ends within 7 days without renewing any more');
  });

  it('auto-extend off and on from the context menu (PATCH with If-Match)', async () => {
    const target = (await relationships()).find((r) => r.status === 'active' && renewsItself(r));
    assert.ok(target);
    const node = await relationshipNode(target.id);
    assert.match(node.getTreeItem().contextValue ?? '', /ae\.on/);
    const before = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.turnOffAutoExtend', node, [node]);
    assert.equal((await rel(target.id)).autoExtendDuration, 'PT0S');
    const sent = mutationsSince(before, await emulatorRequests());
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.method, 'PATCH');
    assert.ok(
      Object.keys(sent[0]?.headers ?? {}).some((k) => k.toLowerCase() === 'if-match'),
      'sent with If-Match',
    );
    await vscode.commands.executeCommand('gdap.turnOnAutoExtend', await relationshipNode(target.id));
    assert.equal((await rel(target.id)).autoExtendDuration, 'P180D');
  });

  it('auto-extend on with Global Administrator is refused up front, offering Make Renewable…', async () => {
    const ga = (await relationships()).find((r) => r.status === 'active' && hasGa(r));
    assert.ok(ga);
    const before = (await emulatorRequests()).length;
    const noticed = prompts.notices.length;
    await vscode.commands.executeCommand('gdap.turnOnAutoExtend', await relationshipNode(ga.id));
    assert.deepEqual(mutationsSince(before, await emulatorRequests()), [], 'nothing sent');
    const refusal = prompts.notices.slice(noticed).find((n) => n.level === 'warning');
    assert.ok(refusal);
    assert.match(refusal.message, /Global Administrator is among its roles, which blocks auto-extend/);
    assert.deepEqual(refusal.actions, ['Make Renewable…']);
  });

  it('remove Global Administrator: the plan names the assignments granting it; the operation is followed to the end', async () => {
    const state = await emulatorState();
    const ga = (state.relationships as Rel[]).find(
      (r) =>
        r.status === 'active' &&
        hasGa(r) &&
        (state.accessAssignments[r.id] ?? []).some((a) =>
          ((a.accessDetails as { unifiedRoles?: { roleDefinitionId: string }[] } | undefined)?.unifiedRoles ?? []).some(
            (x) => x.roleDefinitionId === GA,
          ),
        ),
    );
    assert.ok(ga, 'a relationship with an assignment granting Global Administrator');
    const asked = prompts.confirms.length;
    const before = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.removeGlobalAdministrator', await relationshipNode(ga.id));
    const sent = (await emulatorRequests()).slice(before);
    const patch = sent.find((r) => r.method === 'PATCH' && r.path.endsWith(`/delegatedAdminRelationships/${ga.id}`));
    assert.equal(patch?.status, 202, 'the service answered with an operation');
    assert.ok(
      sent.some((r) => r.method === 'GET' && r.path.includes(`/delegatedAdminRelationships/${ga.id}/operations`)),
      'the operation was followed',
    );
    const question = prompts.confirms[asked];
    assert.match(question?.message ?? '', /^Remove Global Administrator from the GDAP relationship/);
    assert.match(question?.detail ?? '', /Access assignments that grant Global Administrator:\n• /);
    const after = await rel(ga.id);
    assert.equal(hasGa(after), false, 'Global Administrator is gone once the command returns');
    assert.equal(after.status, 'active');
  });

  it('make renewable on a multi-selection: Global Administrator removed where present, then auto-extend on for each', async () => {
    const active = (await relationships()).filter((r) => r.status === 'active' && !renewsItself(r));
    const withGa = active.find((r) => hasGa(r));
    const plain = active.filter((r) => !hasGa(r)).slice(0, 2);
    assert.ok(withGa && plain.length === 2);
    const targets = [withGa, ...plain];
    const nodes = await Promise.all(targets.map((r) => relationshipNode(r.id)));
    const asked = prompts.confirms.length;
    await vscode.commands.executeCommand('gdap.makeRenewable', nodes[0], nodes);
    assert.match(prompts.confirms[asked]?.message ?? '', /^Make 3 GDAP relationships renew themselves/);
    for (const r of targets) {
      const now = await rel(r.id);
      assert.equal(now.autoExtendDuration, 'P180D', r.displayName);
      assert.equal(hasGa(now), false, r.displayName);
    }
  });

  it('renew from the Renewal view: the successor is created and locked; "Copy Approval Link" copies its link', async () => {
    await customers();
    const ended = api.renewal.provider
      .getChildren()
      .flatMap((g) => api.renewal.provider.getChildren(g))
      .find((n) => /reason\.ended/.test(n.getTreeItem().contextValue ?? ''));
    assert.ok(ended, 'the Renewal view lists an ended relationship');
    const old = (ended as unknown as { relationship: { id: string; displayName: string; customer: { tenantId: string } } }).relationship;
    await vscode.env.clipboard.writeText('');
    prompts.answer = (n) => (n.actions.includes('Copy Approval Link') ? 'Copy Approval Link' : undefined);
    const asked = prompts.confirms.length;
    try {
      await vscode.commands.executeCommand('gdap.renewRelationship', ended, [ended]);
    } finally {
      prompts.answer = () => undefined;
    }
    assert.match(prompts.confirms[asked]?.message ?? '', /^Renew the GDAP relationship/);
    // The derived name: the old one plus " (renewal)", shortened (with the old id's start) past 50 characters.
    const successor = (await relationships()).find(
      (r) =>
        r.id !== old.id &&
        (r.customer as { tenantId?: string } | undefined)?.tenantId === old.customer.tenantId &&
        / \(renewal[^)]*\)$/.test(r.displayName ?? ''),
    );
    assert.ok(successor, 'the successor exists under the derived name');
    assert.ok((successor.displayName ?? '').length <= 50);
    assert.equal(successor.status, 'approvalPending', 'locked for approval');
    const link = await vscode.env.clipboard.readText();
    assert.ok(link.endsWith(`/granularAdminRelationships/${encodeURIComponent(successor.id)}`), link);
  });

  it('after a change the tree reads again only the customers it touched, each alone; past 20 customers, the whole tree', async () => {
    // More customers than the per-customer rule covers (the suite's `after` puts the demo data back).
    await resetEmulator({ customers: 120, seed: SEED });
    const firstOfEach = new Map<string, Rel>();
    for (const r of await relationships()) {
      const tenantId = (r.customer as { tenantId?: string } | undefined)?.tenantId ?? '';
      if (tenantId !== '' && r.status === 'active' && renewsItself(r) && !firstOfEach.has(tenantId)) {
        firstOfEach.set(tenantId, r);
      }
    }
    const targets = [...firstOfEach.entries()];
    assert.ok(targets.length >= 3 + 21, `${targets.length} customers with a relationship that renews itself`);
    const listReads = (after: EmulatorRequest[]): { filtered: string[]; unfiltered: number; customers: number } => {
      // What was read once the last change had been sent: the reload that follows the command.
      const lastChange = after.map((r) => r.method).lastIndexOf('PATCH');
      const reads = after.slice(lastChange + 1).filter((r) => r.method === 'GET');
      const lists = reads.filter((r) => r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships');
      const filters = lists.map((r) => new URLSearchParams(r.query ?? '').get('$filter') ?? '');
      return {
        filtered: filters.filter((f) => f !== ''),
        unfiltered: filters.filter((f) => f === '').length,
        customers: reads.filter((r) => r.path === '/v1.0/tenantRelationships/delegatedAdminCustomers').length,
      };
    };
    const turnOff = async (chosen: [string, Rel][]): Promise<ReturnType<typeof listReads>> => {
      const wanted = new Set(chosen.map(([, r]) => r.id));
      const nodes: AnyNode[] = [];
      for (const c of await customers()) {
        nodes.push(
          ...((await api.tree.getChildren(c)) as AnyNode[]).filter((n) =>
            wanted.has((n.relationship as { id?: string } | undefined)?.id ?? ''),
          ),
        );
      }
      assert.equal(nodes.length, chosen.length, 'every target is in the explorer');
      const before = (await emulatorRequests()).length;
      await vscode.commands.executeCommand('gdap.turnOffAutoExtend', nodes[0], nodes);
      await treeIdle(api.tree);
      for (const [, r] of chosen) {
        assert.equal((await rel(r.id)).autoExtendDuration, 'PT0S', r.displayName);
      }
      return listReads((await emulatorRequests()).slice(before));
    };

    const few = targets.slice(0, 3);
    const fewReads = await turnOff(few);
    assert.equal(fewReads.unfiltered, 0, 'the whole tree was not read again');
    assert.equal(fewReads.customers, 0, 'the customers list was not read again');
    assert.deepEqual(
      fewReads.filtered.map((f) => few.find(([tenantId]) => f.includes(`customer/tenantId eq '${tenantId}'`))?.[0] ?? f).sort(),
      few.map(([tenantId]) => tenantId).sort(),
      'one filtered read per customer touched, and no other',
    );
    // The tree shows the change without a refresh: the customers' nodes hold the relationships read again.
    for (const [tenantId, r] of few) {
      const node = api.tree.allCustomers().find((c) => c.tenantId === tenantId);
      assert.ok(node, tenantId);
      const shown = ((await api.tree.getChildren(node)) as AnyNode[]).find(
        (n) => (n.relationship as { id?: string } | undefined)?.id === r.id,
      );
      assert.doesNotMatch(shown?.getTreeItem().contextValue ?? '', /ae\.on/, r.displayName);
    }

    const many = targets.slice(3, 3 + 21);
    const manyReads = await turnOff(many);
    assert.deepEqual(manyReads.filtered, [], 'no filtered read per customer');
    assert.ok(manyReads.unfiltered >= 1, 'the whole tree was read again');
    assert.equal(manyReads.customers >= 1, true, 'with the customers list');
  });
});
