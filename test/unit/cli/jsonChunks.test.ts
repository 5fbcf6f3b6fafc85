import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { jsonChunks, writeChunks } from '../../../src/cli/inventoryOutput';

const whole = (v: Record<string, unknown>): string => `${JSON.stringify(v, null, 2)}\n`;

describe('jsonChunks: the inventory JSON written piece by piece', () => {
  it('is the text of JSON.stringify(value, null, 2) for any object of JSON values', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue()))), (v) => {
        assert.equal([...jsonChunks(v)].join(''), whole(v));
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('cuts arrays into groups of elements, leaves out undefined properties and writes unexpressible elements as null', () => {
    const v = {
      generatedAt: '2026-11-30T00:00:00.000Z',
      skipped: undefined,
      customers: [{ a: 'line\nbreak', b: [1, { c: [] }] }, { d: {} }],
      odd: [undefined, () => 1],
      empty: [],
    };
    const chunks = [...jsonChunks(v)];
    assert.equal(chunks.join(''), whole(v));
    assert.ok(chunks.length >= 8, `only ${chunks.length} pieces`);
    assert.equal([...jsonChunks({})].join(''), whole({}));
    assert.equal([...jsonChunks({ x: undefined })].join(''), whole({ x: undefined }));
  });

  it('keeps the text across the boundaries of element groups (long arrays, nested, odd elements)', () => {
    for (const n of [63, 64, 65, 128, 129, 300]) {
      const customers = Array.from({ length: n }, (_, i) =>
        i % 17 === 5 ? undefined : { i, name: `c"${i}\n`, relationships: [{ roles: [{ id: i }], empty: [] }], none: {} },
      );
      const v = { generatedAt: 'x', customers, pendingRelationships: [] };
      const chunks = [...jsonChunks(v)];
      assert.equal(chunks.join(''), whole(v), `${n} elements`);
      // One piece per 64 elements (plus the fixed pieces): never the whole array in one string.
      assert.equal(chunks.length, 6 + Math.ceil(n / 64), `${n} elements`);
    }
  });

  it('writeChunks waits for drain on a slow stream: everything arrives in order, little is ever queued', async () => {
    const received: string[] = [];
    let maxQueued = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback): void {
        received.push(chunk.toString('utf8'));
        setImmediate(callback);
      },
    });
    const pieces = Array.from({ length: 2000 }, (_, i) => `${String(i).padStart(6, '0')}:${'x'.repeat(500)}\n`);
    const probe = function* (): Generator<string> {
      for (const p of pieces) {
        maxQueued = Math.max(maxQueued, slow.writableLength);
        yield p;
      }
    };
    await writeChunks(slow, probe());
    await new Promise<void>((resolve) => slow.end(resolve));
    assert.equal(received.join(''), pieces.join(''));
    // ≈ 1 MB written in all; without the wait for drain it would all be queued at once.
    assert.ok(maxQueued <= 2 * 64 * 1024, `queued up to ${maxQueued} bytes`);
  });
});
