// The extension's start-up check for actions interrupted last time (an intent without an outcome in
// the journal): the target is read again through core's reconciliation, a `reconciled` record is
// appended and the user is told — inside a real extension host, against the emulator.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorState } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension } from './harness/vscodeHelpers';

class RecordingPrompts implements PromptLayer {
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  confirm(_request: ConfirmRequest): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(_items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string): Promise<string | undefined> {
    this.notices.push({ level, message });
    return Promise.resolve(undefined);
  }
}

interface Rel {
  id: string;
  displayName: string;
  status: string;
  customer: { tenantId: string; displayName: string } | null;
}

describe('action journal: interrupted runs are reconciled by reading', () => {
  let api: GdapExplorerApi;
  const prompts = new RecordingPrompts();

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(prompts);
    await signInWithEmulator(api);
    assert.equal(api.authState(), 'signedIn');
  });

  after(() => api.setPromptLayer(undefined));

  it('reads the target of an intent without outcome, records what it is now, tells the user, and settles it', async () => {
    await api.reconcileJournal(); // settle anything earlier suites left open
    const state = (await emulatorState()) as unknown as { relationships: Rel[] };
    const target = state.relationships.find((r) => r.status === 'active' && r.customer !== null);
    assert.ok(target, 'the emulator has an active relationship');
    const operationId = `interrupted-${Date.now()}`;
    const intent = {
      time: new Date().toISOString(),
      type: 'intent',
      operationId,
      action: 'terminateRelationship',
      actor: 'admin@contosopartner.onmicrosoft.com',
      cloud: 'global',
      target: {
        relationshipId: target.id,
        name: target.displayName,
        customerTenantId: target.customer?.tenantId,
        customerName: target.customer?.displayName,
      },
      priorStatus: 'active',
      priorEtag: null,
    };
    mkdirSync(dirname(api.journalPath), { recursive: true });
    appendFileSync(api.journalPath, `${JSON.stringify(intent)}\n`);
    const noticesBefore = prompts.notices.length;

    assert.equal(await api.reconcileJournal(), 1);

    const told = prompts.notices.slice(noticesBefore);
    assert.equal(told.length, 1);
    assert.equal(told[0].level, 'warning');
    assert.match(told[0].message, new RegExp(target.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match(told[0].message, /did not take effect/);
    const records = readFileSync(api.journalPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { type: string; operationId: string; status?: string; outcome?: string });
    const reconciled = records.filter((r) => r.operationId === operationId && r.type === 'reconciled');
    assert.equal(reconciled.length, 1);
    assert.equal(reconciled[0].status, 'active');
    assert.equal(reconciled[0].outcome, 'failed');

    // Settled: the next start finds nothing open.
    assert.equal(await api.reconcileJournal(), 0);
  });
});
