import { PerformanceObserver } from 'node:perf_hooks';
import type * as V8 from 'node:v8';

/*
 * V8's young generation, sized for the command line. V8 grows each of its two semi-spaces up to 16 MB,
 * a size meant for long-running servers. A `gdap` run that builds a large answer (an inventory) keeps
 * most of what it makes, so every collection copies survivors through all of that space, and each of
 * its 32 MB is memory the process touches for the first time: a page fault per 4 KB. With the young
 * generation held at 4 MB semi-spaces the inventory at 2,000 customers took ≈ 10 % less time, with
 * ≈ 5,000 fewer page faults (BENCHMARKS.md, "Inventory, ninth pass").
 *
 * That size can only be set when Node starts (`--max-semi-space-size`), which `gdap` as npm installs it
 * cannot pass on every platform. So its growth is stopped at run time instead: after each collection
 * the young generation's size is read, and once it has reached the cap V8's growth factor is set to 1
 * (V8 reads that flag whenever it would grow the space). A user's own sizing of the young generation or
 * the heap (in Node's command line or NODE_OPTIONS) is left alone.
 *
 * V8's code cache records the flags it was made under and is refused by a run with other flags, so
 * `restore` sets the factor back before a cache is written: a cache made under the changed factor
 * would be refused by every later start.
 */

/** Both semi-spaces of 4 MB, as `new_space` reports its size. */
export const YOUNG_GENERATION_CAP_BYTES = 2 * 4 * 1024 * 1024;

/** V8's own growth factor (Node 20's V8), set back by `restore`. */
const DEFAULT_GROWTH_FACTOR = 2;

const YOUNG_GENERATION_FLAGS = /--(max-semi-space-size|min-semi-space-size|semi-space-growth-factor|max-heap-size)\b/;

export interface YoungGenerationCap {
  /** Whether the growth has been stopped (the cap was reached). */
  readonly capped: () => boolean;
  /** Sets V8's flag back as it was and stops watching; safe to call more than once. */
  readonly restore: () => void;
}

/**
 * Watches the young generation's size after each collection and stops its growth at `capBytes`.
 * Returns undefined (nothing watched) when the user sizes it themselves.
 */
export function capYoungGeneration(
  capBytes: number = YOUNG_GENERATION_CAP_BYTES,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): YoungGenerationCap | undefined {
  if (execArgv.some((a) => YOUNG_GENERATION_FLAGS.test(a)) || YOUNG_GENERATION_FLAGS.test(nodeOptions ?? '')) {
    return undefined;
  }
  // node:v8 (≈ 2.5 ms to load) is loaded by the first collection, not by every start.
  let v8: typeof V8 | undefined;
  let capped = false;
  let observer: PerformanceObserver | undefined;
  const stopWatching = (): void => {
    observer?.disconnect();
    observer = undefined;
  };
  observer = new PerformanceObserver(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    v8 ??= require('node:v8') as typeof V8;
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (young !== undefined && young.space_size >= capBytes) {
      v8.setFlagsFromString('--semi-space-growth-factor=1');
      capped = true;
      stopWatching();
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    capped: () => capped,
    restore: (): void => {
      stopWatching();
      if (capped && v8 !== undefined) {
        v8.setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
        capped = false;
      }
    },
  };
}
