// The seven UI scenarios of the extension, driving code-server with
// the packaged VSIX against an emulator; each asserts what the UI shows and the emulator's state.
import * as assert from 'node:assert/strict';
import { emulatorOf, type EmulatorState, readSince } from './harness/emulator';
import {
  allowConsentsUntil,
  BUDGET,
  clearNotifications,
  clickModalButton,
  childTreeRow,
  hasChildTreeRow,
  contextMenu,
  contextMenuToModal,
  eventually,
  expandRow,
  notifications,
  openViewContainer,
  pickQuickItem,
  runCommand,
  treeRow,
  treeLabels,
  waitForModal,
  waitForNotification,
  waitForRowDescription,
  waitForTreeRow,
} from './harness/ui';
import { useWorkbench } from './harness/workbench';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

interface Rel {
  id: string;
  status: string;
  displayName: string;
  customer: { tenantId?: string; displayName?: string } | null;
  accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] };
}

function relationships(state: EmulatorState): Rel[] {
  return state.relationships as unknown as Rel[];
}

/** Customers as the tree sorts them, with their relationships. */
function customers(state: EmulatorState): { name: string; tenantId: string; rels: Rel[] }[] {
  const map = new Map<string, { name: string; tenantId: string; rels: Rel[] }>();
  for (const r of relationships(state)) {
    const t = r.customer?.tenantId;
    if (!t) {
      continue;
    }
    const entry = map.get(t) ?? { name: r.customer?.displayName ?? t, tenantId: t, rels: [] };
    entry.rels.push(r);
    map.set(t, entry);
  }
  return [...map.values()].sort((a, b) => collator.compare(a.name, b.name));
}

/** The first customer in tree order with an active relationship not yet used by a scenario. */
function activeTarget(state: EmulatorState, used: Set<string>): { customer: string; relationship: Rel } {
  for (const c of customers(state)) {
    const rel = c.rels
      .filter((r) => r.status === 'active' && !used.has(r.id) && !c.rels.some((o) => o !== r && o.displayName === r.displayName))
      .sort((a, b) => collator.compare(a.displayName, b.displayName))[0];
    if (rel) {
      used.add(rel.id);
      return { customer: c.name, relationship: rel };
    }
  }
  throw new Error('no active relationship left in the emulator data');
}

/** The tree label of an access assignment: its security group's name when resolved, otherwise "Security group <id>". */
function assignmentRow(state: EmulatorState, assignment: Record<string, unknown>): RegExp {
  const groupId = (assignment.accessContainer as { accessContainerId: string }).accessContainerId;
  const name = (state.securityGroups as { id: string; displayName: string }[] | undefined)?.find((g) => g.id === groupId)?.displayName;
  const escape = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^(${escape(`Security group ${groupId}`)}${name !== undefined ? `|${escape(name)}` : ''})$`);
}

function mutations(requests: { method: string; path: string }[]): { method: string; path: string }[] {
  return requests.filter(
    (r) => r.method !== 'GET' && !r.path.startsWith('/_emulator') && !r.path.includes('/oauth2/') && !r.path.endsWith('/$batch'),
  );
}

describe('GDAP Explorer in the browser', function () {
  // Bounds a whole scenario (several waits of BUDGET.network each on a loaded machine).
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench();
  const used = new Set<string>();

  it('1. opens the GDAP view, signs in through the consent dialog and lists customers by name', async () => {
    const { page } = wb();
    await openViewContainer(page, 'GDAP');
    // Emulator mode has its own welcome: it signs in to the emulator, not to Microsoft.
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    const state = await emulatorOf(wb()).state();
    const first = customers(state)[0];
    // Consent for the Graph scopes, and possibly a second one for the Partner Center scope (same
    // account): answered as they come, until the first customer is shown.
    await allowConsentsUntil(page, treeRow(page, first.name));
    await waitForTreeRow(page, first.name);
    const labels = await treeLabels(page);
    assert.ok(labels.length > 1);
    for (const l of labels) {
      assert.doesNotMatch(l, GUID, `customer label "${l}" is a name`);
    }
  });

  it('2. expands customer → relationship; roles show names, assignments are listed', async () => {
    const { page } = wb();
    const state = await emulatorOf(wb()).state();
    const target = activeTarget(state, new Set());
    await expandRow(page, target.customer);
    await waitForRowDescription(page, target.relationship.displayName, /^active · /);
    await expandRow(page, target.relationship.displayName);
    // Access assignments show their security group's name (the sign-in has GroupMember.Read.All).
    const groups = state.securityGroups as { id: string; displayName: string }[];
    const active = (state.accessAssignments[target.relationship.id] ?? []).filter((a) => a.status === 'active');
    assert.ok(active.length > 0, 'the relationship has active assignments');
    const names = active.map(
      (a) => groups.find((g) => g.id === (a.accessContainer as { accessContainerId: string }).accessContainerId)?.displayName,
    );
    await eventually(
      async () => {
        const shown = await treeLabels(page);
        return names.every((n) => n !== undefined && shown.includes(n));
      },
      `access assignment rows named ${names.join(', ')}`,
    );
    const labels = await treeLabels(page);
    assert.ok(!labels.some((l) => /^Security group /.test(l)), 'no group shown by id when its name is known');
    const roleIds = target.relationship.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? [];
    assert.ok(roleIds.length > 0);
    for (const id of roleIds) {
      assert.ok(!labels.includes(id), `role ${id} is shown by name`);
    }
    await expandRow(page, target.customer).catch(() => undefined);
    await page.keyboard.press('ArrowLeft');
  });

  it('3. terminates an active relationship from the context menu; the node and the emulator reach terminated', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTarget(await emu.state(), used);
    await expandRow(page, target.customer);
    const readFresh = await readSince(emu, `/delegatedAdminRelationships/${target.relationship.id}`);
    const text = await contextMenuToModal(
      page,
      target.relationship.displayName,
      'Terminate Relationship…',
      /Terminate the GDAP relationship/,
      readFresh,
    );
    assert.ok(text.includes(target.relationship.displayName));
    assert.ok(await readFresh(), 'the plan read the relationship afresh before asking');
    await clickModalButton(page, 'Terminate');
    await waitForRowDescription(page, target.relationship.displayName, /^terminated/, 60_000);
    await eventually(
      async () => relationships(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
    );
  });

  it('4. Cancel in the same modal changes nothing and sends no request', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTarget(await emu.state(), used);
    await expandRow(page, target.customer);
    const before = (await emu.requests()).length;
    await contextMenuToModal(
      page,
      target.relationship.displayName,
      'Terminate Relationship…',
      /Terminate the GDAP relationship/,
      await readSince(emu, `/delegatedAdminRelationships/${target.relationship.id}`),
    );
    await clickModalButton(page, 'Cancel');
    // A barrier in the emulator's request log: the extension host handles the dialog's answer before
    // the next command, so once the customer's Refresh (sent after Cancel) has reached the emulator,
    // anything Cancel would have sent is in the log before it.
    const tenantId = customers(await emu.state()).find((c) => c.name === target.customer)?.tenantId;
    assert.ok(tenantId);
    await contextMenu(page, target.customer, 'Refresh');
    const log = await eventually(async () => {
      const since = (await emu.requests()).slice(before);
      const barrier = since.findIndex(
        (r) => r.method === 'GET' && /delegatedAdminRelationships\/?$/.test(r.path) && decodeURIComponent(r.query ?? '').includes(tenantId),
      );
      return barrier >= 0 ? since.slice(0, barrier + 1) : undefined;
    }, "the customer's Refresh request in the emulator's log");
    assert.deepEqual(mutations(log), []);
    assert.equal(relationships(await emu.state()).find((r) => r.id === target.relationship.id)?.status, 'active');
  });

  it('5. removes an access assignment and removes DAP from the context menu', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const state = await emu.state();
    const target = activeTarget(state, used);
    const assignment = (state.accessAssignments[target.relationship.id] ?? []).find((a) => a.status === 'active');
    assert.ok(assignment, 'an active assignment');
    await expandRow(page, target.customer);
    await expandRow(page, target.relationship.displayName);
    await contextMenu(page, assignmentRow(state, assignment), 'Remove Access Assignment…');
    await waitForModal(page, /Remove the access of/);
    await clickModalButton(page, 'Remove');
    await eventually(async () => {
      const left = ((await emu.state()).accessAssignments[target.relationship.id] ?? []).find((a) => a.id === assignment.id);
      return left === undefined || left.status === 'deleted';
    }, 'assignment gone in the emulator');

    const pcs = state.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[];
    const withDap = customers(state).find(
      (c) => c.rels.some((r) => r.status === 'active') && pcs.some((p) => p.id === c.tenantId && p.allowDelegatedAccess),
    );
    assert.ok(withDap, 'a customer with DAP and active GDAP');
    await contextMenu(page, withDap.name, 'Remove DAP…');
    await waitForModal(page, /Remove legacy DAP/);
    await clickModalButton(page, 'Remove DAP');
    await eventually(
      async () =>
        ((await emu.state()).partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[]).find(
          (p) => p.id === withDap.tenantId,
        )?.allowDelegatedAccess === false,
      'DAP off in the emulator',
    );
  });

  it('6. terminates from the command palette through the quick picks', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTarget(await emu.state(), used);
    await runCommand(page, 'GDAP: Terminate Relationship…');
    await pickQuickItem(page, target.customer, { filter: target.customer });
    await pickQuickItem(page, target.relationship.displayName, { filter: target.relationship.displayName });
    await waitForModal(page, /Terminate the GDAP relationship/);
    await clickModalButton(page, 'Terminate');
    await eventually(
      async () => relationships(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
      60_000,
    );
  });

  it('7. faults (503s, then a 412) each give the user one clear message, and the tree recovers', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());

    // 503s on every API request: the reload fails after the client's retries, with one human line.
    const before503 = (await emu.requests()).length;
    await emu.faults('503:1');
    let toast: string;
    try {
      await runCommand(page, 'GDAP: Refresh');
      toast = await waitForNotification(page, /Loading GDAP relationships/, 90_000);
    } finally {
      await emu.faults('');
    }
    assert.match(toast, /Loading GDAP relationships: Microsoft Graph had a problem \(HTTP 503\)\. Try again later\./);
    assert.doesNotMatch(toast, /eyJ|Bearer|serviceNotAvailable/, 'a human line, not the raw service answer');
    const faulted = (await emu.requests()).slice(before503).filter((r) => (r as { fault?: string }).fault === '503');
    assert.ok(faulted.length >= 2, `the client retried the 503s (${faulted.length} faulted requests)`);
    assert.deepEqual(mutations((await emu.requests()).slice(before503)), [], 'a failed reload changes nothing');
    await clearNotifications(page);
    await runCommand(page, 'GDAP: Refresh');
    let state = await emu.state();
    await waitForTreeRow(page, customers(state)[0].name, BUDGET.network);

    // A 412: someone else changes the access assignment while the confirmation is open.
    let target = activeTarget(state, used);
    let assignment = (state.accessAssignments[target.relationship.id] ?? []).find((a) => a.status === 'active');
    for (let i = 0; assignment === undefined && i < 10; i++) {
      target = activeTarget(state, used);
      assignment = (state.accessAssignments[target.relationship.id] ?? []).find((a) => a.status === 'active');
    }
    assert.ok(assignment, 'an active relationship with an active assignment');
    const row = assignmentRow(state, assignment);
    // The reload after the faults may still land while the rows are expanded and render them again
    // collapsed: expand again then (at most three times) before looking for the assignment's row.
    let assignmentEl: Awaited<ReturnType<typeof childTreeRow>> | undefined;
    for (let attempt = 1; assignmentEl === undefined; attempt++) {
      await expandRow(page, target.customer);
      await expandRow(page, target.relationship.displayName);
      assignmentEl = await childTreeRow(page, target.relationship.displayName, row, attempt < 3 ? 15_000 : BUDGET.action).catch(
        (e: unknown) => {
          if (attempt >= 3) {
            throw e;
          }
          return undefined;
        },
      );
    }
    const before412 = (await emu.requests()).length;
    await contextMenu(page, assignmentEl, 'Remove Access Assignment…');
    const first = await waitForModal(page, /Remove the access of/);
    assert.doesNotMatch(first, /changed since it was read/);
    const touched = await emu.fetch<{ '@odata.etag': string }>('/_emulator/touch', {
      method: 'POST',
      body: { relationshipId: target.relationship.id, assignmentId: assignment.id },
    });
    await clickModalButton(page, 'Remove');
    await waitForModal(page, /changed since it was read; this is what it holds now/, 60_000);
    await clickModalButton(page, 'Remove');
    await eventually(
      async () => {
        const left = ((await emu.state()).accessAssignments[target.relationship.id] ?? []).find((a) => a.id === assignment.id);
        return left === undefined || left.status === 'deleted';
      },
      'assignment gone in the emulator',
      60_000,
    );
    const deletes = (await emu.requests())
      .slice(before412)
      .filter((r) => r.method === 'DELETE' && r.path.endsWith(`/accessAssignments/${assignment.id}`));
    assert.deepEqual(
      deletes.map((d) => [d.status, d.headers?.['if-match']]),
      [
        [412, assignment['@odata.etag']],
        [204, touched['@odata.etag']],
      ],
      'the stale ETag got 412, the re-read one removed it',
    );
    await eventually(
      async () => !(await hasChildTreeRow(page, target.relationship.displayName, row)),
      'the removed assignment leaves the tree',
      BUDGET.network,
    );
    state = await emu.state();
    assert.equal(
      relationships(state).find((r) => r.id === target.relationship.id)?.status,
      'active',
      'the relationship itself is untouched',
    );
    const errors = (await notifications(page)).filter((t) => /HTTP 412|changed since it was read/.test(t));
    assert.deepEqual(errors, [], 'the 412 was handled by asking again, not shown as a failure');
  });
});
