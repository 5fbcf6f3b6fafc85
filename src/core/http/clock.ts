import { cancelledError } from './errorMapping';

/** Time source for retries, polling and throttling; injectable so tests run under fake timers. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with a GdapError of kind `cancelled` when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout-based, so sinon fake timers drive it in tests. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelledError());
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelledError());
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
