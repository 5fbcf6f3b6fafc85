// What a partner reads while changing things: the confirmation, the progress notification and the report
// of a terminate (one relationship) and of a bulk remove (three access assignments chosen together in the
// tree) name the targets, never show an id, and use the right singular or plural. The emulator runs slower
// than in the other scenarios (--time-scale 0.2: a termination takes 15 s) so the progress can be read.
// Screenshots of each step are kept in test/artifacts/e2e/ (wording-*.png).
import * as assert from 'node:assert/strict';
import { emulatorOf, type EmulatorState, readSince } from './harness/emulator';
import { activeTargetOf, customersOf, relationshipsOf, type Assignment, type Rel } from './harness/targets';
import {
  allowConsentsUntil,
  BUDGET,
  childTreeRow,
  clickModalButton,
  contextMenu,
  contextMenuToModal,
  eventually,
  expandRow,
  hasChildTreeRow,
  openViewContainer,
  recordNotifications,
  treeRow,
  waitForModal,
  waitForNotification,
  waitForRowDescription,
} from './harness/ui';
import { useWorkbench } from './harness/workbench';

/** A run of 13 or more hex digits and hyphens with a digit in it: a GUID or a piece of one longer than 12 characters. */
const LONG_ID = /(?=[0-9a-f-]*\d)[0-9a-f-]{13,}/i;

function assertNoLongId(texts: readonly string[], what: string): void {
  for (const t of texts) {
    assert.doesNotMatch(t, LONG_ID, `${what} shows an id: "${t}"`);
  }
}

/** How often `part` occurs in `text`. */
function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** The group names of a relationship's active assignments, when all are known and distinct. */
function namedAssignments(state: EmulatorState, rel: Rel): { assignment: Assignment; name: string }[] {
  const groups = (state.securityGroups as { id: string; displayName: string }[] | undefined) ?? [];
  const active = ((state.accessAssignments[rel.id] ?? []) as unknown as Assignment[]).filter((a) => a.status === 'active');
  const named = active.map((assignment) => ({
    assignment,
    name: groups.find((g) => g.id === assignment.accessContainer.accessContainerId)?.displayName ?? '',
  }));
  return named.filter((n) => n.name !== '' && !LONG_ID.test(n.name) && named.filter((o) => o.name === n.name).length === 1);
}

describe('What a partner reads: names, not ids, and the right plural', function () {
  this.timeout(4 * BUDGET.network);
  const wb = useWorkbench({ emulatorArgs: ['--port', '0', '--time-scale', '0.2', '--seed', '1', '--preset', 'demo'] });
  const used = new Set<string>();

  it('signs in to the emulator', async () => {
    const { page } = wb();
    await openViewContainer(page, 'GDAP');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    const state = await emulatorOf(wb()).state();
    await allowConsentsUntil(page, treeRow(page, customersOf(state)[0].name));
    // The README's picture of the tree: a customer opened on its relationships (none used by the tests below).
    const shown = activeTargetOf(state, new Set());
    await expandRow(page, shown.customer);
    await waitForRowDescription(page, shown.relationship.displayName, /^active · /);
    // Wider side bar for the picture (drag the sash at its edge), so names and descriptions show whole.
    const bar = await page.locator('.part.sidebar').boundingBox();
    if (bar !== null) {
      await page.mouse.move(bar.x + bar.width + 1, bar.y + bar.height / 2);
      await page.mouse.down();
      await page.mouse.move(bar.x + bar.width + 380, bar.y + bar.height / 2, { steps: 10 });
      await page.mouse.up();
    }
    await expandRow(page, shown.relationship.displayName);
    await eventually(
      () => hasChildTreeRow(page, shown.relationship.displayName, /.+/),
      "the relationship's roles and access assignments shown",
      BUDGET.network,
    );
    await wb().screenshot('wording-tree');
    await expandRow(page, shown.relationship.displayName).catch(() => undefined);
    await page.keyboard.press('ArrowLeft');
    await expandRow(page, shown.customer).catch(() => undefined);
    await page.keyboard.press('ArrowLeft');
  });

  it('terminate one relationship: the modal names it once and says "this relationship"; progress and report name it', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const toasts = await recordNotifications(page);
    let target = activeTargetOf(await emu.state(), used);
    while (LONG_ID.test(target.relationship.displayName)) {
      target = activeTargetOf(await emu.state(), used);
    }
    const name = target.relationship.displayName;
    await expandRow(page, target.customer);
    const modal = await contextMenuToModal(
      page,
      name,
      'Terminate Relationship…',
      /Terminate the GDAP relationship/,
      await readSince(emu, `/delegatedAdminRelationships/${target.relationship.id}`),
    );
    await wb().screenshot('wording-terminate-modal');
    assert.equal(occurrences(modal, name), 1, `the name once in: ${modal}`);
    assert.match(modal, /this relationship/);
    assert.doesNotMatch(modal, /these relationships|relationships grant/);
    assertNoLongId([modal], 'the terminate modal');
    await toasts.clear();
    await clickModalButton(page, 'Terminate');

    const progress = await waitForNotification(page, /waiting for Microsoft to end it/, BUDGET.network);
    await wb().screenshot('wording-terminate-progress');
    assert.match(progress, new RegExp(`${escape(name)}: waiting for Microsoft to end it`));
    assert.doesNotMatch(progress, /\(\d+ of \d+\)/, 'one target: no "1 of 1"');
    const report = await waitForNotification(page, /Terminate Relationship: .* — done\./, BUDGET.network);
    await wb().screenshot('wording-terminate-report');
    assert.equal(report, `Terminate Relationship: ${name} — done.`);
    await waitForRowDescription(page, name, /^terminated/, BUDGET.network);
    const seen = await toasts.texts();
    assert.ok(
      seen.some((t) => t.includes(`${name}: waiting for Microsoft to end it`)),
      `progress named: ${seen.join(' | ')}`,
    );
    assertNoLongId(seen, 'a notification of the terminate');
    assert.doesNotMatch(seen.join('\n'), /terminationRequested|terminating\b/, 'no API status as the message');
    assert.equal(relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status, 'terminated');
  });

  it('remove three access assignments chosen together: "these 3", each named in the modal, progress and report', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const toasts = await recordNotifications(page);
    const state = await emu.state();
    // A relationship with three active assignments whose groups have distinct names.
    let found: { customer: string; relationship: Rel; picked: { assignment: Assignment; name: string }[] } | undefined;
    for (let i = 0; found === undefined && i < 40; i++) {
      const t = activeTargetOf(state, used, true);
      const named = namedAssignments(state, t.relationship);
      if (named.length >= 3 && !LONG_ID.test(t.relationship.displayName)) {
        found = { customer: t.customer, relationship: t.relationship, picked: named.slice(0, 3) };
      }
    }
    assert.ok(found, 'a relationship with three named active access assignments');
    const { customer, relationship, picked } = found;
    await expandRow(page, customer);
    await expandRow(page, relationship.displayName);
    const rows = [];
    for (const p of picked) {
      rows.push(await childTreeRow(page, relationship.displayName, p.name));
    }
    await rows[0].click();
    await rows[1].click({ modifiers: ['ControlOrMeta'] });
    await rows[2].click({ modifiers: ['ControlOrMeta'] });
    await eventually(
      async () => (await page.locator('.monaco-list-row.selected[role=treeitem]').count()) === 3,
      'three rows selected',
      BUDGET.action,
    );
    await contextMenu(page, rows[2], 'Remove Access Assignment…');
    const modal = await waitForModal(page, /Remove these 3 access assignments\?/);
    await wb().screenshot('wording-remove-modal');
    for (const p of picked) {
      assert.ok(modal.includes(p.name), `${p.name} in: ${modal}`);
    }
    assert.doesNotMatch(modal, /this relationship|the security group lose/);
    assertNoLongId([modal], 'the remove modal');
    await toasts.clear();
    await clickModalButton(page, 'Remove');

    await waitForNotification(page, /waiting for Microsoft to remove it \(\d of 3\)/, BUDGET.network);
    await wb().screenshot('wording-remove-progress');
    const report = await waitForNotification(page, /Remove Access Assignment: 3 items: .* — done\./, BUDGET.network);
    await wb().screenshot('wording-remove-report');
    for (const p of picked) {
      assert.ok(report.includes(p.name), `${p.name} in the report: ${report}`);
    }
    const seen = await toasts.texts();
    assert.ok(
      seen.some((t) => picked.some((p) => new RegExp(`${escape(p.name)}: waiting for Microsoft to remove it \\([123] of 3\\)`).test(t))),
      `progress named with "n of 3": ${seen.join(' | ')}`,
    );
    assertNoLongId(seen, 'a notification of the bulk remove');
    assert.doesNotMatch(seen.join('\n'), /\bdeleting\b|\bdeleted\b/, 'no API status as the message');
    await eventually(async () => {
      const left = ((await emu.state()).accessAssignments[relationship.id] ?? []) as unknown as Assignment[];
      return picked.every((p) => {
        const a = left.find((x) => x.id === p.assignment.id);
        return a === undefined || a.status === 'deleted';
      });
    }, 'the three assignments gone in the emulator');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
