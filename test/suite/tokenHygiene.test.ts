// Token hygiene inside the real extension host: after the other suites have signed in and run the
// destructive commands, run the remaining commands too, then scan everything the extension wrote —
// the log channel, the action journal, the start-up cache file, globalState, the documents it opened
// and the clipboard — for the tokens the emulator issued to it. None may appear.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle } from './harness/vscodeHelpers';

/** Answers every question harmlessly: cancels confirmations, types a filter text. */
class QuietPrompts implements PromptLayer {
  confirm(_request: ConfirmRequest): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve('a');
  }
  notify(_level: NotifyLevel, _message: string): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe('token hygiene in the extension host', () => {
  let api: GdapExplorerApi;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(new QuietPrompts());
    assert.ok(api.emulatorAuthProvider, 'the GDAP Emulator authentication provider is registered');
    await signInWithEmulator(api);
    assert.equal(api.authState(), 'signedIn');
  });

  after(() => api.setPromptLayer(undefined));

  it('no issued token in the log, the journal, the start-up cache, globalState, opened documents or the clipboard', async () => {
    // The commands the other suites did not run (the destructive ones ran there, against the emulator).
    await vscode.commands.executeCommand('gdap.refresh');
    await treeIdle(api.tree);
    const customers = (await api.tree.getChildren()) ?? [];
    const customer = customers.find((n) => n.kind === 'customer');
    assert.ok(customer, 'the tree lists customers');
    const relationship = ((await api.tree.getChildren(customer)) ?? []).find((n: GdapNode) => n.kind === 'relationship');
    assert.ok(relationship, 'the customer has relationships');
    await vscode.commands.executeCommand('gdap.showDetails', relationship);
    await vscode.commands.executeCommand('gdap.copyId', relationship);
    await vscode.commands.executeCommand('gdap.filter');
    await vscode.commands.executeCommand('gdap.clearFilter');
    await vscode.commands.executeCommand('gdap.showJournal');
    await vscode.commands.executeCommand('gdap.showLog');
    await treeIdle(api.tree);

    const sessions = await api.emulatorAuthProvider!.getSessions(undefined, {});
    const tokens = sessions.map((s) => s.accessToken);
    assert.ok(tokens.length > 0 && tokens.every((t) => JWT.test(t)), 'the emulator issued JWT-shaped tokens to the extension');

    const places: [string, string][] = [
      ['log channel', api.logLines().join('\n')],
      ['globalState', JSON.stringify(api.storedState())],
      ['clipboard', await vscode.env.clipboard.readText()],
      ...vscode.workspace.textDocuments.map((d): [string, string] => [`document ${d.uri.toString()}`, d.getText()]),
    ];
    if (existsSync(api.startupCachePath)) {
      places.push(['start-up cache file', readFileSync(api.startupCachePath, 'utf8')]);
    }
    if (existsSync(api.journalPath)) {
      places.push(['journal', readFileSync(api.journalPath, 'utf8')]);
    }
    assert.ok(
      places.some(([where]) => where === 'journal'),
      'the earlier suites wrote the journal',
    );
    assert.ok(api.logLines().length > 0, 'the log channel has lines to scan');
    for (const [where, text] of places) {
      for (const token of tokens) {
        assert.ok(!text.includes(token), `${where} contains an issued token`);
        assert.ok(!text.includes(token.split('.')[2]), `${where} contains a token signature`);
      }
      assert.doesNotMatch(text, JWT, `${where} contains something token-shaped`);
    }
  });
});
