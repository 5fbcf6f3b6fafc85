import * as assert from 'node:assert/strict';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { MemoryPlannedAssignmentStore } from '../../../src/core/actions/plannedAssignments';
import { createStaticTokenProvider } from '../../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { resolveEndpoints } from '../../../src/core/http/clouds';
import { createHttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { GLOBAL_ADMINISTRATOR_ROLE_ID as GA } from '../../../src/core/roles/roleCatalog';
import { applyTemplate, readTemplateState } from '../../../src/core/templates/applyTemplate';
import { planTemplate } from '../../../src/core/templates/planner';
import { parseTemplate, type GdapTemplate } from '../../../src/core/templates/templateModel';
import type { RelationshipRecord } from '../../../src/emulator/model';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { assertPaired } from '../actions/fakes/fakeContext';
import { MemoryJournal } from '../actions/fakes/memoryJournal';
import { call } from '../emulator/emulatorClient';

const FAST = { pollIntervalMs: 20, timeoutMs: 10_000 };

/*
 * Apply on the real pipeline, the real client and the emulator over real HTTPS: every change is a
 * strategy target (journal pairs), a change made by someone else between plan and apply is reported and
 * not applied, and a second apply finds nothing to do.
 */
describe('template apply against the emulator', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let transport: ReturnType<typeof createHttpTransport>;
  let journal: MemoryJournal;
  let ctx: ActionContext;

  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 5, timeScale: 100 });
  });
  after(() => emu.close());
  beforeEach(async () => {
    await call(emu, 'POST', '/_emulator/reset', { body: {} });
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    const tokens = createStaticTokenProvider({ graph: emu.issueToken({ audience: 'graph', kind: 'user' }) });
    journal = new MemoryJournal();
    ctx = {
      graph: new GdapClient({ endpoints, tokens, transport, pollIntervalMs: 20, timeoutMs: 3000 }),
      partnerCenter: new PartnerCenterClient({ endpoints, tokens, transport }),
      journal,
      actor: undefined,
      cloud: 'global',
    };
  });
  afterEach(() => transport.close());

  const mutations = (): { method: string; path: string }[] =>
    emu.requests().filter((r) => r.method !== 'GET' && !r.path.includes('$batch') && r.path.startsWith('/v1.0/'));

  function lonelyActive(): RelationshipRecord {
    const all = [...emu.store.relationships.values()];
    const r = all.find(
      (x) =>
        x.status === 'active' &&
        !x.reseller &&
        x.customer?.tenantId !== undefined &&
        !x.roles.includes(GA) &&
        x.roles.length >= 2 &&
        all.filter((y) => y.customer?.tenantId === x.customer?.tenantId && y.status === 'active').length === 1,
    );
    assert.ok(r, 'a customer with one active relationship');
    return r;
  }

  function template(json: unknown): GdapTemplate {
    const parsed = parseTemplate(JSON.stringify(json));
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    return parsed.template;
  }

  it('reports a change someone else made since the plan instead of applying it; applies the rest; then nothing is left', async () => {
    const r = lonelyActive();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const [g1, g2] = emu.store.securityGroups
      .map((g) => g.id.toLowerCase())
      .filter((g) => !r.assignments.some((a) => a.containerId.toLowerCase() === g));
    r.assignments = r.assignments.filter((a) => a.status === 'active');
    const extraGroups = r.assignments.map((a) => a.containerId.toLowerCase());
    const t = template({
      version: 1,
      relationships: [
        {
          name: r.displayName,
          customers: [tenantId],
          exclusive: true,
          roles: r.roles,
          assignments: [
            { group: g1, roles: [r.roles[0]] },
            { group: g2, roles: [r.roles[1]] },
          ],
        },
      ],
    });
    const confirmed = planTemplate(t, await readTemplateState(ctx.graph));
    assert.deepEqual(
      confirmed.changes.map((c) => c.action),
      ['assign', 'assign', ...extraGroups.map(() => 'unassign')],
    );
    // Someone else assigns g2 with other roles between the plan and the apply.
    const other = await call(emu, 'POST', `/v1.0/tenantRelationships/delegatedAdminRelationships/${r.id}/accessAssignments`, {
      token: emu.issueToken({ audience: 'graph', kind: 'user' }),
      body: {
        accessContainer: { accessContainerId: g2, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: r.roles[0] }] },
      },
    });
    assert.ok(other.status === 201 || other.status === 200, other.text);

    const report = await applyTemplate(ctx, t, { confirmed, store: new MemoryPlannedAssignmentStore(), ...FAST });
    const byGroup = new Map(report.items.map((i) => [`${i.change.action}:${i.change.groupId ?? ''}`, i]));
    assert.equal(byGroup.get(`assign:${g1}`)?.outcome, 'done');
    // g2 is no longer "assign": it is "setRoles" now, which nobody confirmed.
    assert.equal(byGroup.get(`assign:${g2}`)?.outcome, 'changed');
    assert.equal(byGroup.get(`setRoles:${g2}`)?.outcome, 'changed');
    assert.match(byGroup.get(`setRoles:${g2}`)?.error ?? '', /New since the plan/);
    // Each reason also as a code with parameters, for the extension's report in the display language.
    assert.deepEqual(byGroup.get(`setRoles:${g2}`)?.errorMessage, {
      template: 'New since the plan was confirmed; plan again to review it.',
      args: [],
    });
    assert.deepEqual(byGroup.get(`assign:${g2}`)?.errorMessage, {
      template: 'Changed since the plan was confirmed; plan again to review it.',
      args: [],
    });
    for (const g of extraGroups) {
      assert.equal(byGroup.get(`unassign:${g}`)?.outcome, 'done');
    }
    const live = emu.store.relationships.get(r.id);
    assert.deepEqual(
      live?.assignments.filter((a) => a.status === 'active' && a.containerId.toLowerCase() === g2).map((a) => a.roles),
      [[r.roles[0]]],
      'the other change was not overwritten',
    );
    assertPaired(journal);

    // Without a confirmed plan (--yes), the fresh plan is applied: only the role change is left.
    const second = await applyTemplate(ctx, t, { store: new MemoryPlannedAssignmentStore(), ...FAST });
    assert.deepEqual(
      second.items.map((i) => [i.change.action, i.change.groupId, i.outcome]),
      [['setRoles', g2, 'done']],
    );
    const sent = mutations().length;
    const third = await applyTemplate(ctx, t, { store: new MemoryPlannedAssignmentStore(), ...FAST });
    assert.deepEqual(third.items, []);
    assert.equal(mutations().length, sent, 'a second apply after a successful one sends nothing');
  });

  it('cancelled during a phase: the later phases are not started, each item says so in English and as a message', async () => {
    const r = lonelyActive();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const group = emu.store.securityGroups
      .map((g) => g.id.toLowerCase())
      .find((g) => !r.assignments.some((a) => a.containerId.toLowerCase() === g));
    r.assignments = r.assignments.filter((a) => a.status === 'active');
    assert.ok(group !== undefined && r.assignments.length > 0, 'a group to assign and an assignment to remove');
    const t = template({
      version: 1,
      relationships: [
        { name: r.displayName, customers: [tenantId], exclusive: true, roles: r.roles, assignments: [{ group, roles: [r.roles[0]] }] },
      ],
    });
    const controller = new AbortController();
    const sentBefore = mutations().length;
    const report = await applyTemplate({ ...ctx, signal: controller.signal }, t, {
      store: new MemoryPlannedAssignmentStore(),
      ...FAST,
      // Cancelled as the first phase starts: its targets are not started, and no later phase runs.
      onPhase: () => controller.abort(),
    });
    const reasons = report.items.map((i) => [i.change.action, i.outcome, i.error, i.errorMessage?.template]);
    assert.deepEqual(reasons, [
      ['assign', 'failed', 'Cancelled before this target was started.', 'Cancelled before this target was started.'],
      ...r.assignments.map(() => [
        'unassign',
        'failed',
        'Cancelled before this change was started.',
        'Cancelled before this change was started.',
      ]),
    ]);
    assert.equal(mutations().length, sentBefore, 'nothing was sent');
  });

  it('a created relationship whose lock fails is reported with the lock’s reason, in English and as a message', async () => {
    const r = lonelyActive();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const t = template({
      version: 1,
      relationships: [{ name: 'Templated, not locked', customers: [tenantId], roles: ['Global Reader'] }],
    });
    const failNext = await call(emu, 'POST', '/_emulator/failNext', {
      body: { method: 'POST', pathPattern: '/requests$', status: 400, count: 1 },
    });
    assert.equal(failNext.status, 200, failNext.text);
    const report = await applyTemplate(ctx, t, { store: new MemoryPlannedAssignmentStore(), ...FAST });
    const [item] = report.items;
    const id = item.createdRelationshipId ?? '';
    assert.equal(item.outcome, 'failed');
    assert.equal(emu.store.relationships.get(id)?.status, 'created', 'the draft stays');
    assert.equal(
      item.errorMessage?.template,
      'The relationship was created ({0}, still "created") but locking it for approval failed: {1}. Run "gdap lock {0}" or delete the draft.',
    );
    const lockError = item.errorMessage?.args[1] ?? '';
    assert.notEqual(lockError, '');
    assert.equal(
      item.error,
      `The relationship was created (${id}, still "created") but locking it for approval failed: ${lockError}. Run "gdap lock ${id}" or delete the draft.`,
    );
    assertPaired(journal);
  });

  it('creates and locks a relationship, plans its assignments; after approval the plan grants them, then nothing is left', async () => {
    const r = lonelyActive();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const group = emu.store.securityGroups[0].id.toLowerCase();
    const t = template({
      version: 1,
      relationships: [
        {
          name: 'Templated',
          customers: [tenantId],
          autoExtend: true,
          roles: ['Global Reader', 'Helpdesk Administrator'],
          assignments: [{ group, roles: ['Global Reader'] }],
        },
      ],
    });
    const store = new MemoryPlannedAssignmentStore();
    const first = await applyTemplate(ctx, t, { store, ...FAST });
    assert.deepEqual(
      first.items.map((i) => [i.change.action, i.outcome]),
      [['create', 'done']],
    );
    const id = first.items[0].createdRelationshipId ?? '';
    assert.equal(emu.store.relationships.get(id)?.status, 'approvalPending');
    assert.equal(emu.store.relationships.get(id)?.autoExtendDuration, 'P180D');
    assert.deepEqual(await store.get(id), [{ groupId: group, roleDefinitionIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'] }]);
    const waiting = planTemplate(t, await readTemplateState(ctx.graph));
    assert.deepEqual(waiting.changes, []);
    assert.equal(waiting.waiting[0].relationshipId, id);

    const approved = await call(emu, 'POST', `/_emulator/relationships/${id}/approve`, { body: {} });
    assert.equal(approved.status, 200, approved.text);
    await (ctx.graph as GdapClient).waitForRelationship(id, (x) => x.status === 'active', { pollIntervalMs: 20, timeoutMs: 5000 });
    const after = await applyTemplate(ctx, t, { store, ...FAST });
    assert.deepEqual(
      after.items.map((i) => [i.change.action, i.change.relationshipId, i.outcome]),
      [['assign', id, 'done']],
    );
    assert.deepEqual(planTemplate(t, await readTemplateState(ctx.graph)).changes, []);
    assertPaired(journal);
  });
});
