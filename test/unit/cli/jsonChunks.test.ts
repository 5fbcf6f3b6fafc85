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

  it('cuts arrays per element, leaves out undefined properties and writes unexpressible elements as null', () => {
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
