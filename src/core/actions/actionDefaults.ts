/** Defaults shared by the bulk actions (targets in flight, wait limit, poll spacing, sends per target). */
export const ACTION_DEFAULTS = {
  concurrency: 8,
  waitTimeoutMs: 5 * 60 * 1000,
  pollIntervalMs: 2000,
  /** A mutation is sent again only after reading showed the previous send was not applied, at most this often in total. */
  maxSends: 3,
} as const;
