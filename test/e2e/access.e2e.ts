// The Access Matrix webview in Chromium: opened from the palette, its controls named in the
// accessibility tree, the search and privileged-only filters, a row chosen with the keyboard opening its
// relationship in the tree, and a CSV export through VS Code's save dialog. Screenshots of each step are
// kept in test/artifacts/e2e/ (access-*.png); the README's is copied to media/.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { emulatorOf } from './harness/emulator';
import { customersOf } from './harness/targets';
import { allowConsentsUntil, BUDGET, eventually, openViewContainer, quickInput, runCommand, treeRow, waitForTreeRow } from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

/** The roles a control has in an aria snapshot; each must carry a name ("- button "Export CSV""). */
const CONTROL = /^\s*- '?(button|textbox|searchbox|checkbox|combobox|link|grid|columnheader|gridcell)\b(.*)$/;

describe('Access Matrix in the browser', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench();
  let matrix: FrameLocator;

  it('1. signs in and opens the matrix from the palette', async () => {
    const { page } = wb();
    await openViewContainer(page, 'GDAP');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    const state = await emulatorOf(wb()).state();
    const first = customersOf(state)[0];
    await allowConsentsUntil(page, treeRow(page, first.name));
    await waitForTreeRow(page, first.name);
    await runCommand(page, 'GDAP: Show Access Matrix');
    // The webview's document sits in an iframe inside VS Code's webview iframe.
    matrix = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await matrix
      .locator('#count')
      .filter({ hasText: /^\d+ of \d+ rows$/ })
      .waitFor({ timeout: BUDGET.network });
    await wb().screenshot('access-matrix');
    copyFileSync(
      join(REPO_ROOT, 'test', 'artifacts', 'e2e', 'access-matrix.png'),
      join(REPO_ROOT, 'media', 'screenshot-access-matrix.png'),
    );
  });

  it('2. every control has a name in the accessibility tree', async () => {
    const snapshot = await matrix.locator('body').ariaSnapshot();
    const controls = snapshot.split('\n').filter((l) => CONTROL.test(l));
    assert.ok(controls.length >= 10, `controls found:\n${snapshot}`);
    for (const line of controls) {
      assert.match(line, /^\s*- '?\w+ "[^"]+"/, `a control without a name: ${line}`);
    }
    for (const name of ['Search customers, groups and roles', 'Privileged roles only', 'Export CSV', 'Export Markdown']) {
      assert.ok(snapshot.includes(`"${name}"`), `${name} is named`);
    }
    // YAML quotes a line holding a colon: - 'grid "Access rows: …"':
    assert.match(snapshot, /- '?grid "Access rows: Enter opens the relationship in the tree"/);
  });

  it('3. filters by search and by privilege', async () => {
    const state = await emulatorOf(wb()).state();
    const total = Number((await matrix.locator('#count').textContent())?.match(/of (\d+) rows/)?.[1]);
    assert.ok(total > 0);
    const customer = customersOf(state).find((c) => c.rels.some((r) => r.status === 'active'));
    assert.ok(customer);
    await matrix.getByLabel('Search customers, groups and roles').fill(customer.name);
    const shown = await eventually(async () => {
      const n = Number((await matrix.locator('#count').textContent())?.match(/^(\d+) of/)?.[1]);
      return n > 0 && n < total ? n : undefined;
    }, 'the search narrows the rows');
    const customers = await matrix.locator('[role=rowgroup] [role=row] .col-customer').allTextContents();
    assert.ok(customers.length > 0 && customers.length <= shown);
    assert.ok(
      customers.every((c) => c === customer.name),
      `only ${customer.name}: ${customers.join(', ')}`,
    );
    await matrix.getByLabel('Search customers, groups and roles').fill('');
    await matrix.getByLabel('Privileged roles only').check();
    await eventually(async () => {
      const n = Number((await matrix.locator('#count').textContent())?.match(/^(\d+) of/)?.[1]);
      return n > 0 && n < total ? n : undefined;
    }, 'privileged-only narrows the rows');
    const flags = await matrix.locator('[role=rowgroup] [role=row] .col-privileged').allTextContents();
    assert.ok(
      flags.every((f) => f === 'yes' || f === 'unknown'),
      `only privileged (or unknown) roles: ${flags.join(', ')}`,
    );
    await wb().screenshot('access-matrix-privileged');
    await matrix.getByLabel('Privileged roles only').uncheck();
  });

  it('4. a row chosen with the keyboard opens its relationship in the tree', async () => {
    const { page } = wb();
    const firstRow = matrix.locator('[role=rowgroup] [role=row]').first();
    // Focus without a click: a click opens the row, and opening moves the focus to the tree.
    await firstRow.focus();
    await page.keyboard.press('ArrowDown');
    const second = matrix.locator('[role=rowgroup] [role=row][aria-rowindex="3"]');
    await second.waitFor();
    const relationship = (await second.locator('.col-relationship').textContent()) ?? '';
    assert.notEqual(relationship, '');
    await page.keyboard.press('Enter');
    await page
      .locator('.part.sidebar .monaco-list-row.selected')
      .filter({ hasText: relationship })
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.network });
    await wb().screenshot('access-matrix-reveal');
  });

  it('5. exports the rows shown as CSV through the save dialog', async () => {
    const { page } = wb();
    // The dialog offers gdap-access.csv in the workspace folder; accepting it writes there.
    const file = join(wb().server.dirs.workspace, 'gdap-access.csv');
    assert.ok(!existsSync(file));
    await matrix.getByRole('button', { name: 'Export CSV' }).click();
    // code-server's save dialog is VS Code's own, in the quick input.
    const input = quickInput(page).locator('input[type=text]');
    await input.waitFor({ state: 'visible', timeout: BUDGET.action });
    // It fills in the folder first, then the offered name.
    const offered = await eventually(async () => {
      const value = await input.inputValue();
      return value.endsWith('/gdap-access.csv') ? value : undefined;
    }, 'the dialog offers gdap-access.csv');
    assert.equal(offered, file);
    await wb().screenshot('access-matrix-save');
    await input.press('Enter');
    await eventually(() => (existsSync(file) ? true : undefined), 'the CSV is written');
    const lines = readFileSync(file, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    assert.match(lines[0], /^customerTenantId,customerName,relationshipId,relationshipName,groupId,groupName,roleDefinitionId,roleName/);
    const total = Number((await matrix.locator('#count').textContent())?.match(/of (\d+) rows/)?.[1]);
    assert.equal(lines.length, total + 1, 'every row shown, one line each');
    await wb().screenshot('access-matrix-exported');
  });
});
