import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import { BackoffSchedule, type CheckResult } from '../../../src/extension/onboarding/backoffSchedule';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TIMING = { baseMs: MINUTE, maxMs: 15 * MINUTE };

/**
 * A check that records when it ran and how many ran at once; `answer` says what it finds, `hold` keeps it
 * in flight until released (a slow read).
 */
function recordingCheck(answer: () => CheckResult | Promise<CheckResult>): {
  run: () => Promise<CheckResult>;
  times: number[];
  maxConcurrent: () => number;
  hold: (on: boolean) => void;
} {
  const times: number[] = [];
  let running = 0;
  let max = 0;
  let held: Promise<void> | undefined;
  let release: (() => void) | undefined;
  return {
    times,
    maxConcurrent: () => max,
    hold(on) {
      if (on) {
        held = new Promise((r) => (release = r));
      } else {
        release?.();
        held = undefined;
      }
    },
    async run() {
      times.push(Date.now());
      running += 1;
      max = Math.max(max, running);
      try {
        await held;
        return await answer();
      } finally {
        running -= 1;
      }
    },
  };
}

/** Lets the promise callbacks a fired timer started run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await Promise.resolve();
  }
}

describe('approval polling schedule: backs off, stops signed out, no burst after sleep (fake clock)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.parse('2026-01-05T09:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => clock.restore());

  it('doubles the wait after every check that finds nothing new, up to the ceiling', async () => {
    const check = recordingCheck(() => 'unchanged');
    const schedule = new BackoffSchedule(check.run, TIMING, () => true);
    const start = Date.now();
    schedule.restart();
    await clock.tickAsync(2 * HOUR);
    const gaps = check.times.map((t, i) => (t - (i === 0 ? start : check.times[i - 1])) / MINUTE);
    assert.deepEqual(gaps.slice(0, 6), [1, 2, 4, 8, 15, 15]);
    assert.ok(
      gaps.every((g) => g >= 1 && g <= 15),
      gaps.join(','),
    );
    // 1+2+4+8 = 15 minutes, then every 15 minutes: 4 + 7 checks in two hours, not 120.
    assert.equal(check.times.length, 4 + Math.floor((2 * HOUR - 15 * MINUTE) / (15 * MINUTE)));
    schedule.dispose();
  });

  it('a failing check (network lost, throttled) backs off the same way instead of retrying in a loop', async () => {
    let calls = 0;
    const check = recordingCheck(() => {
      calls += 1;
      return calls % 2 === 0 ? 'failed' : Promise.reject(new Error('ECONNRESET'));
    });
    const schedule = new BackoffSchedule(check.run, TIMING, () => true);
    schedule.restart();
    await clock.tickAsync(HOUR);
    assert.ok(check.times.length <= 7, `${check.times.length} checks in an hour of failures`);
    assert.equal(schedule.nextDelayMs, TIMING.maxMs);
    assert.ok(schedule.scheduled, 'it keeps trying, at the ceiling');
    schedule.dispose();
  });

  it('sends nothing while inactive (signed out): no timer, and a due timer checks nothing', async () => {
    let signedIn = true;
    const check = recordingCheck(() => 'unchanged');
    const schedule = new BackoffSchedule(check.run, TIMING, () => signedIn);
    schedule.restart();
    await clock.tickAsync(MINUTE);
    assert.equal(check.times.length, 1);
    signedIn = false; // the timer set after that check is still pending
    await clock.tickAsync(10 * HOUR);
    assert.equal(check.times.length, 1, 'nothing checked while signed out');
    assert.equal(schedule.scheduled, false, 'and no timer is left');
    schedule.restart();
    assert.equal(schedule.scheduled, false, 'a restart while signed out sets none');
    assert.equal(await schedule.runNow(), 'idle');
    assert.equal(check.times.length, 1);
    signedIn = true;
    schedule.restart();
    await clock.tickAsync(MINUTE);
    assert.equal(check.times.length, 2, 'signed in again, it starts over at the base delay');
    schedule.dispose();
  });

  it('a jump of the clock by hours (sleep, then resume) runs one check, not one per missed period', async () => {
    const check = recordingCheck(() => 'unchanged');
    const schedule = new BackoffSchedule(check.run, TIMING, () => true);
    schedule.restart();
    await clock.tickAsync(MINUTE);
    assert.equal(check.times.length, 1);
    clock.jump(8 * HOUR);
    await settle();
    assert.equal(check.times.length, 2, 'one check after the resume');
    await clock.tickAsync(MINUTE);
    assert.equal(check.times.length, 2, 'and the next one waits its backed-off delay');
    assert.equal(check.maxConcurrent(), 1);
    schedule.dispose();
  });

  it('never two checks at once: a timer, a jump and explicit checks during a slow one all join it', async () => {
    const check = recordingCheck(() => 'unchanged');
    const schedule = new BackoffSchedule(check.run, TIMING, () => true);
    schedule.restart();
    check.hold(true);
    await clock.tickAsync(MINUTE);
    assert.equal(check.times.length, 1, 'the slow check started');
    const joined = [schedule.runNow(), schedule.runNow()];
    schedule.restart(); // an inventory change meanwhile sets the timer again
    clock.jump(5 * HOUR);
    await settle();
    assert.equal(check.times.length, 1, 'nothing else started while it was in flight');
    check.hold(false);
    assert.deepEqual(await Promise.all(joined), ['unchanged', 'unchanged']);
    await settle();
    assert.equal(check.maxConcurrent(), 1);
    assert.ok(schedule.scheduled, 'the next check is scheduled once');
    schedule.dispose();
  });

  it('a change restarts at the base delay; dispose stops it for good', async () => {
    let answer: CheckResult = 'unchanged';
    const check = recordingCheck(() => answer);
    const schedule = new BackoffSchedule(check.run, TIMING, () => true);
    schedule.restart();
    await clock.tickAsync(MINUTE + 2 * MINUTE + 4 * MINUTE);
    assert.equal(schedule.nextDelayMs, 8 * MINUTE);
    answer = 'changed';
    await clock.tickAsync(8 * MINUTE);
    // `changed`: the caller's reload lands and restarts it.
    schedule.restart();
    assert.equal(schedule.nextDelayMs, MINUTE);
    schedule.dispose();
    const before = check.times.length;
    await clock.tickAsync(HOUR);
    schedule.restart();
    await clock.tickAsync(HOUR);
    assert.equal(check.times.length, before);
  });
});
