// The emulator's timestamps and seeded ids are written by hand for the xl preset's start-up time; they
// must stay exactly what the straightforward versions wrote (the same seed must give the same data set).
import * as assert from 'node:assert/strict';
import { SeededRandom } from '../../../src/emulator/random';
import { isoTime } from '../../../src/emulator/stamps';

/** The plain version: `toISOString()` with four more fractional digits. */
function isoTimeReference(ms: number): string {
  const base = new Date(Math.floor(ms)).toISOString();
  const extra = String(Math.abs(Math.floor(ms * 7919)) % 10000).padStart(4, '0');
  return base.replace('Z', `${extra}Z`);
}

/** The plain version of SeededRandom#guid over the same sequence. */
function guidReference(rng: SeededRandom): string {
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += Math.floor(rng.next() * 16).toString(16);
    }
    return s;
  };
  const variant = '89ab'[Math.floor(rng.next() * 4)];
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}

describe('emulator stamps and seeded ids', () => {
  it('isoTime writes what toISOString writes, plus four digits, across days, leap years and centuries', () => {
    const fixed = [
      0,
      1,
      999,
      1000,
      59_999,
      86_399_999,
      86_400_000,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(1900, 2, 1),
      Date.UTC(2100, 1, 28, 12),
      Date.UTC(2024, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(10000, 0, 1),
      -1,
      -86_400_001,
      Date.UTC(1969, 11, 31, 23, 59, 59, 500) + 0.25,
      1_735_689_600_000.5,
    ];
    const rng = new SeededRandom(7);
    const swept = Array.from({ length: 20_000 }, () => rng.next() * 253_402_300_799_999);
    const near = Array.from({ length: 20_000 }, () => Date.UTC(2026, 0, 1) + (rng.next() - 0.5) * 4e10);
    for (const ms of [...fixed, ...swept, ...near]) {
      assert.equal(isoTime(ms), isoTimeReference(ms), `isoTime(${ms})`);
    }
    assert.match(isoTime(Date.UTC(2026, 2, 3, 4, 5, 6, 7)), /^2026-03-03T04:05:06\.007\d{4}Z$/);
  });

  it('guid draws the same ids from a seed as the plain version', () => {
    for (const seed of [0, 1, 42, 0x5bd1e995, 2 ** 31 - 1]) {
      const a = new SeededRandom(seed);
      const b = new SeededRandom(seed);
      for (let i = 0; i < 500; i++) {
        const id = a.guid();
        assert.equal(id, guidReference(b));
        assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
    }
  });
});
