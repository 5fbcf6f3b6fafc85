/**
 * How long to wait before the next try, as a function of how many tries were made. Every retry and
 * poll loop of core takes its delays from one of these, so the growth, cap and jitter rules live in
 * one place and tests can inject the jitter source.
 */
export type BackoffSchedule = (attempt: number) => number;

export interface BackoffOptions {
  /** Delay after the first try. */
  readonly initialMs: number;
  /** Cap of one delay (before jitter). */
  readonly maxMs: number;
  /** Growth per try. Default 2. */
  readonly factor?: number;
  /**
   * Jitter source in [0, 1). When given, "equal jitter" applies: half of the delay is fixed, half is
   * random, so concurrent clients spread out but a wait never collapses to 0. Absent: no jitter.
   */
  readonly random?: () => number;
}

/** Capped exponential backoff: `min(maxMs, initialMs · factor^(attempt-1))`, then the optional jitter, rounded to ms. */
export function backoffSchedule(options: BackoffOptions): BackoffSchedule {
  const factor = options.factor ?? 2;
  const random = options.random;
  return (attempt: number): number => {
    const step = Math.min(options.maxMs, options.initialMs * factor ** Math.max(0, attempt - 1));
    const capped = Math.max(0, step);
    return Math.round(random === undefined ? capped : capped / 2 + (capped / 2) * random());
  };
}
