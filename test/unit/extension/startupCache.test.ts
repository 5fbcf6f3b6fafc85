import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Inventory } from '../../../src/core/actions/inventory';
import { STARTUP_CACHE_VERSION, StartupCache } from '../../../src/extension/tree/startupCache';

const inventory: Inventory = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  source: 'emulator',
  customers: [
    {
      tenantId: '11111111-1111-1111-1111-111111111111',
      displayName: 'Contoso',
      relationships: [
        {
          id: 'rel-1',
          displayName: 'Contoso support',
          status: 'active',
          createdDateTime: null,
          activatedDateTime: null,
          endDateTime: null,
          duration: 'P730D',
          autoExtendDuration: null,
          customer: { tenantId: '11111111-1111-1111-1111-111111111111', displayName: 'Contoso' },
          roles: [{ roleDefinitionId: 'r1', name: 'Helpdesk Administrator', privileged: false }],
        },
      ],
    },
  ],
  pendingRelationships: [],
};

function header2(): string {
  return JSON.stringify({ version: 2, key: 'k', savedAt: 1, generatedAt: 'x', source: 'emulator', roles: [] });
}

describe('start-up cache file', () => {
  let dir: string;
  let lines: string[];
  let cache: StartupCache;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gdap-cache-'));
    lines = [];
    cache = new StartupCache(join(dir, 'sub', 'inventory-cache.json'), (l) => lines.push(l));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips an inventory for the same key, versioned, and leaves no temporary file', async () => {
    await cache.write({ key: 'k', savedAt: 42, inventory });
    const back = await cache.read('k');
    assert.deepEqual(back, { key: 'k', savedAt: 42, inventory });
    const header = readFileSync(cache.path, 'utf8').split('\n')[0];
    assert.equal((JSON.parse(header) as { version: number }).version, STARTUP_CACHE_VERSION);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['inventory-cache.json']);
    assert.deepEqual(lines, []);
  });

  it('round-trips what the rows have no column for, pending relationships, shared roles and absent ETags', async () => {
    const rel = inventory.customers[0].relationships[0];
    const other = { ...rel, id: 'rel-2', customer: { tenantId: 'x', displayName: null }, etag: null };
    const rich: Inventory = {
      ...inventory,
      customers: [{ ...inventory.customers[0], relationships: [rel, { ...rel, id: 'rel-3', etag: 'W/"1"' }, other] }],
      pendingRelationships: Array.from({ length: 450 }, (_, i) => ({
        ...rel,
        id: `p-${i}`,
        customer: { tenantId: null, displayName: null },
        accessAssignmentsError: { kind: 'forbidden' as const, message: 'no' },
      })),
      assignmentErrors: [{ relationshipId: 'p-1', kind: 'forbidden', message: 'no' }],
    };
    await cache.write({ key: 'k', savedAt: 7, inventory: rich });
    const back = await cache.read('k');
    assert.deepEqual(back, { key: 'k', savedAt: 7, inventory: rich });
    assert.equal('etag' in (back?.inventory.customers[0].relationships[0] ?? {}), false);
    assert.equal(back?.inventory.customers[0].relationships[0].roles[0], back?.inventory.customers[0].relationships[1].roles[0]);
    // One header, one customer line, three lines of pending relationships.
    assert.equal(readFileSync(cache.path, 'utf8').trimEnd().split('\n').length, 5);
  });

  it("ignores another sign-in's cache without a log line", async () => {
    await cache.write({ key: 'k', savedAt: 1, inventory });
    assert.equal(await cache.read('other'), undefined);
    assert.deepEqual(lines, []);
  });

  it('no file: undefined, no log line', async () => {
    assert.equal(await cache.read('k'), undefined);
    assert.deepEqual(lines, []);
  });

  for (const [what, text, reason] of [
    ['corrupt JSON', '{"version":2,"key":"k",', /not valid JSON/],
    ['an old version', JSON.stringify({ version: 0, key: 'k', savedAt: 1, inventory }), /version 0 is not 2/],
    [
      'a version-1 file (one long line), unparsed',
      JSON.stringify({ version: 1, key: 'k', savedAt: 1, pad: 'x'.repeat(1024 * 1024) }),
      /not a version 2 file/,
    ],
    ['a wrong shape', `${header2()}\n["c",5,"Contoso",[]]\n`, /unexpected content at customers\.0/],
    [
      'a malformed relationship row',
      `${header2()}\n["c","t1","Contoso",[["rel-1","n","active",null,null,null,null,null,0,[7],0]]]\n`,
      /unexpected content at customers\.0\.relationships\.0 \(roles\)/,
    ],
    ['a customer line cut short', `${header2()}\n["c","t1","Contoso",[["rel-1"`, /unexpected content at customers\.0 \(not JSON\)/],
  ] as const) {
    it(`ignores ${what} with one log line`, async () => {
      writeFileSync(join(dir, 'f.json'), text);
      const c = new StartupCache(join(dir, 'f.json'), (l) => lines.push(l));
      assert.equal(await c.read('k'), undefined);
      assert.equal(lines.length, 1);
      assert.match(lines[0], reason);
    });
  }

  it('ignores an oversized file unread, and does not write past the limit (the old file goes)', async () => {
    await cache.write({ key: 'k', savedAt: 1, inventory });
    const size = statSync(cache.path).size;
    const small = new StartupCache(cache.path, (l) => lines.push(l), size - 1);
    assert.equal(await small.read('k'), undefined);
    assert.match(lines[0], /over the \d+-byte limit/);
    await small.write({ key: 'k', savedAt: 2, inventory });
    assert.match(lines[1], /not written/);
    assert.throws(() => statSync(cache.path), /ENOENT/);
  });

  it('writes in order: the last write wins', async () => {
    await Promise.all([1, 2, 3].map((n) => cache.write({ key: 'k', savedAt: n, inventory })));
    assert.equal((await cache.read('k'))?.savedAt, 3);
  });

  it('a burst of writes writes the file once, and once more behind a write in progress', async () => {
    const seen: number[] = [];
    const write = (savedAt: number): Promise<void> =>
      cache.write({ key: 'k', savedAt, inventory }).then(async () => {
        seen.push((await cache.read('k'))?.savedAt ?? 0);
      });
    await Promise.all([1, 2, 3, 4, 5].map(write));
    assert.equal(cache.writeCount, 1);
    assert.deepEqual(seen, [5, 5, 5, 5, 5], 'every caller resolves once the newest entry is in the file');

    const first = write(6);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 40 }, (_, i) => write(7 + i));
    await Promise.all([first, ...rest]);
    assert.equal(cache.writeCount, 3, 'the write in progress, then one for the 40 queued behind it');
    assert.equal((await cache.read('k'))?.savedAt, 46);
    assert.ok(
      seen.slice(5).every((savedAt) => savedAt >= 6),
      seen.join(','),
    );
  });

  it('remove() deletes the file and tolerates none', async () => {
    await cache.write({ key: 'k', savedAt: 1, inventory });
    await cache.remove();
    await cache.remove();
    assert.equal(await cache.read('k'), undefined);
  });
});
