// GDAP templates in the browser (code-server with the packaged VSIX) against the emulator, one screenshot
// per step (test/artifacts/e2e/templates-*.png): a *.gdap.json file with a misspelt role shows the
// problem in the Problems panel and its quick fix corrects it; "GDAP: Plan Template" opens the plan in the
// diff editor (current ↔ desired) without sending a change; "Apply Plan…" asks for the number of changes
// to be typed (gdap.confirmation = typeName), applies the plan and reports it. The diff's screenshot is
// the README's picture of a plan (listed in scripts/screenshots.mjs).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_CATALOG } from '../../src/core/roles/roleCatalog';
import { emulatorOf, type EmulatorState } from './harness/emulator';
import {
  allowConsentsUntil,
  answerInputBox,
  BUDGET,
  clickNotificationButton,
  eventually,
  openViewContainer,
  quickInput,
  runCommand,
  treeRow,
  waitForNotification,
} from './harness/ui';
import { useWorkbench, type Workbench } from './harness/workbench';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const FILE = 'contoso-support.gdap.json';

interface Rel {
  id: string;
  status: string;
  displayName: string;
  customer: { tenantId?: string; displayName?: string } | null;
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

interface Assignment {
  status: string;
  accessContainer?: { accessContainerId: string };
}

const relationships = (s: EmulatorState): Rel[] => s.relationships as unknown as Rel[];
const assignments = (s: EmulatorState): Record<string, Assignment[]> =>
  (s as unknown as { accessAssignments: Record<string, Assignment[]> }).accessAssignments;
const groups = (s: EmulatorState): { id: string }[] => (s as unknown as { securityGroups: { id: string }[] }).securityGroups;
const roleName = (id: string): string | undefined => ROLE_CATALOG.find((r) => r.id.toLowerCase() === id.toLowerCase())?.name;

type Target = { rel: Rel; tenantId: string; roles: string[]; name: string; group: string };

/** A customer with one active relationship (no Global Administrator) holding an "… Administrator" role, and a group not assigned on it. */
async function pickTarget(w: Workbench): Promise<Target> {
  const state = await emulatorOf(w).state();
  const active = relationships(state).filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
  const rel = active.find(
    (x) =>
      !x.accessDetails.unifiedRoles.some((u) => u.roleDefinitionId === GA) &&
      x.accessDetails.unifiedRoles.some((u) => /Administrator/.test(roleName(u.roleDefinitionId) ?? '')) &&
      active.filter((y) => y.customer?.tenantId === x.customer?.tenantId).length === 1 &&
      !/\s{2}/.test(x.displayName),
  );
  assert.ok(rel, 'a customer with one active relationship holding an "… Administrator" role (not Global Administrator)');
  const roles = rel.accessDetails.unifiedRoles.map((u) => u.roleDefinitionId.toLowerCase());
  const name = roles.map(roleName).find((n) => /Administrator/.test(n ?? '')) ?? '';
  const assigned = new Set((assignments(state)[rel.id] ?? []).map((a) => a.accessContainer?.accessContainerId.toLowerCase()));
  const group = groups(state)
    .map((g) => g.id.toLowerCase())
    .find((g) => !assigned.has(g));
  assert.ok(group, 'a security group not yet assigned on that relationship');
  return { rel, tenantId: (rel.customer?.tenantId ?? '').toLowerCase(), roles, name, group };
}

/** Signs in to the emulator from the view's welcome button. */
async function signIn(w: Workbench, target: Target): Promise<void> {
  await openViewContainer(w.page, 'GDAP');
  await w.page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
  await allowConsentsUntil(w.page, treeRow(w.page, target.rel.customer?.displayName ?? ''));
}

/** Writes the template into the opened folder and opens it through Quick Open (F1 without the ">" prefix). */
async function openTemplate(w: Workbench, target: Target, assignedRole: string): Promise<void> {
  const { page } = w;
  const template = {
    version: 1,
    relationships: [
      {
        name: target.rel.displayName,
        customers: [target.tenantId],
        roles: target.roles,
        assignments: [{ group: target.group, roles: [assignedRole] }],
      },
    ],
  };
  writeFileSync(join(w.server.dirs.workspace, FILE), `${JSON.stringify(template, null, 2)}\n`);
  await page.locator('.monaco-workbench').focus();
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input[type=text]');
  await input.fill(FILE);
  await quickInput(page).locator('.monaco-list-row').filter({ hasText: FILE }).first().waitFor({ state: 'visible' });
  await input.press('Enter');
  await page.locator('.tab.active', { hasText: FILE }).waitFor({ state: 'visible' });
}

/** Change requests (not reads, not the control API) the emulator received. */
async function changesSent(w: Workbench): Promise<number> {
  return (await emulatorOf(w).requests()).filter((r) => r.method !== 'GET' && r.path.startsWith('/v1.0/') && !r.path.endsWith('$batch'))
    .length;
}

describe('Templates in the browser', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench({ settings: { 'gdap.confirmation': 'typeName' } });

  /** The target: a customer with one active relationship (no Global Administrator), a role to misspell, a group to add. */
  let target: Target;

  async function shot(name: string): Promise<void> {
    await wb().screenshot(`templates-${name}`);
  }

  it('1. a misspelt role is a problem in the Problems panel, and its quick fix corrects it', async () => {
    const { page } = wb();
    target = await pickTarget(wb());
    await signIn(wb(), target);
    const misspelt = target.name.replace('Administrator', 'Adminstrator');
    await openTemplate(wb(), target, misspelt);

    await runCommand(page, 'Focus on Problems View');
    const problem = page.locator('.markers-panel .monaco-list-row').filter({ hasText: misspelt }).first();
    await problem.waitFor({ state: 'visible', timeout: BUDGET.network });
    const text = await problem.innerText();
    assert.match(text, /\$\.relationships\[0\]\.assignments\[0\]\.roles\[0\]/, text);
    await shot('1-problem');

    // Open the problem in the editor (the cursor lands on it), then ask for its quick fixes.
    await problem.dblclick();
    await page.locator('.monaco-editor.focused').waitFor({ state: 'visible' });
    await page.keyboard.press('Control+.');
    const fix = page
      .locator('.action-widget .monaco-list-row')
      .filter({ hasText: `Replace with "${target.name}"` })
      .first();
    await fix.waitFor({ state: 'visible' });
    await shot('2-quick-fix');
    await fix.click();
    await page
      .locator('.markers-panel .monaco-list-row')
      .filter({ hasText: misspelt })
      .waitFor({ state: 'detached', timeout: BUDGET.network });
    await page.keyboard.press('Control+S');
    await page.locator('.tab.active.dirty', { hasText: FILE }).waitFor({ state: 'detached' });
  });

  it('2. "GDAP: Plan Template" opens the plan in the diff editor, both sides, without sending a change', async () => {
    const { page } = wb();
    const before = await changesSent(wb());
    await runCommand(page, 'GDAP: Plan Template');
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ state: 'visible', timeout: BUDGET.network });
    await page.locator('.tab.active', { hasText: `GDAP plan: ${FILE}` }).waitFor({ state: 'visible' });
    const original = diff.locator('.editor.original .view-lines');
    const modified = diff.locator('.editor.modified .view-lines');
    // The diff opens scrolled to the first change; both sides render the same lines around it.
    await eventually(async () => (await modified.innerText()).includes(target.group), 'the new group on the desired side', BUDGET.action);
    await eventually(
      async () => (await original.innerText()).includes(target.rel.id),
      'the relationship on the current side',
      BUDGET.action,
    );
    assert.ok((await modified.innerText()).includes(target.rel.id), 'the relationship on the desired side');
    assert.ok(!(await original.innerText()).includes(target.group), 'the new group is not on the current side');
    // The plan's documents are state, not templates: no template problem is reported on them.
    const planProblems = page.locator('.markers-panel .monaco-list-row').filter({ hasText: /\/(current|desired)/ });
    assert.equal(await planProblems.count(), 0, 'no problems on the plan documents');
    await waitForNotification(page, new RegExp(`${FILE.replace(/\./g, '\\.')}: 1 change \\(assign 1\\)`));
    assert.equal(await changesSent(wb()), before, 'planning sent nothing');
    // The README's picture of a plan (scripts/screenshots.mjs copies it to media/).
    await shot('3-plan-diff');
  });

  it('3. "Apply Plan…" asks for the number of changes typed, applies the plan and reports it', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    await clickNotificationButton(page, /1 change \(assign 1\)/, 'Apply Plan…');
    const box = quickInput(page);
    await box.filter({ hasText: 'Type "1" to confirm.' }).waitFor({ state: 'visible' });
    assert.match(await box.innerText(), new RegExp(`assign group ${target.group}`));
    await shot('4-typed-confirmation');
    await answerInputBox(page, '1');
    const report = await waitForNotification(page, /Apply Plan: .* — done\./);
    assert.ok(report.includes(target.group), report);
    await eventually(
      async () =>
        (assignments(await emu.state())[target.rel.id] ?? []).some(
          (a) => a.accessContainer?.accessContainerId.toLowerCase() === target.group && a.status === 'active',
        ),
      'the assignment active in the emulator',
    );
    await shot('5-report');
  });
});

// Restricted Mode for real: workspace trust on (code-server starts without --disable-workspace-trust) and
// no start-up prompt, so the folder opens untrusted.
describe('Templates in Restricted Mode', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench({ settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' } });

  it('plans a template in an untrusted folder but refuses to apply it, and says why', async () => {
    const { page } = wb();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'visible', timeout: BUDGET.startup });
    const target = await pickTarget(wb());
    await signIn(wb(), target);
    await openTemplate(wb(), target, target.name);
    const before = await changesSent(wb());
    await runCommand(page, 'GDAP: Plan Template');
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'visible', timeout: BUDGET.network });
    await waitForNotification(page, /1 change \(assign 1\)/);
    await clickNotificationButton(page, /1 change \(assign 1\)/, 'Apply Plan…');
    await waitForNotification(page, /Applying a template is not available in Restricted Mode: trust this workspace to apply it/);
    await wb().screenshot('templates-restricted-refused');
    assert.equal(await changesSent(wb()), before, 'nothing sent in Restricted Mode');
    const live = (assignments(await emulatorOf(wb()).state())[target.rel.id] ?? []).filter(
      (a) => a.accessContainer?.accessContainerId.toLowerCase() === target.group,
    );
    assert.equal(live.length, 0, 'the group is not assigned');
  });
});
