import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JournalRecord } from '../../../src/core/actions/actionTypes';
import { FileJournal, findInterrupted, readRecords } from '../../../src/core/actions/journal';
import { terminateRelationships } from '../../../src/core/actions/terminateRelationships';
import { testBed } from './fakes/fakeContext';

const record = (type: JournalRecord['type'], operationId: string, extra: Partial<JournalRecord> = {}): JournalRecord => ({
  time: '2026-01-01T00:00:00.000Z',
  type,
  operationId,
  action: 'terminateRelationship',
  actor: 'admin@partner.example',
  cloud: 'global',
  target: { relationshipId: 'r1', name: 'Contoso' },
  ...extra,
});

describe('FileJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gdap-journal-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates folders and a 0600 file, one JSON line per record', async () => {
    const path = join(dir, 'nested', 'state', 'journal.jsonl');
    const journal = new FileJournal(path);
    await journal.append(record('intent', 'op1'));
    await journal.append(record('outcome', 'op1', { outcome: 'done', status: 'terminated' }));
    await journal.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(
      (await readRecords(path)).map((r) => r.type),
      ['intent', 'outcome'],
    );
  });

  it('serialises concurrent appends without interleaving', async () => {
    const path = join(dir, 'journal.jsonl');
    const journal = new FileJournal(path);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => journal.append(record('intent', `op${i}`, { target: { relationshipId: 'x'.repeat(2000) } }))),
    );
    await journal.close();
    const records = await readRecords(path);
    assert.equal(records.length, 50);
    assert.deepEqual(
      records.map((r) => r.operationId),
      Array.from({ length: 50 }, (_, i) => `op${i}`),
    );
  });

  it('refuses token-shaped values instead of writing them', async () => {
    const path = join(dir, 'journal.jsonl');
    const journal = new FileJournal(path);
    const jwt = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln';
    await assert.rejects(
      journal.append(record('outcome', 'op1', { error: `failed with ${jwt}` })),
      (e: unknown) => (e as { kind?: string }).kind === 'invalidInput',
    );
    await assert.rejects(journal.append(record('outcome', 'op2', { error: 'Authorization: Bearer abc.def' })));
    await journal.append(record('intent', 'op3'));
    await journal.close();
    const text = readFileSync(path, 'utf8');
    assert.ok(!text.includes('eyJ0eXAi'));
    assert.ok(!/bearer/i.test(text));
    assert.equal((await readRecords(path)).length, 1);
  });

  it('tolerates a torn last line and starts the next record on its own line', async () => {
    const path = join(dir, 'journal.jsonl');
    const first = new FileJournal(path);
    await first.append(record('intent', 'op1'));
    await first.close();
    appendFileSync(path, '{"time":"2026-01-01T00:00:00Z","type":"outc');
    assert.deepEqual(
      (await readRecords(path)).map((r) => r.operationId),
      ['op1'],
    );
    const second = new FileJournal(path);
    await second.append(record('outcome', 'op1', { outcome: 'done' }));
    await second.close();
    assert.deepEqual(
      (await readRecords(path)).map((r) => r.type),
      ['intent', 'outcome'],
    );
  });

  it('readRecords of a missing file is empty', async () => {
    assert.deepEqual(await readRecords(join(dir, 'none.jsonl')), []);
  });

  it('findInterrupted returns intents with neither outcome nor reconciled record', () => {
    const records = [
      record('intent', 'a'),
      record('outcome', 'a'),
      record('intent', 'b'),
      record('intent', 'c'),
      record('reconciled', 'c'),
    ];
    assert.deepEqual(
      findInterrupted(records).map((r) => r.operationId),
      ['b'],
    );
  });

  it('a real run writes paired intent/outcome records to disk', async () => {
    const path = join(dir, 'journal.jsonl');
    const journal = new FileJournal(path);
    const bed = testBed();
    ['r1', 'r2', 'r3'].forEach((id) => bed.graph.addRelationship({ id }));
    bed.graph.faults.add('createRequest', { kind: 'network', applied: true });
    await terminateRelationships(bed.ctx({ journal }), ['r1', 'r2', 'r3'], { pollIntervalMs: 5 });
    await journal.close();
    const records = await readRecords(path);
    assert.equal(records.filter((r) => r.type === 'intent').length, 3);
    assert.equal(records.filter((r) => r.type === 'outcome').length, 3);
    assert.deepEqual(findInterrupted(records), []);
    assert.equal(bed.graph.callsOf('createRequest').length, 3);
  });
});
