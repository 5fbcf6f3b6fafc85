import { systemClock } from '../../../src/core/http/clock';
import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import type { BatchItemResult } from '../../../src/core/graph/gdapApi';
import { GdapError } from '../../../src/core/http/gdapError';
import { msg } from '../../../src/core/messages';
import { planMutation, runMutation } from '../../../src/core/actions/mutationPipeline';
import type { MutationStrategy, PlanItemBase, Reconciliation } from '../../../src/core/actions/mutationStrategy';
import { assertPaired, testBed } from './fakes/fakeContext';
import { faultError, type FaultSpec } from './fakes/fakeFaults';

/*
 * The pipeline on its own, with a minimal strategy over an in-memory "switch" service: a switch is on or
 * off, has an ETag that changes with every change, and turns off a number of reads after it was asked to.
 */

interface Switch {
  readonly id: string;
  readonly state: 'on' | 'turningOff' | 'off' | 'broken';
  readonly etag: string;
}

interface SwitchPlan extends PlanItemBase {
  readonly id: string;
  readonly state: string | null;
}

class SwitchService {
  readonly switches = new Map<string, Switch & { readsUntilOff: number }>();
  readonly faults: FaultSpec[] = [];
  sends = 0;
  readManyCalls = 0;
  readOneCalls = 0;
  failReadMany = false;
  /** Reads a switch stays `turningOff` before it reads `off`. */
  turnOffReads = 1;
  private seq = 0;

  add(id: string, state: Switch['state'] = 'on'): void {
    this.seq += 1;
    this.switches.set(id, { id, state, etag: `e${this.seq}`, readsUntilOff: 0 });
  }

  touch(id: string, state: Switch['state']): void {
    this.seq += 1;
    const s = this.switches.get(id);
    if (s !== undefined) {
      this.switches.set(id, { ...s, state, etag: `e${this.seq}`, readsUntilOff: this.turnOffReads });
    }
  }

  read(id: string): Switch {
    const s = this.switches.get(id);
    if (s === undefined) {
      throw new GdapError({ kind: 'notFound', status: 404, message: `Switch ${id} was not found.` });
    }
    if (s.state === 'turningOff') {
      if (s.readsUntilOff <= 0) {
        this.switches.set(id, { ...s, state: 'off' });
      } else {
        this.switches.set(id, { ...s, readsUntilOff: s.readsUntilOff - 1 });
      }
    }
    const { readsUntilOff: _ignored, ...value } = s;
    return value;
  }

  turnOff(id: string, etag: string): void {
    this.sends += 1;
    const fault = this.faults.shift();
    if (fault !== undefined && !fault.applied) {
      throw faultError(fault);
    }
    const s = this.switches.get(id);
    if (s === undefined) {
      throw new GdapError({ kind: 'notFound', status: 404, message: 'gone' });
    }
    if (s.etag !== etag) {
      throw new GdapError({ kind: 'preconditionFailed', status: 412, message: 'ETag mismatch.' });
    }
    this.touch(id, 'turningOff');
    if (fault !== undefined) {
      throw faultError(fault);
    }
  }
}

function switchStrategy(service: SwitchService): MutationStrategy<string, Switch, SwitchPlan> {
  return {
    action: 'removeDap',
    label: 'Switch off',
    key: (id) => id,
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection.
    readMany: async (_apis, ids) => {
      service.readManyCalls += 1;
      if (service.failReadMany) {
        throw new GdapError({ kind: 'server', message: 'batch failed' });
      }
      const out = new Map<string, BatchItemResult<Switch>>();
      for (const id of ids) {
        try {
          out.set(id, { ok: true, value: service.read(id) });
        } catch (error) {
          out.set(id, { ok: false, error: error as GdapError });
        }
      }
      return out;
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection.
    readOne: async (_apis, id) => {
      service.readOneCalls += 1;
      return service.read(id);
    },
    decide(id, observed) {
      if (!observed.ok) {
        return {
          kind: 'skip',
          outcome: 'failed',
          status: null,
          error: 'unreadable',
          plan: { id, state: null, willAct: false, reason: 'Could not be read.' },
        };
      }
      const s = observed.value;
      const plan = { id, state: s.state, willAct: s.state === 'on', reason: s.state === 'on' ? null : `It is ${s.state}.` };
      if (s.state === 'on') {
        return { kind: 'act', plan, name: `Switch ${id}`, status: s.state, etag: s.etag };
      }
      if (s.state === 'off' || s.state === 'turningOff') {
        return { kind: 'alreadyDone', plan, name: `Switch ${id}`, status: s.state, inFlight: s.state === 'turningOff' };
      }
      return { kind: 'skip', outcome: 'skipped', plan, status: s.state, error: 'broken' };
    },
    journalTarget: (id) => ({ customerTenantId: id }),
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection.
    send: async (_apis, id, decision) => {
      service.turnOff(id, decision.etag ?? '');
      return { status: 'turningOff' };
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection.
    reconcile: async (_apis, id, decision, failure): Promise<Reconciliation> => {
      const s = service.read(id);
      if (s.state !== 'on') {
        return { kind: 'applied', status: s.state, note: `read ${s.state} after ${failure.kind}` };
      }
      return s.etag === decision.etag
        ? { kind: 'notApplied', status: s.state }
        : { kind: 'changed', status: s.state, message: 'changed since it was read' };
    },
    isEndState: (status) => status === 'off',
    verdict: (observed) =>
      observed.ok
        ? { state: observed.value.state === 'off' ? 'done' : 'pending', status: observed.value.state }
        : { state: 'failed', status: null, message: 'vanished' },
    fromJournal: (target) => target.customerTenantId,
    tookEffect: (observed) =>
      observed.ok ? { state: observed.value.state, reached: observed.value.state !== 'on' } : { state: 'gone', reached: false },
    texts: {
      failedTimes: (n, message) => msg('Switching off failed {0} times: {1}', String(n), message),
      timedOut: (status, seconds) => msg('still {0} after {1} s', status ?? '?', String(seconds)),
      notReached: msg('did not switch off'),
    },
  };
}

describe('mutation pipeline', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers();
  });
  afterEach(() => {
    clock.restore();
  });

  /** Runs `work` to completion on virtual time. */
  async function onVirtualTime<R>(work: Promise<R>): Promise<R> {
    let settled = false;
    const done = work.finally(() => {
      settled = true;
    });
    while (!settled) {
      await clock.tickAsync(1000);
    }
    return done;
  }

  it('dedupes, acts once per target, and returns results in the order asked (repeats included)', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.add('b', 'off');
    service.add('c', 'broken');
    const results = await onVirtualTime(
      runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['c', 'a', 'b', 'a'], { wait: false }),
    );
    assert.deepEqual(
      results.map((r) => [r.id, r.outcome]),
      [
        ['c', 'skipped'],
        ['a', 'done'],
        ['b', 'alreadyDone'],
        ['a', 'done'],
      ],
    );
    assert.equal(service.sends, 1);
    assert.equal(service.readManyCalls, 1, 'one batched prefetch');
    assert.equal(service.readOneCalls, 0);
    assert.equal(assertPaired(bed.journal).intents, 1);
  });

  it('falls back to single reads when the batched prefetch fails', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.add('b');
    service.failReadMany = true;
    const results = await onVirtualTime(runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['a', 'b'], { wait: false }));
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['done', 'done'],
    );
    assert.equal(service.readOneCalls, 2);
  });

  it('a 412 re-reads and fails as changed: never re-sent to a state the user did not confirm', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    const strategy = switchStrategy(service);
    const realSend = strategy.send.bind(strategy);
    // Someone else changes the switch between the read and the send.
    const racing: typeof strategy = {
      ...strategy,
      send: (apis, id, decision, state) => {
        service.touch(id, 'on');
        return realSend(apis, id, decision, state);
      },
    };
    const results = await onVirtualTime(runMutation(bed.ctx({ clock: systemClock }), racing, ['a'], { wait: false }));
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'preconditionFailed');
    assert.match(results[0]?.error ?? '', /changed since it was read/);
    assert.equal(service.sends, 1);
    assert.equal(service.switches.get('a')?.state, 'on');
    assertPaired(bed.journal);
  });

  it('re-sends only after reading showed it not applied, at most three sends in all', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    const lost: FaultSpec = { kind: 'network', applied: false };
    service.faults.push(lost, lost, lost);
    const results = await onVirtualTime(runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['a'], { wait: false }));
    assert.equal(results[0]?.outcome, 'failed');
    assert.match(results[0]?.error ?? '', /Switching off failed 3 times/);
    assert.equal(service.sends, 3);
    assert.equal(assertPaired(bed.journal).outcomes, 1);
  });

  it('an applied send with a lost answer is reconciled by reading: done, not re-sent, noted in the journal', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.faults.push({ kind: 'timeout', applied: true });
    const results = await onVirtualTime(
      runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['a'], { pollIntervalMs: 2000 }),
    );
    assert.equal(results[0]?.outcome, 'done');
    assert.equal(results[0]?.status, 'off');
    assert.equal(service.sends, 1);
    const outcome = bed.journal.records.find((r) => r.type === 'outcome');
    assert.match(outcome?.note ?? '', /after timeout/);
  });

  it('waits on virtual time: minutes pass, no real waiting', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.add('b');
    // Off only after 100 polls of 2 s (over three minutes).
    service.turnOffReads = 100;
    const started = Date.now();
    const results = await onVirtualTime(
      runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['a', 'b'], {
        pollIntervalMs: 2000,
        timeoutMs: 10 * 60 * 1000,
      }),
    );
    assert.deepEqual(
      results.map((r) => [r.outcome, r.status]),
      [
        ['done', 'off'],
        ['done', 'off'],
      ],
    );
    assert.ok(Date.now() - started >= 200_000, 'virtual minutes passed');
    assert.ok(bed.progress.some((p) => p.status === 'turningOff'));
  });

  it('reports a per-target timeout with the strategy text', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.turnOffReads = 1000;
    const results = await onVirtualTime(
      runMutation(bed.ctx({ clock: systemClock }), switchStrategy(service), ['a'], { pollIntervalMs: 2000, timeoutMs: 60_000 }),
    );
    assert.equal(results[0]?.outcome, 'failed');
    assert.equal(results[0]?.errorKind, 'timeout');
    assert.equal(results[0]?.error, 'still turningOff after 60 s');
  });

  it('the plan is the decision the run takes on the same state', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    service.add('b', 'off');
    service.add('c', 'broken');
    const strategy = switchStrategy(service);
    const plan = await onVirtualTime(planMutation(bed.ctx({ clock: systemClock }), strategy, ['a', 'b', 'c', 'missing']));
    assert.deepEqual(
      plan.map((p) => [p.id, p.willAct, p.reason]),
      [
        ['a', true, null],
        ['b', false, 'It is off.'],
        ['c', false, 'It is broken.'],
        ['missing', false, 'Could not be read.'],
      ],
    );
    assert.equal(service.sends, 0);
    const results = await onVirtualTime(
      runMutation(bed.ctx({ clock: systemClock }), strategy, ['a', 'b', 'c', 'missing'], { wait: false }),
    );
    assert.deepEqual(
      results.map((r) => r.outcome),
      ['done', 'alreadyDone', 'skipped', 'failed'],
    );
  });

  it('cancellation before the send: intent and a cancelled outcome are journalled, nothing is sent', async () => {
    const bed = testBed();
    const service = new SwitchService();
    service.add('a');
    const controller = new AbortController();
    const strategy = switchStrategy(service);
    const cancelling: typeof strategy = {
      ...strategy,
      journalTarget: (id, decision) => {
        controller.abort();
        return strategy.journalTarget(id, decision);
      },
    };
    const results = await onVirtualTime(runMutation(bed.ctx({ signal: controller.signal }), cancelling, ['a'], { wait: false }));
    assert.equal(results[0]?.errorKind, 'cancelled');
    assert.equal(service.sends, 0);
    assert.equal(assertPaired(bed.journal).intents, 1);
  });
});
