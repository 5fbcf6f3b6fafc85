// The "No GDAP" group in Chromium: after sign-in the Partner Center customers without any GDAP
// relationship appear in one collapsed group at the end of the tree; expanding it shows them, a customer
// whose DAP is still on says so on its row, and its context menu offers New Relationship and Remove DAP
// (whose confirmation asks for the name to be typed, since no GDAP remains). Screenshots of each step are kept in
// test/artifacts/e2e/ (accesstree-*.png); the README's is copied to media/.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorState } from './harness/emulator';
import { emulatorOf } from './harness/emulator';
import { customersOf } from './harness/targets';
import {
  allowConsentsUntil,
  BUDGET,
  eventually,
  expandRow,
  openViewContainer,
  quickInput,
  treeRow,
  waitForRowDescription,
  waitForTreeRow,
} from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

type PcCustomer = { id: string; companyName: string | null; allowDelegatedAccess: boolean };

/** Partner Center customers the tree has no GDAP relationship for (the group's customers). */
function withoutGdap(state: EmulatorState): PcCustomer[] {
  const withGdap = new Set(customersOf(state).map((c) => c.tenantId.toLowerCase()));
  for (const c of state.customers as { tenantId?: string; id?: string }[]) {
    withGdap.add((c.tenantId ?? c.id ?? '').toLowerCase());
  }
  return (state.partnerCenterCustomers as PcCustomer[]).filter((p) => !withGdap.has(p.id.toLowerCase()));
}

describe('The No GDAP group in the browser', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench();
  let target: PcCustomer;
  let count = 0;

  it('1. signs in; the collapsed "No GDAP" group is the last row and counts its customers', async () => {
    const { page } = wb();
    await openViewContainer(page, 'GDAP');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    const state = await emulatorOf(wb()).state();
    const first = customersOf(state)[0];
    await allowConsentsUntil(page, treeRow(page, first.name));
    const firstRow = await waitForTreeRow(page, first.name);
    const expected = withoutGdap(state);
    count = expected.length;
    assert.ok(count > 0, 'the demo data has customers without GDAP');
    const dapOn = expected.find((p) => p.allowDelegatedAccess && p.companyName !== null);
    assert.ok(dapOn, 'one of them still has DAP');
    target = dapOn;
    // The group is the last row: End moves the focus (and the view) there.
    await firstRow.click();
    await eventually(
      async () => {
        await page.keyboard.press('End');
        return (await treeRow(page, 'No GDAP').count()) > 0;
      },
      'the No GDAP group at the end of the tree',
      BUDGET.network,
    );
    const group = await waitForTreeRow(page, 'No GDAP');
    assert.equal(await group.getAttribute('aria-expanded'), 'false', 'collapsed by default');
    await waitForRowDescription(page, 'No GDAP', count === 1 ? '1 customer' : `${count} customers`);
    await wb().screenshot('accesstree-1-group');
  });

  it('2. expands the group: each customer is listed, and the one with DAP says "DAP on"', async () => {
    const { page } = wb();
    await expandRow(page, 'No GDAP');
    const name = target.companyName ?? target.id;
    await eventually(
      async () => {
        await page.keyboard.press('End');
        return (await treeRow(page, name).count()) > 0;
      },
      `${name} under No GDAP`,
      BUDGET.network,
    );
    // Read in the background after the list: it arrives on its own.
    await waitForRowDescription(page, name, /DAP on/);
    const label = await treeRow(page, name).first().getAttribute('aria-label');
    assert.match(label ?? '', /no GDAP relationship.*legacy DAP on/, `read out with its DAP state: ${label}`);
    await wb().screenshot('accesstree-2-expanded');
  });

  it('3. right-clicks a customer: New Relationship and Remove DAP are offered; Remove DAP asks for the name', async () => {
    const { page } = wb();
    const name = target.companyName ?? target.id;
    const row = await waitForTreeRow(page, name);
    await row.click({ button: 'right' });
    const items = page.locator('.context-view .monaco-menu .action-item .action-label');
    await items.first().waitFor({ state: 'visible' });
    const texts = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '');
    assert.ok(texts.includes('New Relationship…'), `offered: ${texts.join(', ')}`);
    assert.ok(texts.includes('Remove DAP…'), `offered: ${texts.join(', ')}`);
    assert.ok(!texts.includes('Terminate Relationship…'), 'nothing about relationships it does not have');
    // The menu fades in: the picture is taken once it is fully shown.
    await page.waitForFunction(
      () => {
        const menu = document.querySelector('.context-view .monaco-menu-container') ?? document.querySelector('.context-view');
        return menu !== null && Number(getComputedStyle(menu).opacity) === 1;
      },
      undefined,
      { timeout: BUDGET.action },
    );
    await wb().screenshot('accesstree-3-context-menu');
    copyFileSync(
      join(REPO_ROOT, 'test', 'artifacts', 'e2e', 'accesstree-3-context-menu.png'),
      join(REPO_ROOT, 'media', 'screenshot-no-gdap.png'),
    );
    const remove = page.locator('.context-view .monaco-menu .action-item').filter({ hasText: 'Remove DAP…' }).first();
    await remove.hover();
    await remove.click();
    // No GDAP remains, so the confirmation asks for the customer's name to be typed (an input box).
    const widget = quickInput(page);
    await widget
      .getByText(/Remove legacy DAP/)
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.network });
    const text = await widget.innerText();
    assert.ok(text.includes(`Type "${name}" to confirm`), `the name must be typed: ${text}`);
    assert.match(text, /has no active GDAP relationship/);
    await wb().screenshot('accesstree-4-remove-dap');
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: BUDGET.action });
    const after = await emulatorOf(wb()).state();
    assert.equal(
      (after.partnerCenterCustomers as PcCustomer[]).find((p) => p.id === target.id)?.allowDelegatedAccess,
      true,
      'cancelled: DAP stays on',
    );
  });
});
