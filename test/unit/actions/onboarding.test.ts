import * as assert from 'node:assert/strict';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { MemoryJournal } from './fakes/memoryJournal';
import {
  assignGroups,
  createAndLock,
  deleteDrafts,
  grantPlanned,
  lockForApproval,
  pendingInvitations,
  relationshipHistory,
  setAssignmentRoles,
  toInvitation,
} from '../../../src/core/actions/onboarding';
import { MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import { validateCreateRelationship } from '../../../src/core/actions/strategies/createRelationship';
import { createStaticTokenProvider } from '../../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import type { Relationship } from '../../../src/core/graph/models';
import { resolveEndpoints } from '../../../src/core/http/clouds';
import { createHttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { call } from '../emulator/emulatorClient';
import { assertPaired } from './fakes/fakeContext';

const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';
const GROUP2 = '1f0e0d0c-0b0a-4908-8706-050403020100';
const FAST = { pollIntervalMs: 20, timeoutMs: 10_000 };

/*
 * The grant-side mutations on the real pipeline, the real client and the emulator over real HTTPS (the
 * emulator runs 100 times faster than the service, so each wait is a few polls).
 */
describe('onboarding mutations against the emulator', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  let transport: ReturnType<typeof createHttpTransport>;
  let journal: MemoryJournal;
  let ctx: ActionContext;
  let graph: GdapClient;

  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 3, timeScale: 100 });
  });
  after(() => emu.close());
  beforeEach(async () => {
    await call(emu, 'POST', '/_emulator/reset', { body: {} });
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    const tokens = createStaticTokenProvider({ graph: emu.issueToken({ audience: 'graph', kind: 'user' }) });
    graph = new GdapClient({ endpoints, tokens, transport, pollIntervalMs: 20, timeoutMs: 3000 });
    journal = new MemoryJournal();
    ctx = {
      graph,
      partnerCenter: new PartnerCenterClient({ endpoints, tokens, transport }),
      journal,
      actor: undefined,
      cloud: 'global',
    };
  });
  afterEach(() => transport.close());

  const mutations = (): { method: string; path: string; status: number }[] =>
    emu.requests().filter((r) => r.method !== 'GET' && !r.path.includes('$batch') && r.path.startsWith('/v1.0/'));
  const target = (name: string, extra: Partial<Parameters<typeof validateCreateRelationship>[0]> = {}) => {
    const v = validateCreateRelationship({ name, roles: 'Global Reader, Helpdesk Administrator', ...extra });
    assert.ok(v.ok);
    return v.target;
  };
  async function activeRelationship(name: string): Promise<Relationship> {
    const out = await createAndLock(ctx, target(name), FAST);
    assert.ok(out.relationship);
    const approved = await call(emu, 'POST', `/_emulator/relationships/${out.relationship.id}/approve`, { body: {} });
    assert.equal(approved.status, 200, approved.text);
    return graph.waitForRelationship(out.relationship.id, (r) => r.status === 'active', { pollIntervalMs: 20, timeoutMs: 5000 });
  }

  it('creates an "any customer" invitation, locks it and gives the approval link', async () => {
    const out = await createAndLock(ctx, target('Onboard Contoso'), FAST);
    assert.deepEqual(
      out.results.map((r) => r.outcome),
      ['done', 'done'],
    );
    assert.equal(out.relationship?.status, 'approvalPending');
    assert.equal(out.relationship?.customer, null);
    assert.equal(
      out.approvalLink,
      `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${out.relationship?.id}`,
    );
    assert.deepEqual(
      mutations().map((m) => m.method),
      ['POST', 'POST'],
    );
    assert.deepEqual(assertPaired(journal), { intents: 2, outcomes: 2 });
    assert.deepEqual(
      journal.records.filter((r) => r.type === 'intent').map((r) => r.action),
      ['createRelationship', 'lockForApproval'],
    );
  });

  it('refuses a name already used (any case) and a tenant that is not a customer, sending nothing', async () => {
    const existing = (await graph.listAllRelationships())[0];
    const dup = await createAndLock(ctx, target(existing.displayName.toUpperCase()), FAST);
    assert.equal(dup.results[0].outcome, 'failed');
    assert.match(dup.results[0].error ?? '', /already exists/);
    const stranger = await createAndLock(ctx, target('Stranger', { customerTenantId: '99999999-9999-4999-8999-999999999999' }), FAST);
    assert.match(stranger.results[0].error ?? '', /not one of your customers/);
    assert.equal(mutations().length, 0);
  });

  it('creates for a named customer without locking when asked', async () => {
    const customer = (await graph.listCustomers())[0];
    const out = await createAndLock(ctx, target('For one customer', { customerTenantId: customer.tenantId, autoExtend: true }), {
      ...FAST,
      lock: false,
    });
    assert.equal(out.results.length, 1);
    assert.equal(out.relationship?.status, 'created');
    assert.equal(out.relationship?.customer?.tenantId, customer.tenantId);
    assert.equal(out.relationship?.autoExtendDuration, 'P180D');
    assert.equal(out.approvalLink, null);
  });

  it('reconciles a lost create answer by reading: created once, reported done', async () => {
    // The emulator applies the POST and then drops the connection (fault `lost`) for this one request.
    const realCreate = graph.createRelationship.bind(graph);
    graph.createRelationship = async (...args) => {
      await call(emu, 'POST', '/_emulator/faults', { body: { faults: 'lost:1' } });
      try {
        return await realCreate(...args);
      } finally {
        await call(emu, 'POST', '/_emulator/faults', { body: { faults: '' } });
      }
    };
    const out = await createAndLock(ctx, target('Lost answer'), { ...FAST, lock: false });
    assert.equal(emu.requests().filter((r) => r.fault === 'lost').length, 1);
    assert.equal(out.results[0].outcome, 'done', out.results[0].error ?? '');
    const named = (await graph.listAllRelationships()).filter((r) => r.displayName === 'Lost answer');
    assert.equal(named.length, 1);
    assert.equal(mutations().length, 1);
    assert.match(journal.records.find((r) => r.type === 'outcome')?.note ?? '', /reading found the relationship/);
  });

  it('lock and delete apply to drafts only; everything else is skipped with the reason', async () => {
    const a = await createAndLock(ctx, target('Draft A'), { ...FAST, lock: false });
    const b = await createAndLock(ctx, target('Draft B'), { ...FAST, lock: false });
    const active = (await graph.listAllRelationships({ status: 'active' }))[0];
    const idA = a.relationship?.id ?? '';
    const idB = b.relationship?.id ?? '';
    const locked = await lockForApproval(ctx, [idA, active.id], FAST);
    assert.deepEqual(
      locked.map((r) => r.outcome),
      ['done', 'alreadyDone'],
    );
    const deleted = await deleteDrafts(ctx, [idB, idA, active.id], FAST);
    assert.deepEqual(
      deleted.map((r) => r.outcome),
      ['done', 'skipped', 'skipped'],
    );
    assert.match(deleted[1].error ?? '', /Only a draft.*"approvalPending"/);
    assert.match(deleted[2].error ?? '', /terminate it instead/);
    await assert.rejects(graph.getRelationship(idB), (e: { kind?: string }) => e.kind === 'notFound');
  });

  it('assigns a group, waits for active, refuses roles the relationship lacks, and sets roles through the operation', async () => {
    const r = await activeRelationship('Assign here');
    const before = mutations().length;
    const refused = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [USER_ADMIN] }], FAST);
    assert.equal(refused[0].outcome, 'failed');
    assert.match(refused[0].error ?? '', /does not hold User Administrator/);
    assert.equal(mutations().length, before);

    const [assigned] = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [READER, HELPDESK] }], FAST);
    assert.equal(assigned.outcome, 'done', assigned.error ?? '');
    assert.equal(assigned.status, 'active');
    const assignmentId = assigned.id.split('/')[1];
    const again = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [HELPDESK, READER] }], FAST);
    assert.equal(again[0].outcome, 'alreadyDone');

    const [set] = await setAssignmentRoles(ctx, [{ relationshipId: r.id, assignmentId, roleDefinitionIds: [READER] }], FAST);
    assert.equal(set.outcome, 'done', set.error ?? '');
    const now = await graph.getAccessAssignment(r.id, assignmentId);
    assert.deepEqual(now.roleDefinitionIds, [READER]);
    const lacking = await setAssignmentRoles(ctx, [{ relationshipId: r.id, assignmentId, roleDefinitionIds: [USER_ADMIN] }], FAST);
    assert.equal(lacking[0].outcome, 'failed');
    const history = await relationshipHistory(graph, r.id);
    assert.ok(history.requests.some((q) => q.action === 'lockForApproval'));
    assert.ok(history.operations.length >= 1);
  });

  it('set roles after a concurrent change re-reads, re-decides and sends once more with the new version', async () => {
    const r = await activeRelationship('Touched');
    const [assigned] = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [READER, HELPDESK] }], FAST);
    const assignmentId = assigned.id.split('/')[1];
    // Read the plan's version, then someone else touches it before the PATCH.
    const realGet = graph.getAccessAssignment.bind(graph);
    let touched = false;
    graph.getAccessAssignment = async (...args) => {
      const value = await realGet(...args);
      if (!touched) {
        touched = true;
        await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: r.id, assignmentId } });
      }
      return value;
    };
    const [set] = await setAssignmentRoles(ctx, [{ relationshipId: r.id, assignmentId, roleDefinitionIds: [HELPDESK] }], FAST);
    assert.equal(set.outcome, 'done', set.error ?? '');
    const patches = mutations().filter((m) => m.method === 'PATCH');
    assert.deepEqual(
      patches.map((p) => p.status),
      [412, 202],
    );
  });

  it('journals the new version before sending again after a concurrent change: a step record with its ETag', async () => {
    const r = await activeRelationship('Touched again');
    const [assigned] = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [READER, HELPDESK] }], FAST);
    const assignmentId = assigned.id.split('/')[1];
    const realGet = graph.getAccessAssignment.bind(graph);
    let touched = false;
    graph.getAccessAssignment = async (...args) => {
      const value = await realGet(...args);
      if (!touched) {
        touched = true;
        await call(emu, 'POST', '/_emulator/touch', { body: { relationshipId: r.id, assignmentId } });
      }
      return value;
    };
    const from = journal.records.length;
    const [set] = await setAssignmentRoles(ctx, [{ relationshipId: r.id, assignmentId, roleDefinitionIds: [HELPDESK] }], FAST);
    assert.equal(set.outcome, 'done', set.error ?? '');
    const log = emu.requests().filter((e) => e.method === 'PATCH' && e.path.endsWith(assignmentId));
    const records = journal.records.slice(from);
    assert.deepEqual(
      records.map((x) => x.type),
      ['intent', 'step', 'outcome'],
    );
    assert.equal(records[0].priorEtag, log[0].headers['if-match'], 'the intent names the version of the first PATCH');
    assert.equal(records[1].priorEtag, log[1].headers['if-match'], 'the step names the version it was sent again on');
    assert.notEqual(log[0].headers['if-match'], log[1].headers['if-match']);
  });

  it('grants planned assignments once active and forgets the granted ones', async () => {
    const r = await activeRelationship('Planned');
    const store = new MemoryPlannedAssignmentStore();
    await store.set(r.id, [
      { groupId: GROUP, roleDefinitionIds: [READER] },
      { groupId: GROUP2, roleDefinitionIds: [USER_ADMIN] },
    ]);
    const out = await grantPlanned(ctx, store, r.id, FAST);
    assert.deepEqual(
      out.results.map((x) => x.outcome),
      ['done', 'failed'],
    );
    assert.deepEqual(await store.get(r.id), [{ groupId: GROUP2, roleDefinitionIds: [USER_ADMIN] }]);
  });

  it('lists pending invitations with age, lapse date and link', async () => {
    const out = await createAndLock(ctx, target('Pending one'), FAST);
    const list = await pendingInvitations(graph, new Date());
    const mine = list.find((i) => i.id === out.relationship?.id);
    assert.ok(mine);
    assert.equal(mine.ageDays, 0);
    assert.ok(mine.approvalLink?.endsWith(mine.id));
    assert.ok(list.every((i) => i.approvalLink !== null));
  });
});

describe('toInvitation', () => {
  it('computes the age in whole days and the 90-day lapse date', () => {
    const r = {
      id: 'r1',
      displayName: 'X',
      status: 'approvalPending',
      customer: null,
      createdDateTime: '2026-01-01T12:00:00.0000000Z',
    } as unknown as Relationship;
    const inv = toInvitation(r, new Date('2026-01-11T11:59:00Z'));
    assert.equal(inv.ageDays, 9);
    assert.equal(inv.lapsesOn, '2026-04-01T12:00:00.000Z');
  });
});

describe('validateCreateRelationship', () => {
  it('collects every problem before any request', () => {
    const v = validateCreateRelationship({
      name: 'x'.repeat(51),
      roles: 'Global Administrator, Globl Reader',
      customerTenantId: 'contoso',
      duration: 'P3Y',
      autoExtend: true,
    });
    assert.equal(v.ok, false);
    assert.ok(!v.ok);
    assert.deepEqual(
      v.problems.map((p) => p.field),
      ['name', 'duration', 'roles', 'customer'],
    );
    const ga = validateCreateRelationship({ name: 'ok', roles: 'Global Administrator', autoExtend: true });
    assert.ok(!ga.ok);
    assert.match(ga.problems[0].message, /Auto-extend is not available with Global Administrator/);
  });
  it('defaults to P730D without auto-extend', () => {
    const v = validateCreateRelationship({ name: ' Name ', roles: 'Global Reader' });
    assert.ok(v.ok);
    assert.deepEqual(v.target, {
      displayName: 'Name',
      duration: 'P730D',
      roleDefinitionIds: [READER],
      customerTenantId: null,
      autoExtendDuration: null,
    });
  });
});
