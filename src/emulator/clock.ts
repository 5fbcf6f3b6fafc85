/**
 * The service's own clock and its scheduled progress steps. Steps run lazily (on `advance()`, called before
 * each request is served), never from timers, so an idle emulator costs nothing. The clock is real time plus
 * an offset the control API can move forward (`POST /_emulator/clock`).
 */
interface Scheduled {
  due: number;
  seq: number;
  run: (atMs: number) => void;
}

export class ServiceClock {
  private offsetMs = 0;
  /** Binary min-heap on (due, seq): O(log n) per step, even with one lapse timer per pending invitation. */
  private heap: Scheduled[] = [];
  private seq = 0;

  public constructor(public readonly timeScale: number) {}

  public now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves the clock forward by `ms` and runs every step that became due. */
  public skip(ms: number): void {
    this.offsetMs += ms;
    this.advance();
  }

  public clear(): void {
    this.heap = [];
  }

  /** Runs every step that is due, in due order (ties in scheduling order). */
  public advance(now = this.now()): void {
    while (this.heap.length > 0 && this.heap[0].due <= now) {
      const s = this.pop();
      s.run(s.due);
    }
  }

  /** Schedules `run` after `seconds` of service time (divided by the time scale); returns the due time. */
  public after(fromMs: number, seconds: number, run: (atMs: number) => void): number {
    return this.at(fromMs + (seconds * 1000) / this.timeScale, run);
  }

  public at(due: number, run: (atMs: number) => void): number {
    const h = this.heap;
    h.push({ due, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i], h[parent])) {
        break;
      }
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
    return due;
  }

  private pop(): Scheduled {
    const h = this.heap;
    const top = h[0];
    const last = h.pop() as Scheduled;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) {
          m = l;
        }
        if (r < h.length && before(h[r], h[m])) {
          m = r;
        }
        if (m === i) {
          break;
        }
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
