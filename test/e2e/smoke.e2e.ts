// Smoke scenario of the UI harness: the workbench loads in Chromium with the extension installed
// from the packaged VSIX, and the activity bar offers the "GDAP" container, which opens.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { emulatorOf } from './harness/emulator';
import { activityBarItem, openViewContainer } from './harness/ui';
import { useWorkbench } from './harness/workbench';

describe('UI harness smoke', () => {
  const wb = useWorkbench({ emulator: 'optional' });

  it('installs the extension from the VSIX into the fresh extensions folder', () => {
    const installed = readdirSync(wb().server.dirs.extensions);
    assert.ok(
      installed.some((d) => d.startsWith('gdap-explorer.gdap-explorer-')),
      `extensions folder holds: ${installed.join(', ')}`,
    );
  });

  it('shows the GDAP container in the activity bar and opens it', async () => {
    const { page } = wb();
    await activityBarItem(page, 'GDAP').waitFor({ state: 'visible', timeout: 30_000 });
    await openViewContainer(page, 'GDAP');
  });

  it('gives the extension the emulator the harness started', async function () {
    const w = wb();
    if (!w.emulator) {
      this.test!.title += ' (emulator not available in this run)';
      return;
    }
    const state = await emulatorOf(w).state();
    assert.ok(Array.isArray(state.relationships));
  });
});
