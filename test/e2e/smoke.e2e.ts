// Smoke scenario of the UI harness: the workbench loads in Chromium with the extension installed
// from the packaged VSIX, the activity bar offers the "GDAP" container, which opens, and the UI says
// wherever it is used that it talks to the emulator.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { emulatorOf } from './harness/emulator';
import { activityBarItem, BUDGET, openViewContainer } from './harness/ui';
import { useWorkbench } from './harness/workbench';

describe('UI harness smoke', () => {
  const wb = useWorkbench({ emulator: 'required' });

  it('installs the extension from the VSIX into the fresh extensions folder', () => {
    const installed = readdirSync(wb().server.dirs.extensions);
    assert.ok(
      installed.some((d) => d.startsWith('gdap-explorer.gdap-explorer-')),
      `extensions folder holds: ${installed.join(', ')}`,
    );
  });

  it('shows the GDAP container in the activity bar and opens it', async () => {
    const { page } = wb();
    await activityBarItem(page, 'GDAP').waitFor({ state: 'visible', timeout: BUDGET.startup });
    await openViewContainer(page, 'GDAP');
  });

  it('gives the extension the emulator the harness started, and says so in the view and the status bar', async () => {
    const w = wb();
    const state = await emulatorOf(w).state();
    assert.ok(Array.isArray(state.relationships) && state.relationships.length > 0);
    await w.page
      .locator('.pane-header, .composite.title')
      .filter({ hasText: 'Delegated Admin (emulator)' })
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.network });
    await w.page
      .locator('.statusbar-item')
      .filter({ hasText: 'GDAP emulator' })
      .first()
      .waitFor({ state: 'visible', timeout: BUDGET.network });
  });
});
