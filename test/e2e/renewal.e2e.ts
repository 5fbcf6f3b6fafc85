// The expiry radar and two renewal fixes in the browser (code-server with the packaged VSIX) against an
// emulator seeded so that two relationships end within 7 days without auto-extend. Each step keeps a
// screenshot; with GDAP_README_SCREENSHOTS=1 the radar's is also written to media/ for the README.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { emulatorOf, type EmulatorState } from './harness/emulator';
import {
  activityBarItem,
  allowConsentsUntil,
  BUDGET,
  clickModalButton,
  clickNotificationButton,
  contextMenu,
  eventually,
  expandRow,
  openViewContainer,
  treeRow,
  waitForModal,
  waitForNotification,
  waitForTreeRow,
} from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Rel {
  id: string;
  status: string;
  displayName: string;
  endDateTime: string;
  autoExtendDuration: string;
  customer: { tenantId?: string; displayName?: string } | null;
  accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] };
}

const relationships = (state: EmulatorState): Rel[] => state.relationships as unknown as Rel[];
const hasGa = (r: Rel): boolean => (r.accessDetails?.unifiedRoles ?? []).some((x) => x.roleDefinitionId === GA);
const renewsItself = (r: Rel): boolean => r.autoExtendDuration === 'P180D' && !hasGa(r);
const left = (r: Rel): number => Date.parse(r.endDateTime) - Date.now();
/** Names the UI renders as they are (no runs of spaces, which HTML collapses). */
const plainName = (r: Rel): boolean => !/\s{2}/.test(r.displayName);

describe('Renewal in the browser: expiry radar and fixes', function () {
  this.timeout(3 * BUDGET.network);
  const wb = useWorkbench({ emulatorArgs: ['--port', '0', '--time-scale', '20', '--seed', '58', '--preset', 'demo'] });

  it('1. after sign-in: the badge, the status bar item and the notification name what ends soon', async () => {
    const { page } = wb();
    const state = await emulatorOf(wb()).state();
    const active = relationships(state).filter((r) => r.status === 'active' && !renewsItself(r) && left(r) >= 0);
    const inWindow = active.filter((r) => left(r) <= 30 * DAY_MS);
    const within7 = active.filter((r) => left(r) <= 7 * DAY_MS);
    assert.equal(within7.length, 2, 'the seeded data has two relationships ending within 7 days');
    await openViewContainer(page, 'GDAP');
    await page.getByRole('button', { name: 'Sign in to the Emulator' }).click();
    const first = inWindow[0].customer?.displayName ?? '';
    await allowConsentsUntil(page, treeRow(page, first));
    const badge = activityBarItem(page, 'GDAP').locator('xpath=..').locator('.badge-content');
    await eventually(async () => (await badge.innerText().catch(() => '')).trim() === String(inWindow.length), `badge ${inWindow.length}`);
    const status = page.locator('.statusbar-item').filter({ hasText: 'GDAP: 2 end within 7 days' });
    await status.first().waitFor({ state: 'visible', timeout: BUDGET.network });
    const text = await waitForNotification(page, /end within 7 days and will not renew by themselves/);
    for (const r of within7) {
      assert.ok(text.includes(r.displayName.replace(/\s+/g, ' ')), `the notification names ${r.displayName}`);
    }
    const shot = await wb().screenshot('renewal-1-radar');
    if (process.env.GDAP_README_SCREENSHOTS === '1') {
      copyFileSync(shot, join(REPO_ROOT, 'media', 'screenshot-radar.png'));
    }
    // "Show" filters the explorer to what ends within the warning window.
    await clickNotificationButton(page, /end within 7 days/, 'Show');
    await waitForTreeRow(page, inWindow[0].customer?.displayName ?? '');
  });

  it('2. turns on auto-extend from the context menu of a relationship ending within 7 days', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = relationships(await emu.state()).find(
      (r) => r.status === 'active' && !renewsItself(r) && !hasGa(r) && left(r) >= 0 && left(r) <= 7 * DAY_MS && plainName(r),
    );
    assert.ok(target, 'a relationship ending within 7 days with a plain name');
    await expandRow(page, target.customer?.displayName ?? '');
    await contextMenu(page, target.displayName, 'Turn On Auto-Extend…');
    const question = await waitForModal(page, /Turn on auto-extend for the GDAP relationship/);
    assert.ok(question.includes(target.displayName));
    await wb().screenshot('renewal-2-auto-extend-modal');
    await clickModalButton(page, 'Turn On Auto-Extend');
    await waitForNotification(page, /Turn On Auto-Extend: .* — done\./);
    await eventually(
      async () => relationships(await emu.state()).find((r) => r.id === target.id)?.autoExtendDuration === 'P180D',
      'auto-extend on in the emulator',
    );
    await wb().screenshot('renewal-2-auto-extend-done');
  });

  it('3. makes two relationships renewable from a multi-selection in the Renewal view', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const targets = relationships(await emu.state())
      .filter((r) => r.status === 'active' && !renewsItself(r) && !hasGa(r) && left(r) > 30 * DAY_MS && plainName(r))
      .slice(0, 2);
    assert.equal(targets.length, 2, 'two relationships ending later without auto-extend');
    // The Renewal view starts collapsed (the tree keeps the side bar's height): open it for this test only.
    await setRenewalView(page, true);
    await expandRow(page, 'ends later');
    const [a, b] = targets;
    await (await waitForTreeRow(page, a.displayName)).click();
    await (await waitForTreeRow(page, b.displayName)).click({ modifiers: ['ControlOrMeta'] });
    await contextMenu(page, b.displayName, 'Make Renewable…');
    const question = await waitForModal(page, /Make 2 GDAP relationships renew themselves/);
    assert.ok(question.includes(a.displayName) && question.includes(b.displayName), question);
    await wb().screenshot('renewal-3-make-renewable-modal');
    await clickModalButton(page, 'Make Renewable');
    await waitForNotification(page, /Make Renewable: 2 items: .* — done\./);
    for (const r of targets) {
      await eventually(
        async () => relationships(await emu.state()).find((x) => x.id === r.id)?.autoExtendDuration === 'P180D',
        `${r.displayName} auto-extends in the emulator`,
      );
    }
    await wb().screenshot('renewal-3-make-renewable-done');
    await setRenewalView(page, false);
  });
});

/**
 * Opens or closes the Renewal view by its header in the GDAP side bar. Opened, it gets the side bar's
 * height: the Delegated Admin view is collapsed meanwhile, and opened again when Renewal closes.
 */
async function setRenewalView(page: Page, expanded: boolean): Promise<void> {
  const toggle = async (title: string, open: boolean): Promise<void> => {
    const header = page.locator('.pane-header', { hasText: title }).first();
    await header.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== String(open)) {
      // The title, not the header's middle: the header also holds the view's action buttons.
      await header.locator('.title').first().click();
    }
  };
  await toggle('Delegated Admin', !expanded);
  await toggle('Renewal', expanded);
}
