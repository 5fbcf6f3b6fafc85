const DAY_MS = 86_400_000;
/** Years 0000–9999: the range `toISOString` writes with four digits. */
const LAST_FOUR_DIGIT_MS = 253_402_300_800_000;

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n);
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + String(n);
const pad4 = (n: number): string => (n < 10 ? '000' : n < 100 ? '00' : n < 1000 ? '0' : '') + String(n);

/**
 * Graph-style timestamps (7 fractional digits, docs/api-notes.md §12.2) and weak ETags (§2.9, §12.13).
 * Same text as `toISOString()` with 4 more digits; written out by hand because the xl preset writes
 * about 100,000 of them at start-up and `Date#toISOString` was the largest single cost there.
 */
export function isoTime(ms: number): string {
  const t = Math.floor(ms);
  const extra = pad4(Math.abs(Math.floor(ms * 7919)) % 10000);
  if (!(t >= 0 && t < LAST_FOUR_DIGIT_MS)) {
    return `${new Date(t).toISOString().slice(0, -1)}${extra}Z`;
  }
  // Days since 1970-01-01 to a proleptic Gregorian date (the civil-from-days algorithm, 400-year eras).
  const days = Math.floor(t / DAY_MS);
  let rest = t - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(millis)}${extra}Z`;
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
