/**
 * Seeded pseudo-random numbers (mulberry32): the emulator's data and fault rolls must be reproducible
 * from `--seed` / `--fault-seed`, so nothing here touches Math.random.
 */
const HEX_DIGITS = '0123456789abcdef';

export class SeededRandom {
  private state: number;

  public constructor(seed: number) {
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  public next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  public int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  public pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index chosen by relative weights. */
  public weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  public chance(p: number): boolean {
    return this.next() < p;
  }

  /** A version-4-shaped GUID drawn from this sequence. */
  public guid(): string {
    // The variant is drawn first, then the digits left to right: the order fixes every seeded id.
    const variant = '89ab'[Math.floor(this.next() * 4)];
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  /** n hex digits; a table lookup, as `toString(16)` per digit was a visible share of the xl preset's start. */
  private hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += HEX_DIGITS[Math.floor(this.next() * 16)];
    }
    return s;
  }

  /** k distinct items (k clipped to the list length), in list order. */
  public sample<T>(items: readonly T[], k: number): T[] {
    const idx = items.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx
      .slice(0, Math.min(k, items.length))
      .sort((a, b) => a - b)
      .map((i) => items[i]);
  }
}
