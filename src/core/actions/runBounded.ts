/**
 * Runs `worker` over `items` with at most `concurrency` in flight. Items not started when `signal`
 * aborts go to `onNotStarted` instead (their targets are reported cancelled, nothing sent); started
 * ones run to their end. A worker that throws is reported through `onCrash` and never stops the others.
 */
export async function runBounded<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  worker: (item: T, index: number) => Promise<void>,
  onNotStarted: (item: T, index: number) => void,
  onCrash: (item: T, index: number, error: unknown) => void,
): Promise<void> {
  let next = 0;
  const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index];
      if (signal?.aborted === true) {
        onNotStarted(item, index);
        continue;
      }
      try {
        await worker(item, index);
      } catch (error) {
        onCrash(item, index, error);
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}
