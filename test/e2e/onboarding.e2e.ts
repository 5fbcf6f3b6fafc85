// The onboarding lifecycle in the browser, one screenshot per step (test/artifacts/e2e/onboarding-*.png):
// New Relationship… from the view's title bar through every form step, the create confirmation, the
// approval link offered, the pending invitation in the tree, the customer's approval through the
// emulator's control API, the notification that says so, and the History under the relationship.
// With GDAP_README_IMAGES=1 the same pictures are also written to docs/images/ for the README.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorOf } from './harness/emulator';
import {
  allowConsentsUntil,
  answerInputBox,
  BUDGET,
  clickModalButton,
  clickNotificationButton,
  contextMenu,
  eventually,
  expandRow,
  openViewContainer,
  pickQuickItem,
  quickInput,
  runCommand,
  treeRow,
  waitForModal,
  waitForNotification,
  waitForRowDescription,
  waitForTreeRow,
} from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

const NAME = 'Fabrikam onboarding';

interface Rel {
  id: string;
  status: string;
  displayName: string;
  customer: { tenantId?: string; displayName?: string } | null;
}

describe('Onboarding in the browser', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench({ viewport: { width: 1280, height: 800 } });

  /** Keeps a screenshot of the step; also into docs/images/ when the README's pictures are renewed. */
  async function shot(name: string): Promise<void> {
    const path = await wb().screenshot(`onboarding-${name}`);
    if (process.env.GDAP_README_IMAGES === '1') {
      const dir = join(REPO_ROOT, 'docs', 'images');
      mkdirSync(dir, { recursive: true });
      copyFileSync(path, join(dir, `onboarding-${name}.png`));
    }
  }

  /** Waits until the form shows step `n` of 7 (the title counts the steps). */
  async function step(n: number): Promise<void> {
    await quickInput(wb().page)
      .locator('.quick-input-title')
      .filter({ hasText: `(${n}/7)` })
      .waitFor({ state: 'visible', timeout: BUDGET.action });
  }

  async function relationship(name: string): Promise<Rel | undefined> {
    return ((await emulatorOf(wb()).state()).relationships as unknown as Rel[]).find((r) => r.displayName === name);
  }

  it('creates a relationship through the form, locks it, offers the link; the approval is announced', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const state = await emu.state();
    const customer = (state.customers as { tenantId: string; displayName: string }[])[0];
    await openViewContainer(page, 'GDAP');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    await allowConsentsUntil(page, treeRow(page, customer.displayName));
    await waitForTreeRow(page, customer.displayName);

    // 1. Name (validated as typed: an existing name is refused).
    await runCommand(page, 'GDAP: New Relationship…');
    const input = quickInput(page).locator('input[type=text]');
    await input.waitFor({ state: 'visible' });
    await input.fill((state.relationships[0] as { displayName: string }).displayName);
    await quickInput(page)
      .getByText(/already exists; choose another name/)
      .waitFor({ state: 'visible', timeout: BUDGET.action });
    await shot('1-name-refused');
    await answerInputBox(page, NAME);

    // 2. Customer.
    await step(2);
    await pickQuickItem(page, customer.displayName, { filter: customer.displayName });
    // 3. Duration (default P730D).
    await step(3);
    assert.equal(await input.inputValue(), 'P730D');
    await shot('2-duration');
    await input.press('Enter');
    // 4. Roles (multi-select): Global Reader.
    await step(4);
    await input.fill('Global Reader');
    await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Global Reader' }).first().click();
    await shot('3-roles');
    await input.press('Enter');
    // 5. Auto-extend.
    await step(5);
    await pickQuickItem(page, 'Auto-extend every 180 days');
    // 6. Planned group assignments: none.
    await step(6);
    await pickQuickItem(page, 'Continue');
    // 7. Summary.
    await step(7);
    await quickInput(page).getByText('Create and lock for approval').waitFor({ state: 'visible' });
    await shot('4-summary');
    await pickQuickItem(page, 'Create and lock for approval');

    const modal = await waitForModal(page, /Create the GDAP relationship/);
    assert.ok(modal.includes(NAME));
    assert.ok(modal.includes(customer.displayName));
    await shot('5-confirm');
    await clickModalButton(page, 'Create');

    const offered = await waitForNotification(page, /waiting for the customer's approval/, 60_000);
    assert.ok(offered.includes(NAME));
    await shot('6-approval-link');
    await clickNotificationButton(page, /waiting for the customer's approval/, 'Copy Approval Link');
    const created = await eventually(async () => {
      const r = await relationship(NAME);
      return r?.status === 'approvalPending' ? r : undefined;
    }, 'the relationship locked for approval in the emulator');

    await expandRow(page, customer.displayName);
    await waitForRowDescription(page, NAME, /approval pending · sent today · lapses in (89|90) days/);
    await shot('7-pending');

    await emu.fetch(`/_emulator/relationships/${created.id}/approve`, { method: 'POST' });
    await eventually(async () => (await relationship(NAME))?.status === 'active', 'the customer approved in the emulator');
    await runCommand(page, 'GDAP: Refresh');
    await waitForNotification(page, /The customer approved "Fabrikam onboarding": it is active now/, 60_000);
    await shot('8-approved');
    // The row the partner acts on next says so too (its menu offers what an active relationship allows).
    await waitForRowDescription(page, NAME, /^active · /);

    await expandRow(page, NAME);
    await expandRow(page, 'History');
    await waitForTreeRow(page, 'Lock for approval');
    await shot('9-history');
  });

  it('Add Access Assignment… searches the security group by name as the user types', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const group = ((await emu.state()).securityGroups as { id: string; displayName: string }[])[3];
    const created = await relationship(NAME);
    assert.ok(created);
    await contextMenu(page, NAME, 'Add Access Assignment…');
    const input = quickInput(page).locator('input[type=text]');
    await input.waitFor({ state: 'visible' });
    await quickInput(page)
      .getByText(/Type at least 2 letters/)
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.action });
    await input.fill(group.displayName.slice(0, 8));
    const row = quickInput(page).locator('.monaco-list-row').filter({ hasText: group.displayName }).first();
    await row.waitFor({ state: 'visible', timeout: BUDGET.network });
    await shot('10-group-search');
    await row.click();
    await input.fill('Global Reader');
    await quickInput(page).locator('.monaco-list-row').filter({ hasText: 'Global Reader' }).first().click();
    await input.press('Enter');
    const modal = await waitForModal(page, /./);
    assert.ok(modal.includes(group.displayName), `the confirmation names the group: ${modal}`);
    await clickModalButton(page, 'Assign');
    await eventually(async () => {
      const list = (
        (await emu.state()).accessAssignments as unknown as Record<
          string,
          { accessContainer: { accessContainerId: string }; status: string }[]
        >
      )[created.id];
      return (list ?? []).some((a) => a.accessContainer.accessContainerId.toLowerCase() === group.id.toLowerCase() && a.status === 'active')
        ? true
        : undefined;
    }, 'the assignment active in the emulator');
  });
});
