/** Graph-style timestamps (7 fractional digits, docs/api-notes.md §12.2) and weak ETags (§2.9, §12.13). */
export function isoTime(ms: number): string {
  const base = new Date(Math.floor(ms)).toISOString(); // 2024-01-01T00:00:00.123Z
  const extra = String(Math.abs(Math.floor(ms * 7919)) % 10000).padStart(4, '0');
  return base.replace('Z', `${extra}Z`);
}

/** Issues a fresh ETag on every call: `W/"<base64 of '"hex-…"'>"` like the documented ones. */
export class EtagFactory {
  private counter = 0;

  public constructor(private readonly salt: number) {}

  /** How many ETags were issued: every change issues one, so this doubles as a change counter. */
  public get count(): number {
    return this.counter;
  }

  public next(): string {
    this.counter++;
    const a = ((this.counter * 2654435761) ^ this.salt) >>> 0;
    const inner = `"${a.toString(16).padStart(8, '0')}-0000-0200-0000-${this.counter.toString(16).padStart(12, '0')}"`;
    return `W/"${Buffer.from(`'${inner}'`, 'utf8').toString('base64')}"`;
  }
}
