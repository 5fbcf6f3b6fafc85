// Keyboard only: sign in, terminate a relationship and remove an access assignment from the tree's
// context menu (Shift+F10), then terminate through the command palette's quick picks. No mouse event
// is sent after the page has loaded; every step is a key press a keyboard or screen-reader user makes.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { emulatorOf } from './harness/emulator';
import { activeTargetOf, customersOf, groupNameOf, relationshipsOf, type Assignment } from './harness/targets';
import { eventually, modalDialog, quickInput } from './harness/ui';
import { useWorkbench } from './harness/workbench';

/** The text of the element that has the keyboard focus. */
function activeText(page: Page): Promise<string> {
  return page.evaluate(() => (document.activeElement?.textContent ?? '').trim());
}

/** Runs a command from the palette by typing its title and pressing Enter. */
async function paletteCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input[type=text]');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await quickInput(page).locator('.monaco-list-row.focused').filter({ hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Types into the open quick pick and presses Enter once the wanted item is the focused one. */
async function pickByTyping(page: Page, label: string): Promise<void> {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible' });
  await page.keyboard.type(label);
  await widget.locator('.monaco-list-row.focused').filter({ hasText: label }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** The label of the tree row that has the focus. */
async function focusedRow(page: Page): Promise<string> {
  const row = page.locator('.part.sidebar .monaco-list-row.focused[role=treeitem] .label-name').first();
  return (await row.count()) > 0 ? (await row.innerText()).trim() : '';
}

/** Moves the tree's focus with the arrow keys, from the top, to the row labelled `label`. */
async function arrowTo(page: Page, label: string, from: 'top' | 'here' = 'top'): Promise<void> {
  if (from === 'top') {
    await page.keyboard.press('Home');
  }
  for (let i = 0; i < 300; i++) {
    if ((await focusedRow(page)) === label) {
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no tree row "${label}" reached with the arrow keys`);
}

/** Expands the focused row with ArrowRight and waits until it says so. */
async function expandFocused(page: Page): Promise<void> {
  const row = page.locator('.part.sidebar .monaco-list-row.focused[role=treeitem]').first();
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await page.keyboard.press('ArrowRight');
  }
  await page.locator('.part.sidebar .monaco-list-row.focused[role=treeitem][aria-expanded=true]').first().waitFor();
}

/** Opens the focused row's context menu with Shift+F10 and runs `item` with the arrow keys and Enter. */
async function contextMenuByKeyboard(page: Page, item: string): Promise<void> {
  await page.keyboard.press('Shift+F10');
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible' });
  for (let i = 0; i < 40; i++) {
    const focused = menu.locator('.action-item.focused .action-label');
    if ((await focused.count()) > 0 && (await focused.first().innerText()).trim() === item) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no context menu item "${item}" reached with the arrow keys`);
}

/** Tabs through the open modal's buttons to `name` and presses Enter. */
async function modalButtonByKeyboard(page: Page, name: string, message?: RegExp): Promise<string> {
  const dialog = (message ? modalDialog(page).filter({ hasText: message }) : modalDialog(page)).first();
  await dialog.waitFor({ state: 'visible', timeout: 30_000 });
  const text = (await dialog.locator('.dialog-message-container').first().innerText()).trim();
  for (let i = 0; i < 12; i++) {
    if ((await activeText(page)) === name) {
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      return text;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`no modal button "${name}" reached with Tab`);
}

/** Puts the keyboard focus into the GDAP tree (the side bar shows it). */
async function focusTree(page: Page): Promise<void> {
  await paletteCommand(page, 'View: Open View');
  await pickByTyping(page, 'Delegated Admin');
  await eventually(async () => (await focusedRow(page)) !== '' || undefined, 'a focused tree row', 10_000);
}

describe('GDAP Explorer with the keyboard only', function () {
  this.timeout(120_000);
  const wb = useWorkbench();
  const used = new Set<string>();

  it('signs in from the palette and answers the consent dialog with the keyboard', async () => {
    const { page } = wb();
    await page.locator('.monaco-workbench').focus();
    await paletteCommand(page, 'GDAP: Sign In with Microsoft');
    await modalButtonByKeyboard(page, 'Allow', /wants to sign in/);
    // A second consent may be asked for the Partner Center scope (same account).
    await modalDialog(page)
      .filter({ hasText: /wants to sign in/ })
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => modalButtonByKeyboard(page, 'Allow', /wants to sign in/),
        () => undefined,
      );
    const first = customersOf(await emulatorOf(wb()).state())[0];
    await page
      .locator('.part.sidebar .monaco-list-row[role=treeitem] .label-name', { hasText: first.name })
      .first()
      .waitFor({ timeout: 30_000 });
  });

  it('terminates a relationship: arrows to it, Shift+F10, the menu and the modal by keyboard', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await focusTree(page);
    await arrowTo(page, target.customer);
    await expandFocused(page);
    await arrowTo(page, target.relationship.displayName, 'here');
    await contextMenuByKeyboard(page, 'Terminate Relationship…');
    const text = await modalButtonByKeyboard(page, 'Terminate', /Terminate the GDAP relationship/);
    assert.ok(text.includes(target.relationship.displayName));
    await eventually(
      async () => relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
      60_000,
    );
  });

  it('removes an access assignment: arrows down to it, Shift+F10, the menu and the modal by keyboard', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const state = await emu.state();
    const target = activeTargetOf(state, used, true);
    const assignment = target.assignment as Assignment;
    const label = groupNameOf(state, assignment) ?? `Security group ${assignment.accessContainer.accessContainerId}`;
    await focusTree(page);
    await arrowTo(page, target.customer);
    await expandFocused(page);
    await arrowTo(page, target.relationship.displayName, 'here');
    await expandFocused(page);
    await eventually(
      async () => (await page.locator('.part.sidebar .monaco-list-row[role=treeitem] .label-name', { hasText: label }).count()) > 0,
      `the assignment row ${label}`,
    );
    await arrowTo(page, label, 'here');
    await contextMenuByKeyboard(page, 'Remove Access Assignment…');
    await modalButtonByKeyboard(page, 'Remove', /Remove the access of/);
    await eventually(
      async () => {
        const left = ((await emu.state()).accessAssignments[target.relationship.id] ?? []).find((a) => a.id === assignment.id);
        return left === undefined || left.status === 'deleted';
      },
      'assignment gone in the emulator',
      60_000,
    );
  });

  it('terminates from the command palette: typed filters, Enter, the modal by keyboard', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await paletteCommand(page, 'GDAP: Terminate Relationship…');
    await pickByTyping(page, target.customer);
    await pickByTyping(page, target.relationship.displayName);
    await modalButtonByKeyboard(page, 'Terminate', /Terminate the GDAP relationship/);
    await eventually(
      async () => relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
      60_000,
    );
  });
});
