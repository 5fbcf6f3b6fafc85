/*
 * The approval poller's timer (docs/onboarding.md §9), without VS Code: one pending timer at most, one check
 * in flight at most, a wait that doubles after every check that found nothing new (or failed) up to a
 * ceiling. The timer functions are injected so the tests can move the clock — including a jump of hours, which
 * is what a laptop's sleep looks like to a timer: whatever was due fires once, never once per missed period.
 */

/** The timer functions the schedule uses (the global ones by default). */
export interface TimerFunctions {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_TIMERS: TimerFunctions = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface BackoffTiming {
  /** First wait after a restart. */
  readonly baseMs: number;
  /** The longest wait. */
  readonly maxMs: number;
}

/**
 * What a check found: `changed` (the caller reloads, and restarts the schedule when the reload lands),
 * `unchanged` or `failed` (wait longer before the next one), `idle` (nothing to watch or not allowed: stop).
 */
export type CheckResult = 'changed' | 'unchanged' | 'failed' | 'idle';

export class BackoffSchedule {
  private handle: unknown;
  private delay: number;
  private inFlight: Promise<CheckResult> | undefined;
  private stopped = false;

  constructor(
    private readonly check: () => Promise<CheckResult>,
    private readonly timing: BackoffTiming,
    /** False while nothing may be sent (signed out, nothing to watch): no timer is set then. */
    private readonly active: () => boolean,
    private readonly timers: TimerFunctions = SYSTEM_TIMERS,
  ) {
    this.delay = timing.baseMs;
  }

  /** The wait before the next check (for the tests and the log). */
  get nextDelayMs(): number {
    return this.delay;
  }

  /** True while a timer is pending. */
  get scheduled(): boolean {
    return this.handle !== undefined;
  }

  /** Something new was seen (a load landed): wait the base delay again. */
  restart(): void {
    this.delay = this.timing.baseMs;
    this.arm();
  }

  /** Backs off: the next check waits twice as long, up to the ceiling. */
  backOff(): void {
    this.delay = Math.min(this.delay * 2, this.timing.maxMs);
    this.arm();
  }

  /** No timer until the next restart. */
  pause(): void {
    if (this.handle !== undefined) {
      this.timers.clearTimeout(this.handle);
      this.handle = undefined;
    }
  }

  /** One check now; joins the one in flight instead of starting a second. */
  runNow(): Promise<CheckResult> {
    this.inFlight ??= this.runOnce().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  dispose(): void {
    this.stopped = true;
    this.pause();
  }

  private arm(): void {
    this.pause();
    if (this.stopped || !this.active()) {
      return;
    }
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      void this.runNow();
    }, this.delay);
  }

  private async runOnce(): Promise<CheckResult> {
    // A timer that fires with a check already in flight (or after a jump of the clock) joins it: runNow.
    this.pause();
    if (this.stopped || !this.active()) {
      return 'idle';
    }
    let result: CheckResult;
    try {
      result = await this.check();
    } catch {
      result = 'failed';
    }
    if (result === 'unchanged' || result === 'failed') {
      this.backOff();
    } else if (result === 'idle') {
      this.pause();
    }
    // `changed`: the caller's reload ends in restart(), or, when the reload failed, in backOff().
    return result;
  }
}
