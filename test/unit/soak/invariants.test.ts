import * as assert from 'node:assert/strict';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { assignGroups, createAndLock } from '../../../src/core/actions/onboarding';
import { runMutation } from '../../../src/core/actions/mutationPipeline';
import { autoExtendStrategy } from '../../../src/core/actions/strategies/autoExtend';
import { validateCreateRelationship } from '../../../src/core/actions/strategies/createRelationship';
import { createStaticTokenProvider } from '../../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import { resolveEndpoints } from '../../../src/core/http/clouds';
import { createHttpTransport } from '../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import {
  checkAssignedOnce,
  checkConfirmedWrites,
  checkCreatedOnce,
  checkSentWithIntent,
  contentOf,
} from '../../../scripts/soak/invariants';
import { MemoryJournal } from '../actions/fakes/memoryJournal';
import { call } from '../emulator/emulatorClient';

const REL = '/v1.0/tenantRelationships/delegatedAdminRelationships';
const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const GROUP = '2f0e0d0c-0b0a-4908-8706-050403020100';
const FAST = { pollIntervalMs: 20, timeoutMs: 10_000 };

interface StateRel {
  id: string;
  displayName: string;
  status: string;
  autoExtendDuration?: string;
  customer: { tenantId?: string } | null;
  accessDetails?: { unifiedRoles: { roleDefinitionId: string }[] };
}
interface StateAsg {
  id: string;
  status: string;
  accessContainer: { accessContainerId: string };
}
interface State {
  relationships: StateRel[];
  accessAssignments: Record<string, StateAsg[]>;
}

/*
 * The soak's invariant checks (scripts/soak/invariants.ts) must be able to fail: each is run on a clean run
 * of the real pipeline against the emulator (no violation) and on one broken on purpose by a request sent
 * past the pipeline — a second create POST of the same intent, a second assignment POST for the same group,
 * a PATCH on a version no intent recorded, a PATCH without an ETag — and must name it.
 */
describe('soak invariants fire on a deliberately broken run', function () {
  this.timeout(30_000);
  let emu: RunningEmulator;
  let transport: ReturnType<typeof createHttpTransport>;
  let journal: MemoryJournal;
  let ctx: ActionContext;
  let token: string;

  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 5, timeScale: 100 });
  });
  after(() => emu.close());
  beforeEach(async () => {
    await call(emu, 'POST', '/_emulator/reset', { body: {} });
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
    const tokens = createStaticTokenProvider({ graph: token });
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

  const state = async (): Promise<State> => (await call(emu, 'GET', '/_emulator/state')).json as State;
  const activeWithoutAutoExtend = async (): Promise<StateRel> => {
    const found = (await state()).relationships.find((r) => r.status === 'active' && r.autoExtendDuration !== 'P180D');
    assert.ok(found, 'the data has an active relationship without auto-extend');
    return found;
  };

  it('a clean run of the pipeline passes every check', async () => {
    const r = await activeWithoutAutoExtend();
    const from = emu.requests().length;
    const [result] = await runMutation(ctx, autoExtendStrategy(true), [r.id], FAST);
    assert.equal(result?.outcome, 'done', result?.error ?? '');
    const log = emu.requests().slice(from);
    assert.ok(
      log.some((e) => e.method === 'PATCH' && e.status === 200),
      'the run sent its PATCH',
    );
    assert.deepEqual(checkConfirmedWrites(log, journal.records), []);
    assert.deepEqual(checkSentWithIntent(log, journal.records), []);
  });

  it('a PATCH sent past the pipeline (no intent, a version nobody decided on) is named by both checks', async () => {
    const r = await activeWithoutAutoExtend();
    const from = emu.requests().length;
    await runMutation(ctx, autoExtendStrategy(true), [r.id], FAST);
    // Someone (a broken strategy) turns it off again on the current version, journalling nothing.
    const current = await call(emu, 'GET', `${REL}/${r.id}`, { token });
    const rogue = await call(emu, 'PATCH', `${REL}/${r.id}`, {
      token,
      headers: { 'If-Match': String((current.json as Record<string, unknown>)['@odata.etag']) },
      body: { autoExtendDuration: 'PT0S' },
    });
    assert.equal(rogue.status, 200, rogue.text);
    const log = emu.requests().slice(from);
    const confirmed = checkConfirmedWrites(log, journal.records);
    assert.equal(confirmed.length, 1, confirmed.join('\n'));
    assert.match(confirmed[0], /which no journal intent for it recorded/);
    // Its intent is the earlier one's: still, that one was journalled for the first PATCH only — the check
    // on time passes, the check on the version catches it. Without any intent, the time check fires too.
    const alone = checkSentWithIntent(log.slice(-1), []);
    assert.equal(alone.length, 1);
    assert.match(alone[0], /without a journal intent before it/);
  });

  it('a PATCH without If-Match (or with *) is named as not decided on any version', () => {
    const entry = {
      time: new Date().toISOString(),
      method: 'PATCH',
      path: `${REL}/r1`,
      query: '',
      status: 200,
      headers: { 'if-match': '*' },
    };
    const intent = {
      time: new Date(0).toISOString(),
      type: 'intent' as const,
      operationId: 'op',
      action: 'autoExtendOn' as const,
      actor: null,
      cloud: 'global' as const,
      target: { relationshipId: 'r1' },
      priorEtag: 'W/"1"',
    };
    assert.match(checkConfirmedWrites([entry], [intent])[0] ?? '', /without naming the ETag/);
    assert.match(checkConfirmedWrites([{ ...entry, headers: {} }], [intent])[0] ?? '', /without naming the ETag/);
    assert.deepEqual(checkConfirmedWrites([{ ...entry, headers: { 'if-match': 'W/"1"' } }], [intent]), []);
  });

  it('a duplicated create POST (the same intent sent twice) is named by the created-once check', async () => {
    const v = validateCreateRelationship({ name: 'Invariant dup', roles: 'Global Reader' });
    assert.ok(v.ok);
    const out = await createAndLock(ctx, v.target, { ...FAST, lock: false });
    assert.equal(out.results[0]?.outcome, 'done');
    const intents = [{ displayName: 'Invariant dup' }];
    assert.deepEqual(checkCreatedOnce((await state()).relationships, intents), []);
    // The broken run: the same POST again, past the reconcile-by-name. The emulator refuses a taken name
    // (409), as the service does when the first create has landed; a service that let a racing second one
    // through is simulated by copying the record in the emulator's store under a new id.
    const again = await call(emu, 'POST', REL, {
      token,
      body: { displayName: 'Invariant dup', duration: 'P730D', accessDetails: { unifiedRoles: [{ roleDefinitionId: READER }] } },
    });
    if (again.status >= 300) {
      const first = out.results[0]?.id ?? '';
      const record = emu.store.relationship(first);
      emu.store.relationships.set(`${first}-dup`, { ...record, id: `${first}-dup`, assignments: [], operations: [], requests: [] });
    }
    const violations = checkCreatedOnce((await state()).relationships, intents);
    assert.deepEqual(violations, ['create "Invariant dup": 2 relationships for one intent.']);
  });

  it('a duplicated assignment POST for one group is named by the assigned-once check', async () => {
    const r = (await state()).relationships.find((x) => x.status === 'active' && (x.accessDetails?.unifiedRoles.length ?? 0) > 0);
    assert.ok(r);
    const role = r.accessDetails?.unifiedRoles[0]?.roleDefinitionId ?? '';
    const [done] = await assignGroups(ctx, [{ relationshipId: r.id, groupId: GROUP, roleDefinitionIds: [role] }], FAST);
    assert.equal(done?.outcome, 'done', done?.error ?? '');
    const intents = [{ relationshipId: r.id, groupId: GROUP }];
    assert.deepEqual(checkAssignedOnce((await state()).accessAssignments, intents), []);
    const again = await call(emu, 'POST', `${REL}/${r.id}/accessAssignments`, {
      token,
      body: {
        accessContainer: { accessContainerId: GROUP, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: role }] },
      },
    });
    // The service may refuse a second assignment of the group; when it accepts it, the check must see it.
    if (again.status < 300) {
      assert.equal(checkAssignedOnce((await state()).accessAssignments, intents).length, 1);
    } else {
      const forged = { ...(await state()).accessAssignments };
      forged[r.id] = [...(forged[r.id] ?? []), { id: 'x', status: 'active', accessContainer: { accessContainerId: GROUP } }];
      assert.equal(checkAssignedOnce(forged, intents).length, 1);
    }
  });

  it('content comparison ignores the stamps but sees nested changes', () => {
    const a = { id: 'r', '@odata.etag': '1', lastModifiedDateTime: 't1', accessDetails: { unifiedRoles: [{ roleDefinitionId: 'x' }] } };
    assert.equal(contentOf(a), contentOf({ ...a, '@odata.etag': '2', lastModifiedDateTime: 't2' }));
    assert.notEqual(contentOf(a), contentOf({ ...a, accessDetails: { unifiedRoles: [{ roleDefinitionId: 'y' }] } }));
  });
});
