import { strict as assert } from 'node:assert';
import type * as vscode from 'vscode';
import { MementoPlannedAssignmentStore, PLANNED_ASSIGNMENTS_KEY } from '../../../src/extension/onboarding/plannedStore';

const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';
const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';

/** globalState as VS Code gives it: get/update/keys over values stored as JSON. */
class MemoryMemento implements vscode.Memento {
  readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, defaultValue?: T): T | undefined {
    return this.values.has(key) ? (JSON.parse(JSON.stringify(this.values.get(key))) as T) : defaultValue;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, JSON.parse(JSON.stringify(value)));
    }
    return Promise.resolve();
  }
}

describe('planned assignments in the extension (globalState)', () => {
  it('keeps, lists and forgets the plan of each relationship; an empty plan removes the key', async () => {
    const memento = new MemoryMemento();
    const store = new MementoPlannedAssignmentStore(memento);
    await store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    await store.set('r2', [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    assert.deepEqual(await store.get('r1'), [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    assert.deepEqual(store.relationshipIds().sort(), ['r1', 'r2']);
    await store.delete('r1');
    await store.set('r2', []);
    assert.deepEqual(await store.get('r1'), []);
    assert.equal(memento.values.has(PLANNED_ASSIGNMENTS_KEY), false, 'nothing is left behind');
  });

  it('refuses an entry that is not a group id with role ids, and drops damaged stored entries', async () => {
    const memento = new MemoryMemento();
    const store = new MementoPlannedAssignmentStore(memento);
    await assert.rejects(store.set('r1', [{ groupId: 'not-a-guid', roleDefinitionIds: [READER] }]), /group id and at least one role/);
    await assert.rejects(store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [] }]), /at least one role/);
    await memento.update(PLANNED_ASSIGNMENTS_KEY, {
      r1: [{ groupId: GROUP, roleDefinitionIds: [READER] }, { groupId: 42 }],
      r2: 'garbage',
    });
    assert.deepEqual(await store.get('r1'), [{ groupId: GROUP, roleDefinitionIds: [READER] }]);
    assert.deepEqual(await store.get('r2'), []);
  });

  it('serialises writes: concurrent sets of different relationships both stay', async () => {
    const store = new MementoPlannedAssignmentStore(new MemoryMemento());
    await Promise.all([
      store.set('r1', [{ groupId: GROUP, roleDefinitionIds: [READER] }]),
      store.set('r2', [{ groupId: GROUP, roleDefinitionIds: [READER] }]),
    ]);
    assert.deepEqual(store.relationshipIds().sort(), ['r1', 'r2']);
  });
});
