import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePlannedAssignmentStore, MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';

const GROUP = '11111111-2222-3333-4444-555555555555';
const GROUP2 = '21111111-2222-3333-4444-555555555555';
const READER = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';

describe('FilePlannedAssignmentStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gdap-planned-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns nothing for an unknown relationship and when the file does not exist', async () => {
    const store = new FilePlannedAssignmentStore(join(dir, 'sub', 'planned.json'));
    assert.deepEqual(await store.get('r1'), []);
  });

  it('keeps items per relationship across instances, in a 0600 file with no temporary file left', async () => {
    const file = join(dir, 'sub', 'planned.json');
    const store = new FilePlannedAssignmentStore(file);
    await store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    await store.set('r2', [{ groupId: GROUP2, roleDefinitionIds: [READER] }]);
    const again = new FilePlannedAssignmentStore(file);
    assert.deepEqual(await again.get('r1'), [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    assert.deepEqual(await again.get('r2'), [{ groupId: GROUP2, roleDefinitionIds: [READER] }]);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['planned.json']);
    await again.delete('r1');
    assert.deepEqual(await store.get('r1'), []);
    assert.equal((await store.get('r2')).length, 1);
  });

  it('serialises concurrent writes so none is lost', async () => {
    const store = new FilePlannedAssignmentStore(join(dir, 'planned.json'));
    await Promise.all(['a', 'b', 'c', 'd'].map((r) => store.set(r, [{ groupId: GROUP, roleDefinitionIds: [READER] }])));
    for (const r of ['a', 'b', 'c', 'd']) {
      assert.equal((await store.get(r)).length, 1, r);
    }
  });

  it('refuses an item without a GUID group or without roles, writing nothing', async () => {
    const file = join(dir, 'planned.json');
    const store = new FilePlannedAssignmentStore(file);
    await assert.rejects(store.set('r1', [{ groupId: 'not-a-guid', roleDefinitionIds: [READER] }]), /group id/);
    await assert.rejects(store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [] }]), /at least one role/);
    assert.throws(() => statSync(file));
  });

  it('reports a damaged file with its path and what to do', async () => {
    const file = join(dir, 'planned.json');
    writeFileSync(file, '{"version":1,"relationships":{"r1":[{"groupId":"x"}]}}');
    const store = new FilePlannedAssignmentStore(file);
    await assert.rejects(store.get('r1'), (e: Error) => e.message.includes(file) && /fix or remove it/.test(e.message));
    writeFileSync(file, 'not json');
    await assert.rejects(store.get('r1'), /not JSON/);
    assert.equal(readFileSync(file, 'utf8'), 'not json');
  });
});

describe('MemoryPlannedAssignmentStore', () => {
  it('sets, gets and deletes', async () => {
    const store = new MemoryPlannedAssignmentStore();
    await store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    assert.deepEqual(await store.get('r1'), [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    await store.delete('r1');
    assert.deepEqual(await store.get('r1'), []);
  });
});
