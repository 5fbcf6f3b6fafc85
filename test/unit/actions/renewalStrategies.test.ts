import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { planMutation, runMutation } from '../../../src/core/actions/mutationPipeline';
import { reconcileInterrupted } from '../../../src/core/actions/reconcile';
import { FilePlannedAssignmentStore, MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import { autoExtendStrategy } from '../../../src/core/actions/strategies/autoExtend';
import { makeRenewableStrategy } from '../../../src/core/actions/strategies/makeRenewable';
import { removeGlobalAdministratorStrategy } from '../../../src/core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy, successorName } from '../../../src/core/actions/strategies/renewRelationship';
import type { Relationship } from '../../../src/core/graph/models';
import { assertPaired, testBed, type TestBed } from './fakes/fakeContext';
import { GA, HELPDESK, RenewalFakeGdap, virtualClock } from './fakes/fakeRenewal';

const opts = { pollIntervalMs: 1000, timeoutMs: 60_000 };

function bed(): TestBed & { graph: RenewalFakeGdap; run(): ActionContext } {
  const base = testBed();
  const graph = new RenewalFakeGdap();
  const clock = virtualClock();
  return Object.assign(base, { graph, run: () => base.ctx({ graph, clock }) });
}

function patches(graph: RenewalFakeGdap): unknown[] {
  return graph.callsOf('updateRelationship').map((c) => c.args[2]);
}

describe('renewal strategies', () => {
  describe('auto-extend on/off', () => {
    it('turns auto-extend on with If-Match, journalling intent and outcome', async () => {
      const b = bed();
      const r = b.graph.addRelationship({ id: 'r1', displayName: 'Contoso' });
      const results = await runMutation(b.run(), autoExtendStrategy(true), ['r1'], opts);
      assert.deepEqual(results, [{ id: 'r1', name: 'Contoso', outcome: 'done', status: 'active', error: null }]);
      assert.deepEqual(b.graph.callsOf('updateRelationship')[0]?.args, ['r1', r.etag, { autoExtendDuration: 'P180D' }]);
      assert.equal(b.graph.relationships.get('r1')?.autoExtendDuration, 'P180D');
      assert.equal(b.journal.records[0]?.action, 'autoExtendOn');
      assert.deepEqual(assertPaired(b.journal), { intents: 1, outcomes: 1 });
    });

    it('turns it off with PT0S; already in the wanted state is alreadyDone and sends nothing', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'on', autoExtendDuration: 'P180D' });
      b.graph.addRelationship({ id: 'off', autoExtendDuration: 'P0D' });
      const results = await runMutation(b.run(), autoExtendStrategy(false), ['on', 'off'], opts);
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['done', 'alreadyDone'],
      );
      assert.deepEqual(patches(b.graph), [{ autoExtendDuration: 'PT0S' }]);
    });

    it('refuses "on" with Global Administrator (reason globalAdministrator) and non-active ones, never sending', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'ga', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.addRelationship({ id: 'pending', status: 'approvalPending' });
      const plan = await planMutation(b.run(), autoExtendStrategy(true), ['ga', 'pending']);
      assert.deepEqual(
        plan.map((p) => [p.willAct, p.reasonCode]),
        [
          [false, 'globalAdministrator'],
          [false, 'notActive'],
        ],
      );
      const results = await runMutation(b.run(), autoExtendStrategy(true), ['ga', 'pending'], opts);
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['skipped', 'skipped'],
      );
      assert.match(results[0]?.error ?? '', /^globalAdministrator: /);
      assert.match(results[1]?.error ?? '', /^notActive: /);
      assert.equal(b.graph.mutations().length, 0);
      assert.equal(b.journal.records.length, 0);
    });

    it('a 412 from a concurrent change re-reads, re-decides and sends once more on the new version', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1' });
      b.graph.touchBeforeNextPatch('r1');
      const results = await runMutation(b.run(), autoExtendStrategy(true), ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      const sent = b.graph.callsOf('updateRelationship');
      assert.equal(sent.length, 2);
      assert.notEqual(sent[0]?.args[1], sent[1]?.args[1], 'the second send carries the new ETag');
      assert.match(b.journal.records.find((r) => r.type === 'outcome')?.note ?? '', /changed meanwhile/);
    });

    it('a 412 after which auto-extend is no longer wanted (someone else turned it on) is done, not re-sent', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1' });
      const original = b.graph.updateRelationship.bind(b.graph);
      let first = true;
      b.graph.updateRelationship = (id, etag, input, o) => {
        if (first) {
          first = false;
          const r = b.graph.relationships.get(id) as Relationship;
          b.graph.relationships.set(id, { ...r, autoExtendDuration: 'P180D', etag: b.graph.nextEtag() });
        }
        return original(id, etag, input, o);
      };
      const results = await runMutation(b.run(), autoExtendStrategy(true), ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(b.graph.callsOf('updateRelationship').length, 1);
    });

    it('a lost answer that was applied is reconciled by reading and not re-sent', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1' });
      b.graph.faults.add('patch', { kind: 'network', applied: true });
      const results = await runMutation(b.run(), autoExtendStrategy(true), ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(b.graph.callsOf('updateRelationship').length, 1);
      assert.match(b.journal.records.find((r) => r.type === 'outcome')?.note ?? '', /reading showed auto-extend on/);
    });
  });

  describe('remove Global Administrator', () => {
    it('the plan names every access assignment that grants GA and what happens to it', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.addAssignment({ id: 'a-both', relationshipId: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.addAssignment({ id: 'a-ga', relationshipId: 'r1', roleDefinitionIds: [GA] });
      b.graph.addAssignment({ id: 'a-other', relationshipId: 'r1', roleDefinitionIds: [HELPDESK] });
      const [plan] = await planMutation(b.run(), removeGlobalAdministratorStrategy, ['r1']);
      assert.equal(plan?.willAct, true);
      assert.deepEqual(
        plan?.globalAdministratorAssignments.map((a) => [a.assignmentId, a.groupId, a.effect]),
        [
          ['a-both', 'group-a-both', 'keepsOtherRoles'],
          ['a-ga', 'group-a-ga', 'grantsNothing'],
        ],
      );
      assert.deepEqual(
        plan?.rolesAfter.map((r) => r.roleDefinitionId),
        [HELPDESK],
      );
      assert.equal(b.graph.mutations().length, 0);
    });

    it('sends accessDetails minus GA with If-Match and reports done once the operation succeeded', async () => {
      const b = bed();
      const r = b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      const results = await runMutation(b.run(), removeGlobalAdministratorStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.deepEqual(b.graph.callsOf('updateRelationship')[0]?.args, ['r1', r.etag, { roleDefinitionIds: [HELPDESK] }]);
      assert.deepEqual(b.graph.relationships.get('r1')?.roleDefinitionIds, [HELPDESK]);
      assert.equal(b.journal.records[0]?.action, 'removeGlobalAdministrator');
    });

    it('never touches a relationship without GA, nor a non-active one', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'plain' });
      b.graph.addRelationship({ id: 'expired', status: 'expired', roleDefinitionIds: [GA] });
      const results = await runMutation(b.run(), removeGlobalAdministratorStrategy, ['plain', 'expired'], opts);
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['alreadyDone', 'skipped'],
      );
      assert.equal(b.graph.mutations().length, 0);
    });

    it('an operation that failed is a failed item with the reason', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.gaRemoval = 'fails';
      const results = await runMutation(b.run(), removeGlobalAdministratorStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'failed');
      assert.match(results[0]?.error ?? '', /ended "failed"/);
      assert.equal(b.graph.callsOf('updateRelationship').length, 1);
      assertPaired(b.journal);
    });

    it('when following the operation is cut short, reading finds it running and the pipeline waits for it', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.gaRemoval = 'running';
      const results = await runMutation(b.run(), removeGlobalAdministratorStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(b.graph.callsOf('updateRelationship').length, 1, 'not sent again');
      assert.deepEqual(b.graph.relationships.get('r1')?.roleDefinitionIds, [HELPDESK]);
      assert.ok(b.progress.some((p) => p.status === 'removingGlobalAdministrator'));
    });
  });

  describe('make renewable', () => {
    it('removes GA, waits for the operation, then turns auto-extend on: one intent, two PATCHes', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      const [plan] = await planMutation(b.run(), makeRenewableStrategy, ['r1']);
      assert.deepEqual(plan?.steps, ['removeGlobalAdministrator', 'autoExtendOn']);
      const results = await runMutation(b.run(), makeRenewableStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.deepEqual(patches(b.graph), [{ roleDefinitionIds: [HELPDESK] }, { autoExtendDuration: 'P180D' }]);
      assert.deepEqual(assertPaired(b.journal), { intents: 1, outcomes: 1 });
    });

    it('journals the ETag of each PATCH before it is sent: the intent for the first, a step record for the second', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      const journalled: number[] = [];
      const original = b.graph.updateRelationship.bind(b.graph);
      b.graph.updateRelationship = (id, etag, input, o) => {
        journalled.push(b.journal.records.length);
        return original(id, etag, input, o);
      };
      const results = await runMutation(b.run(), makeRenewableStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      const etags = b.graph.callsOf('updateRelationship').map((c) => c.args[1]);
      const intent = b.journal.records.find((r) => r.type === 'intent');
      const step = b.journal.records.find((r) => r.type === 'step');
      assert.ok(intent !== undefined && step !== undefined, 'an intent, and a step record for the second PATCH');
      assert.equal(intent.priorEtag, etags[0]);
      assert.equal(step.priorEtag, etags[1]);
      assert.notEqual(etags[1], etags[0], 'the second PATCH acts on the version the first one left');
      assert.equal(step.operationId, intent.operationId);
      // Each record was on disk before its PATCH went out.
      assert.ok(b.journal.records.indexOf(step) < journalled[1]);
      assert.ok(b.journal.records.indexOf(intent) < journalled[0]);
    });

    it('when the second step meets a 412, only the missing step is sent again', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'r1', roleDefinitionIds: [HELPDESK, GA] });
      const original = b.graph.updateRelationship.bind(b.graph);
      b.graph.updateRelationship = (id, etag, input, o) => {
        if (input.autoExtendDuration !== undefined && b.graph.callsOf('updateRelationship').length === 1) {
          b.graph.touch(id);
        }
        return original(id, etag, input, o);
      };
      const results = await runMutation(b.run(), makeRenewableStrategy, ['r1'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.deepEqual(patches(b.graph), [
        { roleDefinitionIds: [HELPDESK] },
        { autoExtendDuration: 'P180D' },
        { autoExtendDuration: 'P180D' },
      ]);
      assert.equal(b.graph.operations.get('r1')?.length, 1, 'GA removed once');
      assert.match(b.journal.records.find((r) => r.type === 'outcome')?.note ?? '', /next step autoExtendOn/);
    });

    it('already renewable is alreadyDone; without GA it only turns auto-extend on', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'done', autoExtendDuration: 'P180D' });
      b.graph.addRelationship({ id: 'plain' });
      const results = await runMutation(b.run(), makeRenewableStrategy, ['done', 'plain'], opts);
      assert.deepEqual(
        results.map((r) => r.outcome),
        ['alreadyDone', 'done'],
      );
      assert.deepEqual(patches(b.graph), [{ autoExtendDuration: 'P180D' }]);
    });
  });

  describe('renew', () => {
    function seedOld(b: ReturnType<typeof bed>, extra: Partial<Relationship> = {}): void {
      b.graph.addRelationship({
        id: 'old',
        displayName: 'Contoso admins',
        status: 'expired',
        roleDefinitionIds: [HELPDESK, GA],
        duration: 'P365D',
        customer: { tenantId: 'tenant-c', displayName: 'Contoso' },
        ...extra,
      });
    }

    it('creates the successor (same customer, roles, duration; derived name), keeps assignments planned, locks it', async () => {
      const b = bed();
      seedOld(b, { status: 'active' });
      b.graph.addAssignment({ id: 'a1', relationshipId: 'old', roleDefinitionIds: [HELPDESK, GA] });
      const store = new MemoryPlannedAssignmentStore();
      const strategy = renewStrategy({ store });
      const results = await runMutation(b.run(), strategy, ['old'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(results[0]?.status, 'approvalPending');
      const [input] = b.graph.callsOf('createRelationship').map((c) => c.args[0]);
      assert.deepEqual(input, {
        displayName: 'Contoso admins (renewal)',
        duration: 'P365D',
        roleDefinitionIds: [HELPDESK, GA],
        customer: { tenantId: 'tenant-c', displayName: 'Contoso' },
        autoExtendDuration: 'PT0S',
      });
      const successor = [...b.graph.relationships.values()].find((r) => r.displayName === 'Contoso admins (renewal)');
      assert.equal(successor?.status, 'approvalPending');
      assert.deepEqual(await store.get(successor?.id ?? ''), [{ groupId: 'group-a1', roleDefinitionIds: [HELPDESK, GA] }]);
      // Planning again shows the successor and its approval link, and would send nothing.
      const [plan] = await planMutation(b.run(), strategy, ['old']);
      assert.equal(plan?.willAct, false);
      assert.equal(plan?.successorId, successor?.id);
      assert.match(plan?.approvalLink ?? '', /granularAdminRelationships\/new-/);
      assert.deepEqual(assertPaired(b.journal), { intents: 1, outcomes: 1 });
    });

    it('without Global Administrator: the successor and its planned assignments drop GA and it auto-extends', async () => {
      const b = bed();
      seedOld(b, { status: 'active' });
      b.graph.addAssignment({ id: 'a1', relationshipId: 'old', roleDefinitionIds: [HELPDESK, GA] });
      b.graph.addAssignment({ id: 'a2', relationshipId: 'old', roleDefinitionIds: [GA] });
      const store = new MemoryPlannedAssignmentStore();
      await runMutation(b.run(), renewStrategy({ store, withoutGlobalAdministrator: true }), ['old'], opts);
      const [input] = b.graph.callsOf('createRelationship').map((c) => c.args[0]) as {
        roleDefinitionIds: string[];
        autoExtendDuration: string;
      }[];
      assert.deepEqual(input?.roleDefinitionIds, [HELPDESK]);
      assert.equal(input?.autoExtendDuration, 'P180D');
      assert.deepEqual([...store.items.values()], [[{ groupId: 'group-a1', roleDefinitionIds: [HELPDESK] }]]);
    });

    it('a lost answer to the create POST is reconciled by reading the unique name: never created twice', async () => {
      const b = bed();
      seedOld(b);
      b.graph.faults.add('createRelationship', { kind: 'network', applied: true });
      const results = await runMutation(b.run(), renewStrategy({ store: new MemoryPlannedAssignmentStore() }), ['old'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(b.graph.callsOf('createRelationship').length, 1);
      assert.equal(b.graph.callsOf('createRequest').length, 1, 'only the lock is sent after reading');
      assert.equal([...b.graph.relationships.values()].filter((r) => r.displayName.startsWith('Contoso admins (renewal')).length, 1);
      assert.match(b.journal.records.find((r) => r.type === 'outcome')?.note ?? '', /only locking it for approval is sent/);
    });

    it('a lost create that did not happen is sent again once; a lost lock that happened is done', async () => {
      const b = bed();
      seedOld(b);
      b.graph.faults.add('createRelationship', { kind: 'timeout', applied: false });
      b.graph.faults.add('lockForApproval', { kind: 'network', applied: true });
      const results = await runMutation(b.run(), renewStrategy({ store: new MemoryPlannedAssignmentStore() }), ['old'], opts);
      assert.equal(results[0]?.outcome, 'done');
      assert.equal(results[0]?.status, 'approvalPending');
      assert.equal(b.graph.callsOf('createRelationship').length, 2);
      assert.equal(b.graph.callsOf('createRequest').length, 1);
      assert.equal([...b.graph.relationships.values()].filter((r) => r.displayName.startsWith('Contoso admins (renewal')).length, 1);
    });

    it('refuses pending and terminated relationships, and those without a customer', async () => {
      const b = bed();
      b.graph.addRelationship({ id: 'pending', status: 'approvalPending' });
      b.graph.addRelationship({ id: 'terminated', status: 'terminated' });
      b.graph.addRelationship({ id: 'nocustomer', status: 'expired', customer: null });
      const results = await runMutation(
        b.run(),
        renewStrategy({ store: new MemoryPlannedAssignmentStore() }),
        ['pending', 'terminated', 'nocustomer'],
        opts,
      );
      assert.deepEqual(
        results.map((r) => r.error?.split(':')[0]),
        ['notRenewable', 'notRenewable', 'noCustomer'],
      );
      assert.equal(b.graph.mutations().length, 0);
    });

    it('derives a unique name of at most 50 characters, and recognises an existing successor', () => {
      const old = { id: 'abcdef12-0000', displayName: 'x'.repeat(50), customer: { tenantId: 't', displayName: null } };
      const long = successorName(old, new Map());
      assert.equal(long?.name.length, 50);
      assert.match(long?.name ?? '', /abcdef12 \(renewal\)$/);
      const taken = new Map([
        [
          'contoso (renewal)',
          { id: 'other', displayName: 'Contoso (renewal)', customer: { tenantId: 'elsewhere' }, status: 'active' } as Relationship,
        ],
      ]);
      assert.deepEqual(successorName({ id: 'o', displayName: 'Contoso', customer: { tenantId: 't', displayName: null } }, taken), {
        name: 'Contoso (renewal 2)',
        existing: null,
      });
      const ours = successorName({ id: 'o', displayName: 'Contoso', customer: { tenantId: 'elsewhere', displayName: null } }, taken);
      assert.equal(ours?.existing?.id, 'other');
      // Renewing a renewal does not stack suffixes.
      assert.equal(successorName({ id: 'o', displayName: 'Contoso (renewal)', customer: null }, new Map())?.name, 'Contoso (renewal)');
    });
  });

  describe('planned assignments file store', () => {
    const G1 = '11111111-1111-4111-8111-111111111111';
    const G2 = '22222222-2222-4222-8222-222222222222';
    it('keeps, replaces and deletes per relationship in one JSON file', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-planned-'));
      const file = path.join(dir, 'sub', 'planned.json');
      const store = new FilePlannedAssignmentStore(file);
      assert.deepEqual(await store.get('r1'), []);
      await Promise.all([
        store.set('r1', [{ groupId: G1, roleDefinitionIds: [HELPDESK] }]),
        store.set('r2', [{ groupId: G2, roleDefinitionIds: [HELPDESK] }]),
      ]);
      assert.deepEqual(await new FilePlannedAssignmentStore(file).get('r1'), [{ groupId: G1, roleDefinitionIds: [HELPDESK] }]);
      await store.delete('r1');
      assert.deepEqual(await store.get('r1'), []);
      assert.equal((await store.get('r2')).length, 1);
      assert.deepEqual(await fs.readdir(path.dirname(file)), ['planned.json'], 'no temporary file left behind');
      await fs.writeFile(file, '{not json');
      await assert.rejects(store.get('r2'), /not JSON/);
    });
  });
});

describe('interrupted renewal runs', () => {
  it('are settled by reading: the relationship for auto-extend, the successor by its name for renew', async () => {
    const b = testBed();
    const graph = new RenewalFakeGdap();
    graph.addRelationship({ id: 'r1', autoExtendDuration: 'P180D' });
    graph.addRelationship({ id: 'old', displayName: 'Old', status: 'expired', customer: { tenantId: 't1', displayName: null } });
    graph.addRelationship({ id: 'old2', displayName: 'Other', status: 'expired', customer: { tenantId: 't1', displayName: null } });
    graph.addRelationship({
      id: 's1',
      displayName: 'Old (renewal)',
      status: 'approvalPending',
      customer: { tenantId: 't1', displayName: null },
    });
    const base = { time: '2026-06-01T00:00:00Z', type: 'intent', actor: null, cloud: 'global' } as const;
    const summaries = await reconcileInterrupted(b.ctx({ graph }), [
      { ...base, operationId: 'op1', action: 'autoExtendOn', target: { relationshipId: 'r1' } },
      {
        ...base,
        operationId: 'op2',
        action: 'renewRelationship',
        target: { relationshipId: 'old', name: 'Old (renewal)', customerTenantId: 't1' },
      },
      {
        ...base,
        operationId: 'op3',
        action: 'renewRelationship',
        target: { relationshipId: 'old2', name: 'Other (renewal)', customerTenantId: 't1' },
      },
    ]);
    assert.deepEqual(
      summaries.map((s) => [s.state, s.reachedEndState]),
      [
        ['active', true],
        ['approvalPending', true],
        ['noSuccessor', false],
      ],
    );
  });
});
