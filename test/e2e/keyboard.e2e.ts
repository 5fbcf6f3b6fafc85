// Every flow from the keyboard alone: no mouse click from sign-in to the last assertion. The view is focused
// by its command (F1, "Focus on Delegated Admin View"), rows are reached with the arrow keys, context menus
// open with Shift+F10, modals and quick picks are answered with Tab, the arrow keys and Enter. The outcome is
// asserted in the tree (and in the emulator). Screenshots are kept in test/artifacts/e2e/ (keyboard-*.png).
import * as assert from 'node:assert/strict';
import { emulatorOf, settled } from './harness/emulator';
import { activeTargetOf, customersOf, groupNameOf, relationshipsOf } from './harness/targets';
import {
  BUDGET,
  contextMenuByKeyboard,
  eventually,
  focusTreeRowByKeyboard,
  focusedTreeLabel,
  hasChildTreeRow,
  modalButtonByKeyboard,
  modalDialog,
  pickQuickItemByKeyboard,
  runCommand,
  treeRow,
  waitForModal,
  waitForRowDescription,
} from './harness/ui';
import { useWorkbench } from './harness/workbench';

/** ArrowRight presses on a collapsed row before the test gives up, and the wait after each but the last. */
const EXPAND_ATTEMPTS = 3;
const EXPAND_WAIT_MS = 10_000;

describe('GDAP Explorer from the keyboard alone', function () {
  this.timeout(4 * BUDGET.network);
  const wb = useWorkbench();
  const used = new Set<string>();

  /** F1 → "Focus on Delegated Admin View": the tree gets the keyboard focus. */
  async function focusView(): Promise<void> {
    const { page } = wb();
    await runCommand(page, 'Focus on Delegated Admin View');
    await eventually(
      () => page.evaluate(() => document.activeElement?.closest('.part.sidebar .monaco-list') !== null),
      'the tree has the keyboard focus',
      BUDGET.action,
    );
  }

  /**
   * Focus the row (from the top) and open it with ArrowRight. A key that lands while the tree re-renders
   * (a refresh, a notification taking the focus) is lost without a trace; the key is pressed again — on
   * the row focused again — only while the row is still collapsed, so a slow expansion is never toggled.
   */
  async function expandByKeyboard(label: string): Promise<void> {
    const { page } = wb();
    const row = treeRow(page, label).first();
    const expanded = async (): Promise<boolean> => (await row.getAttribute('aria-expanded')) === 'true';
    for (let attempt = 1; attempt <= EXPAND_ATTEMPTS; attempt++) {
      await focusTreeRowByKeyboard(page, label);
      if (!(await expanded())) {
        await page.keyboard.press('ArrowRight');
      }
      const last = attempt === EXPAND_ATTEMPTS;
      try {
        await eventually(expanded, `${label} expanded`, last ? BUDGET.action : EXPAND_WAIT_MS);
        return;
      } catch (e) {
        if (last) {
          throw e;
        }
      }
    }
  }

  it('signs in from the palette, answering the consent with the keyboard', async () => {
    const { page } = wb();
    // The view first (its welcome shows while signed out), so the tree is on screen once signed in.
    await runCommand(page, 'Focus on Delegated Admin View');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).waitFor({ state: 'visible', timeout: BUDGET.startup });
    await runCommand(page, 'GDAP: Sign In with Microsoft');
    const first = customersOf(await emulatorOf(wb()).state())[0];
    const consent = modalDialog(page).filter({ hasText: /wants to sign in/ });
    const done = treeRow(page, first.name).first();
    for (let i = 0; i < 3; i++) {
      await consent.or(done).first().waitFor({ state: 'visible', timeout: BUDGET.network });
      if (!(await consent.isVisible())) {
        break;
      }
      await modalButtonByKeyboard(page, 'Allow');
    }
    await done.waitFor({ state: 'visible', timeout: BUDGET.network });
    // The DAP pass that follows the load re-renders the rows; the next test acts once the emulator is quiet.
    await settled(emulatorOf(wb()));
  });

  it('terminates a relationship: arrow keys to its row, Shift+F10, the menu item, Enter on the modal', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await focusView();
    await expandByKeyboard(target.customer);
    await focusTreeRowByKeyboard(page, target.relationship.displayName);
    assert.equal(await focusedTreeLabel(page), target.relationship.displayName);
    await contextMenuByKeyboard(page, 'Terminate Relationship…');
    const text = await waitForModal(page, /Terminate the GDAP relationship/);
    assert.ok(text.includes(target.relationship.displayName));
    await wb().screenshot('keyboard-terminate-modal');
    await modalButtonByKeyboard(page, 'Terminate');
    await waitForRowDescription(page, target.relationship.displayName, /^terminated/, BUDGET.network);
    assert.equal(relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status, 'terminated');
  });

  it('Escape closes the context menu and the modal without changing anything', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await focusView();
    await expandByKeyboard(target.customer);
    await focusTreeRowByKeyboard(page, target.relationship.displayName);
    await page.keyboard.press('Shift+F10');
    await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('.context-view .monaco-menu').first().waitFor({ state: 'hidden' });
    await contextMenuByKeyboard(page, 'Terminate Relationship…');
    await waitForModal(page, /Terminate the GDAP relationship/);
    await page.keyboard.press('Escape');
    await modalDialog(page).first().waitFor({ state: 'hidden' });
    await waitForRowDescription(page, target.relationship.displayName, /^active/);
    assert.equal(relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status, 'active');
  });

  it('removes an access assignment: its row under the relationship, Shift+F10, Enter', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const state = await emu.state();
    const target = activeTargetOf(state, used, true);
    assert.ok(target.assignment, 'an active assignment');
    const label = groupNameOf(state, target.assignment) ?? `Security group ${target.assignment.accessContainer.accessContainerId}`;
    await focusView();
    await expandByKeyboard(target.customer);
    await expandByKeyboard(target.relationship.displayName);
    // From the relationship's row down to its assignment (the same name may be under another relationship).
    await focusTreeRowByKeyboard(page, target.relationship.displayName);
    await eventually(
      () => hasChildTreeRow(page, target.relationship.displayName, label),
      'the assignment row under its relationship',
      BUDGET.network,
    );
    for (let i = 0; i < 50 && (await focusedTreeLabel(page)) !== label; i++) {
      await page.keyboard.press('ArrowDown');
    }
    assert.equal(await focusedTreeLabel(page), label);
    await contextMenuByKeyboard(page, 'Remove Access Assignment…');
    await waitForModal(page, /Remove the access of/);
    await wb().screenshot('keyboard-remove-modal');
    await modalButtonByKeyboard(page, 'Remove');
    await eventually(async () => {
      const left = ((await emu.state()).accessAssignments[target.relationship.id] ?? []).find((a) => a.id === target.assignment?.id);
      return left === undefined || left.status === 'deleted';
    }, 'the assignment gone in the emulator');
    await eventually(
      async () => !(await hasChildTreeRow(page, target.relationship.displayName, label)),
      'the assignment leaves the tree',
      BUDGET.network,
    );
  });

  it('terminates from the palette: quick picks by typing, the arrow keys and Enter', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await runCommand(page, 'GDAP: Terminate Relationship…');
    await pickQuickItemByKeyboard(page, target.customer, target.customer);
    await pickQuickItemByKeyboard(page, target.relationship.displayName, target.relationship.displayName);
    await waitForModal(page, /Terminate the GDAP relationship/);
    await wb().screenshot('keyboard-palette-modal');
    await modalButtonByKeyboard(page, 'Terminate');
    await eventually(
      async () => relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
      BUDGET.network,
    );
    await focusView();
    await expandByKeyboard(target.customer);
    await waitForRowDescription(page, target.relationship.displayName, /^terminated/, BUDGET.network);
    await wb().screenshot('keyboard-tree-after');
  });
});
