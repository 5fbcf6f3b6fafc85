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
      // Small elements go together, at most 16 to a piece: never one call per element, never the whole array at once.
      const pieces = chunks.filter((c) => c.startsWith('    {') || c.startsWith('    null'));
      assert.ok(pieces.length >= Math.ceil(n / 16) && pieces.length <= Math.ceil(n / 4), `${n} elements in ${pieces.length} pieces`);
    }
  });

  it("sizes the groups by the text they make: pieces stay under V8's large-object size, however big the elements", () => {
    // Elements of ≈ 2, 20 and 60 KB of text, in runs, then one element larger than any piece should be.
    const sizes = [
      ...new Array<number>(50).fill(2_000),
      ...new Array<number>(40).fill(20_000),
      ...new Array<number>(20).fill(60_000),
      2_000,
      300_000,
      ...new Array<number>(30).fill(2_000),
    ];
    const customers = sizes.map((size, i) => ({ i, note: 'n'.repeat(size) }));
    const v = { generatedAt: 'x', customers };
    const chunks = [...jsonChunks(v)];
    assert.equal(chunks.join(''), whole(v));
    const pieces = chunks.filter((c) => c.startsWith('    {'));
    const elementsIn = (piece: string): number => piece.split('\n    {').length;
    assert.equal(
      pieces.reduce((n, p) => n + elementsIn(p), 0),
      sizes.length,
    );
    // 128 KB: V8's largest object in its young generation. The count follows the last group's text, so
    // a piece of several elements can be larger only right after the elements grew (twice here).
    const over = pieces.filter((p) => p.length > 128 * 1024 && elementsIn(p) > 1);
    assert.ok(over.length <= 2, `${over.length} pieces of several elements over 128 KB`);
    assert.ok(
      pieces.some((p) => elementsIn(p) > 4),
      'small elements are grouped beyond the first count',
    );
    assert.ok(pieces.length < sizes.length / 2, `${pieces.length} pieces for ${sizes.length} elements`);
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

  it('writeChunks never overwrites bytes a sink still holds, and keeps characters whole across writes', async () => {
    // Multi-byte characters (2, 3 and 4 bytes in UTF-8) over ≈ 1.5 MB: many writes, boundaries anywhere.
    const pieces = Array.from({ length: 3000 }, (_, i) => `${i}: é €𝄞 ${'x'.repeat(i % 997)}\n`);
    pieces.push('z'.repeat(400 * 1024), 'end\n');
    const held: Uint8Array[] = [];
    await writeChunks({ write: (data: string | Uint8Array) => held.push(typeof data === 'string' ? Buffer.from(data) : data) }, pieces);
    assert.ok(held.length > 3, `${held.length} writes`);
    assert.equal(Buffer.concat(held).toString('utf8'), pieces.join(''));
    for (const bytes of held) {
      // Every write decodes on its own: no character is cut between two writes.
      assert.equal(Buffer.from(Buffer.from(bytes).toString('utf8')).length, bytes.length);
    }
  });

  it('writeChunks uses one buffer again for a stream that has taken the bytes (a file, a pipe on Linux)', async () => {
    const received: string[] = [];
    const buffers = new Set<ArrayBufferLike>();
    const sync = new Writable({
      write(chunk: Buffer, _encoding, callback): void {
        received.push(chunk.toString('utf8'));
        buffers.add(chunk.buffer);
        callback();
      },
    });
    const pieces = Array.from({ length: 4000 }, (_, i) => `${i}:${'y'.repeat(300)}\n`);
    await writeChunks(sync, pieces);
    assert.equal(received.join(''), pieces.join(''));
    assert.ok(received.length >= 4, `${received.length} writes`);
    assert.equal(buffers.size, 1);
  });
});
