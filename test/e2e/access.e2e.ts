// The Access Matrix webview in Chromium: opened from the palette, a customers × roles grid whose cells
// list the security groups, its controls and cells named in the accessibility tree, the role and
// privileged-only filters, the active cell moved with the keyboard and opened in the tree with Enter, a
// group's members read on demand, and a CSV export (flat rows) through VS Code's save dialog. Screenshots
// of each step are kept in test/artifacts/e2e/ (access-*.png); the README's is copied to media/.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { emulatorOf, type EmulatorState } from './harness/emulator';
import { customersOf } from './harness/targets';
import { allowConsentsUntil, BUDGET, eventually, openViewContainer, quickInput, runCommand, treeRow, waitForTreeRow } from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

/** The roles a control has in an aria snapshot; each must carry a name ("- button "Export CSV""). */
const CONTROL = /^\s*- '?(button|textbox|searchbox|checkbox|combobox|link|grid|columnheader|rowheader|gridcell)\b(.*)$/;
const COUNT = /^(\d+) of (\d+) customers, (\d+) roles$/;

type Assignment = { status: string; accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] } };

/** Flat access rows the emulator's state implies: per active relationship, per active assignment, per role. */
function expectedRowCount(state: EmulatorState): number {
  let n = 0;
  for (const r of state.relationships) {
    if (r.status !== 'active') {
      continue;
    }
    for (const a of (state.accessAssignments[r.id] ?? []) as Assignment[]) {
      if (a.status === 'active') {
        n += new Set((a.accessDetails?.unifiedRoles ?? []).map((x) => x.roleDefinitionId.toLowerCase())).size;
      }
    }
  }
  return n;
}

describe('Access Matrix in the browser', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench();
  let matrix: FrameLocator;

  const counts = async (): Promise<{ shown: number; total: number; roles: number }> => {
    const m = COUNT.exec((await matrix.locator('#count').textContent()) ?? '');
    assert.ok(m, 'the count says customers and roles');
    return { shown: Number(m[1]), total: Number(m[2]), roles: Number(m[3]) };
  };
  const activeCell = async (): Promise<{ id: string; label: string }> => {
    const id = (await matrix.locator('#grid').getAttribute('aria-activedescendant')) ?? '';
    assert.notEqual(id, '', 'the grid points at its active cell');
    return { id, label: (await matrix.locator(`#${id}`).getAttribute('aria-label')) ?? '' };
  };
  const press = async (page: Page, key: string): Promise<void> => {
    const before = await matrix.locator('#grid').getAttribute('aria-activedescendant');
    await page.keyboard.press(key);
    await eventually(async () => (await matrix.locator('#grid').getAttribute('aria-activedescendant')) !== before, `${key} moves`);
  };

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
    await matrix.locator('#count').filter({ hasText: COUNT }).waitFor({ timeout: BUDGET.network });
    const { shown, total, roles } = await counts();
    assert.ok(shown > 0 && shown === total && roles > 1);
    // Cells list groups: the data set names them (gdap.resolveGroupNames is on in the UI suite).
    const groupNames = (state.securityGroups as { displayName: string }[]).map((g) => g.displayName);
    const texts = (await matrix.locator('[role=gridcell]:not(.empty)').allTextContents()).filter((t) => t !== '');
    assert.ok(texts.length > 0, 'some cells hold groups');
    assert.ok(
      texts.every((t) => groupNames.some((g) => t.startsWith(g))),
      `cells start with a group name: ${texts.slice(0, 5).join(' | ')}`,
    );
    await wb().screenshot('access-matrix');
    copyFileSync(
      join(REPO_ROOT, 'test', 'artifacts', 'e2e', 'access-matrix.png'),
      join(REPO_ROOT, 'media', 'screenshot-access-matrix.png'),
    );
  });

  it('2. the grid, its headers, cells and controls are named in the accessibility tree', async () => {
    const snapshot = await matrix.locator('body').ariaSnapshot();
    const controls = snapshot.split('\n').filter((l) => CONTROL.test(l));
    assert.ok(controls.length >= 10, `controls found:\n${snapshot}`);
    for (const line of controls) {
      assert.match(line, /^\s*- '?\w+ "[^"]+"/, `a control without a name: ${line}`);
    }
    for (const name of [
      'Search customers, groups and roles',
      'Filter customers',
      'Privileged roles only',
      'Export CSV',
      'Export Markdown',
    ]) {
      assert.ok(snapshot.includes(`"${name}"`), `${name} is named`);
    }
    const grid = matrix.getByRole('grid', { name: /^Access matrix: customers by roles/ });
    assert.equal(await grid.count(), 1);
    assert.equal(await matrix.getByRole('combobox', { name: 'Role' }).count(), 1);
    assert.equal(await matrix.getByRole('combobox', { name: 'Security group' }).count(), 1);
    assert.ok((await grid.getByRole('columnheader').count()) > 1);
    assert.ok((await grid.getByRole('rowheader').count()) > 0);
    // A screen reader reads a cell as "Customer X, role Y: groups A, B".
    const cell = grid.getByRole('gridcell', { name: /^Customer .+, role .+: groups .+$/ }).first();
    await cell.waitFor();
    // Privileged roles are marked in the header by text, not colour alone.
    assert.ok((await grid.getByRole('columnheader', { name: /⚠ privileged/ }).count()) > 0, 'a privileged column says so');
    assert.ok(Number(await grid.getAttribute('aria-rowcount')) > 1);
    assert.ok(Number(await grid.getAttribute('aria-colcount')) > 2);
    await wb().screenshot('access-matrix-a11y');
  });

  it('3. filters by role and by privilege', async () => {
    const { total } = await counts();
    const role = matrix.getByRole('combobox', { name: 'Role' });
    const options = (await role.locator('option').allTextContents()).slice(1);
    const chosen = options.find((o) => /^Directory Readers/.test(o)) ?? options[0];
    await role.selectOption({ label: chosen });
    await eventually(async () => ((await counts()).roles === 1 ? true : undefined), 'one role column');
    const heads = await matrix.locator('[role=columnheader] .name').allTextContents();
    assert.deepEqual(heads.slice(1), [chosen.replace(/ \(.*\)$/, '')], 'only the chosen role is a column');
    const { shown } = await counts();
    assert.ok(shown > 0 && shown <= total);
    assert.equal(await matrix.locator('[role=gridcell].empty').count(), 0, 'every customer shown holds the role');
    await wb().screenshot('access-matrix-role');
    await role.selectOption({ index: 0 });
    await matrix.getByLabel('Privileged roles only').check();
    await eventually(async () => {
      const c = await counts();
      return c.roles > 0 && c.shown > 0 ? true : undefined;
    }, 'privileged-only shows privileged columns');
    const marks = await matrix
      .locator('[role=columnheader]:not(.customer)')
      .evaluateAll((hs) => hs.map((h) => h.querySelector('.mark') !== null));
    assert.ok(marks.length > 0 && marks.every(Boolean), 'only privileged (or unknown) roles are columns');
    await wb().screenshot('access-matrix-privileged');
    await matrix.getByLabel('Privileged roles only').uncheck();
    await eventually(async () => ((await counts()).shown === total ? true : undefined), 'the filters cleared');
  });

  it('4. the active cell moves with the arrow keys and Enter opens its relationship in the tree', async () => {
    const { page } = wb();
    // Focus without a click: a click opens the cell, and opening moves the focus to the tree.
    await matrix.locator('#grid').focus();
    await eventually(async () => ((await activeCell()).id === 'c-0-0' ? true : undefined), 'the first cell is active');
    await press(page, 'ArrowRight');
    assert.equal((await activeCell()).id, 'c-0-1');
    await press(page, 'ArrowDown');
    assert.equal((await activeCell()).id, 'c-1-1');
    await press(page, 'ArrowUp');
    // Find a cell granted through one relationship (several would ask in a quick pick).
    let relationship = '';
    for (let i = 0; i < 200 && relationship === ''; i++) {
      const { label } = await activeCell();
      if (/: groups /.test(label)) {
        const names = new Set(await matrix.locator('#details .relationship').allTextContents());
        relationship = names.size === 1 ? [...names][0] : '';
      }
      if (relationship === '') {
        await press(page, i % 20 === 19 ? 'ArrowDown' : 'ArrowRight');
        if (i % 20 === 19) {
          await page.keyboard.press('Home');
        }
      }
    }
    assert.notEqual(relationship, '', 'a cell with one relationship');
    await wb().screenshot('access-matrix-keyboard');
    await page.keyboard.press('Enter');
    await page
      .locator('.part.sidebar .monaco-list-row.selected')
      .filter({ hasText: relationship })
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.network });
    await wb().screenshot('access-matrix-reveal');
  });

  it("5. shows a group's members on demand", async () => {
    const button = matrix.getByRole('button', { name: /^Show the members of / }).first();
    await button.waitFor({ timeout: BUDGET.action });
    await button.click();
    const list = matrix.locator('#details ul.members li');
    await list.first().waitFor({ timeout: BUDGET.network });
    const names = await list.allTextContents();
    assert.ok(names.length > 0);
    assert.ok(
      names.every((n) => /@/.test(n) && !/eyJ/.test(n)),
      `names with their sign-in names: ${names.slice(0, 3).join(', ')}`,
    );
    const reads = (await emulatorOf(wb()).requests()).filter((r) => r.path.endsWith('/transitiveMembers'));
    assert.equal(reads.length >= 1, true, 'read from Microsoft Graph when asked');
    await wb().screenshot('access-matrix-members');
  });

  it('6. exports the flat rows of the cells shown as CSV through the save dialog', async () => {
    const { page } = wb();
    assert.match((await matrix.locator('#exportNote').textContent()) ?? '', /one row per customer, relationship, security group and role/);
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
    const state = await emulatorOf(wb()).state();
    assert.equal(lines.length, expectedRowCount(state) + 1, 'every access row of the cells shown, one line each');
    await wb().screenshot('access-matrix-exported');
  });
});
