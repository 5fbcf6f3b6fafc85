// The approval poller's timer in the real extension host, against the emulator's request log, with short
// waits (400 ms backing off to 1.6 s instead of 1 to 15 minutes): it backs off while nothing changes, sends
// nothing while signed out, and backs off instead of retrying in a loop when the network fails. The jump
// of the clock after a sleep is covered with a fake clock in test/unit/extension/backoffSchedule.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorInfo, resetEmulator, setEmulatorFaults } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

const TIMING = { baseMs: 400, maxMs: 1600 };
const SINGLE_RELATIONSHIP = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/[^/]+$/;
const RELATIONSHIP_LIST = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships$/;

interface LoggedRequest {
  time: string;
  method: string;
  path: string;
  status: number;
  batchRequestId?: string;
  batchIndex?: number;
}

async function requests(): Promise<LoggedRequest[]> {
  return (await emulatorFetch<{ requests: LoggedRequest[] }>('/_emulator/requests')).requests;
}

/** The poller's checks in `log`: one `$batch` of single-relationship reads each; the time each was sent. */
function pollChecks(log: readonly LoggedRequest[]): number[] {
  const batches = new Map<number, number>();
  for (const e of log) {
    if (e.batchIndex !== undefined && e.method === 'GET' && SINGLE_RELATIONSHIP.test(decodeURIComponent(e.path))) {
      batches.set(e.batchIndex, Math.min(batches.get(e.batchIndex) ?? Infinity, Date.parse(e.time)));
    }
  }
  return [...batches.values()].sort((a, b) => a - b);
}

/** Waits `ms` while watching the log; for the checks that something does NOT happen. */
async function watch(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await waitFor(() => (Date.now() >= until ? true : undefined), `${ms} ms passed`, ms + 5_000);
}

/** Says yes to the sign-out question and dismisses everything else. */
const quietPrompts: PromptLayer = {
  confirm: () => Promise.resolve(true),
  pick: <T>(items: readonly PickItem<T>[]) => Promise.resolve(items[0]?.value),
  pickMany: () => Promise.resolve(undefined),
  input: () => Promise.resolve(undefined),
  notify: () => Promise.resolve(undefined),
};

describe('approval polling timers', function () {
  this.timeout(180_000);
  let api: GdapExplorerApi;

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator');
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(quietPrompts);
    await resetEmulator({ preset: 'demo' });
    await signInWithEmulator(api);
    await api.tree.refresh();
    await treeIdle(api.tree);
    assert.ok(api.approvalPolling().watching > 0, 'the demo data has invitations waiting for approval');
  });

  after(async () => {
    await setEmulatorFaults('');
    api.setApprovalPollTiming(undefined);
    if (api.authState() !== 'signedIn') {
      await signInWithEmulator(api);
    }
    await treeIdle(api.tree);
    api.setPromptLayer(undefined);
  });

  it('backs off while nothing changes: each wait twice the one before, up to the longest', async () => {
    const from = (await requests()).length;
    api.setApprovalPollTiming(TIMING);
    await waitFor(async () => (pollChecks((await requests()).slice(from)).length >= 6 ? true : undefined), 'six checks', 60_000);
    const checks = pollChecks((await requests()).slice(from));
    const gaps = checks.slice(1).map((t, i) => t - checks[i]);
    // Waits of 800, 1600, 1600… ms after the first check (a timer never fires early; under load, late).
    assert.ok(gaps[0] >= 700, `gaps ${gaps.join(', ')} ms`);
    for (const gap of gaps.slice(1)) {
      assert.ok(gap >= 1400, `gaps ${gaps.join(', ')} ms: backed off to the longest wait, never two checks close together`);
    }
    assert.equal(api.approvalPolling().nextCheckInMs, TIMING.maxMs);
  });

  it('sends nothing while signed out, and no timer is left', async () => {
    await vscode.commands.executeCommand('gdap.signOut');
    assert.equal(api.authState(), 'signedOut');
    await treeIdle(api.tree);
    assert.equal(api.approvalPolling().nextCheckInMs, undefined, 'no timer while signed out');
    const from = (await requests()).length;
    await watch(3 * TIMING.maxMs);
    const sent = (await requests()).slice(from);
    assert.deepEqual(
      sent.map((e) => `${e.method} ${e.path}`),
      [],
      'nothing was sent while signed out',
    );
    await signInWithEmulator(api);
    await treeIdle(api.tree);
  });

  it('after the network fails, backs off instead of retrying in a loop, and reloads nothing', async () => {
    api.setApprovalPollTiming(TIMING);
    await treeIdle(api.tree);
    const from = (await requests()).length;
    await setEmulatorFaults('reset:1');
    try {
      await waitFor(() => (api.approvalPolling().nextCheckInMs === TIMING.maxMs ? true : undefined), 'backed off', 60_000);
      await watch(3 * TIMING.maxMs);
    } finally {
      await setEmulatorFaults('');
    }
    const log = (await requests()).slice(from);
    const batches = log.filter((e) => e.method === 'POST' && /\$batch|%24batch/.test(e.path));
    const loads = log.filter((e) => e.method === 'GET' && RELATIONSHIP_LIST.test(decodeURIComponent(e.path)));
    // Each check is one $batch with the client's few bounded retries; a loop would be hundreds.
    assert.ok(batches.length > 0, 'it kept checking');
    assert.ok(
      batches.length <= 24,
      `${batches.length} $batch requests in about ${Math.round(log.length > 0 ? (Date.parse(log[log.length - 1].time) - Date.parse(log[0].time)) / 1000 : 0)} s`,
    );
    assert.deepEqual(
      loads.map((e) => e.time),
      [],
      'a failed check is not taken for a change: no reload of the tree',
    );
    // With the network back, the next check succeeds and the timer keeps its backed-off wait.
    const back = (await requests()).length;
    await waitFor(
      async () => (pollChecks((await requests()).slice(back)).length >= 1 ? true : undefined),
      'a check after recovery',
      30_000,
    );
  });
});
