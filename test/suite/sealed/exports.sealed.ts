// Without the harness's GDAP_EXPLORER_TEST_API variable the extension exports nothing another
// extension could use to replace its confirmation dialogs or session source.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TEST_API_ENV, TEST_API_KEYS } from '../../../src/extension/api';
import { getExtension, registeredCommands } from '../harness/vscodeHelpers';

describe('extension exports outside the test harness', () => {
  it('the extension host runs without the test variable', () => {
    assert.equal(process.env[TEST_API_ENV], undefined, `${TEST_API_ENV} must not be set in this run`);
  });

  it('activates and works, but its exports carry no test hook', async () => {
    const ext = getExtension<unknown>();
    const returned: unknown = ext.isActive ? ext.exports : await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok((await registeredCommands()).includes('gdap.refresh'), 'the commands are registered');
    assert.equal(returned, undefined, 'activate() returns nothing');
    const exported = vscode.extensions.getExtension(ext.id)?.exports as Record<string, unknown> | undefined;
    for (const key of TEST_API_KEYS) {
      assert.equal(exported?.[key], undefined, `no ${key} in the exports`);
    }
  });
});
