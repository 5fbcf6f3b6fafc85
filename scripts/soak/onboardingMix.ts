// The grant-side mix of the soak: create + lock, delete draft, assign and set roles under the fault mix plus
// concurrent changes (`POST /_emulator/touch` → 412s), on an emulator of its own so the main mix's
// "nothing else changed" check is not disturbed. Invariants are checked against the emulator's state and
// request log and the journal.
import { checkAssignedOnce, checkConfirmedWrites, checkCreatedOnce, checkSentWithIntent, contentOf } from './invariants';
import { openSoakRig } from './soakRig';
import { randomUUID } from 'node:crypto';
import type { ActionContext, ItemResult } from '../../src/core/actions/actionTypes';
import { findInterrupted, readRecords } from '../../src/core/actions/journal';
import { assignGroups, createAndLock, deleteDrafts, setAssignmentRoles } from '../../src/core/actions/onboarding';
import { createStaticTokenProvider } from '../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../src/core/graph/gdapClient';
import { PartnerCenterClient } from '../../src/core/partnerCenter/partnerCenterClient';

export interface OnboardingMixOptions {
  /** Targets per mutation (creates, drafts to delete, assigns, set-roles). */
  readonly size: number;
  readonly faults: string;
  readonly faultSeed?: number;
  readonly timeScale?: number;
  readonly attemptTimeoutMs?: number;
  readonly baseDelayMs?: number;
  readonly retryAfterSeconds?: number;
}

export interface OnboardingMixReport {
  readonly violations: string[];
  readonly outcomes: Record<string, Record<string, number>>;
  readonly failures: string[];
  /** 412 answers the run met (concurrent changes it had to handle). */
  readonly preconditionFailed: number;
}

interface Rel {
  id: string;
  displayName: string;
  status: string;
  accessDetails?: { unifiedRoles: { roleDefinitionId: string }[] };
  [k: string]: unknown;
}
interface Asg {
  id: string;
  status: string;
  accessContainer: { accessContainerId: string };
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
  [k: string]: unknown;
}
interface State {
  relationships: Rel[];
  accessAssignments: Record<string, Asg[]>;
}

const roles = (x: { accessDetails?: { unifiedRoles: { roleDefinitionId: string }[] } }): string[] =>
  (x.accessDetails?.unifiedRoles ?? []).map((r) => r.roleDefinitionId.toLowerCase()).sort();
/** An entity without the stamps a touch (or the service's progress) may change; nested keys compared too. */
const content = contentOf;

export async function runOnboardingMix(o: OnboardingMixOptions): Promise<OnboardingMixReport> {
  const violations: string[] = [];
  const outcomes: Record<string, Record<string, number>> = {};
  const failures: string[] = [];
  const rig = await openSoakRig(
    'gdap-soak-onboarding',
    { customers: Math.max(40, o.size * 5), seed: 9, timeScale: o.timeScale ?? 50, retryAfterSeconds: o.retryAfterSeconds ?? 0 },
    undefined,
  );
  const { emu, journalPath, journal, endpoints, transport } = rig;
  try {
    const tokens = createStaticTokenProvider({ graph: emu.issueToken({ audience: 'graph', kind: 'user' }) });
    const retry = o.baseDelayMs !== undefined ? { baseDelayMs: o.baseDelayMs } : undefined;
    const graph = new GdapClient({ endpoints, tokens, transport, timeoutMs: o.attemptTimeoutMs ?? 3000, pollIntervalMs: 100, retry });
    const ctx: ActionContext = {
      graph,
      partnerCenter: new PartnerCenterClient({ endpoints, tokens, transport }),
      journal,
      actor: await tokens.getActor(),
      cloud: 'global',
      concurrency: 6,
    };
    const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      const https = await import('node:https');
      return new Promise<T>((resolve, reject) => {
        const req = https.request(
          new URL(path, emu.url),
          { method, ca: emu.caPem, agent: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve(JSON.parse(text) as T));
          },
        );
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
      });
    };
    const before = await control<State>('GET', '/_emulator/state');
    const active = before.relationships.filter((r) => r.status === 'active' && roles(r).length >= 2);
    const n = o.size;
    const assignRels = active.slice(0, n);
    const setTargets: { relationshipId: string; assignmentId: string; roleDefinitionIds: string[]; from: string[] }[] = [];
    for (const r of active.slice(n)) {
      const a = (before.accessAssignments[r.id] ?? []).find((x) => x.status === 'active');
      if (a !== undefined && setTargets.length < n) {
        const have = roles(a);
        const wanted =
          have.length > 1
            ? have.slice(1)
            : roles(r)
                .filter((x) => x !== have[0])
                .slice(0, 1)
                .concat(have);
        setTargets.push({ relationshipId: r.id, assignmentId: a.id, roleDefinitionIds: wanted, from: have });
      }
    }
    const assignTargets = assignRels.map((r) => ({ relationshipId: r.id, groupId: randomUUID(), roleDefinitionIds: roles(r).slice(0, 1) }));
    const run = `soak-${randomUUID().slice(0, 8)}`;
    const names = Array.from({ length: n }, (_, i) => `${run} create ${i}`);
    const drafts = Array.from({ length: n }, (_, i) => `${run} draft ${i}`);
    const target = (displayName: string) => ({
      displayName,
      duration: 'P730D',
      roleDefinitionIds: ['f2ef992c-3afb-46b9-b7cf-a126ee74c451'],
      customerTenantId: null,
      autoExtendDuration: null,
    });
    // Drafts to delete are made before the faults start.
    const draftIds: string[] = [];
    for (const d of drafts) {
      const out = await createAndLock(ctx, target(d), { lock: false });
      if (out.relationship !== null) {
        draftIds.push(out.relationship.id);
      }
    }
    const logStart = emu.requests().length;
    await control('POST', '/_emulator/faults', { faults: o.faults, faultSeed: o.faultSeed ?? 42 });
    // Concurrent changes by someone else: every third set-roles target and every fourth draft get a new ETag
    // just before their first send (after the run read them), so the send meets a 412.
    const touchFirst = new Set([
      ...setTargets.filter((_t, i) => i % 3 === 0).map((t) => `${t.relationshipId}/${t.assignmentId}`),
      ...draftIds.filter((_t, i) => i % 4 === 0),
    ]);
    const realUpdate = graph.updateAccessAssignment.bind(graph);
    graph.updateAccessAssignment = async (rel, id, ...rest) => {
      if (touchFirst.delete(`${rel}/${id}`)) {
        await control('POST', '/_emulator/touch', { relationshipId: rel, assignmentId: id });
      }
      return realUpdate(rel, id, ...rest);
    };
    const realDelete = graph.deleteRelationship.bind(graph);
    graph.deleteRelationship = async (id, ...rest) => {
      if (touchFirst.delete(id)) {
        await control('POST', '/_emulator/touch', { relationshipId: id });
      }
      return realDelete(id, ...rest);
    };
    const options = { pollIntervalMs: 100, timeoutMs: 60_000 };
    const [created, deleted, assigned, set] = await Promise.all([
      Promise.all(names.map((name) => createAndLock(ctx, target(name), options))),
      deleteDrafts(ctx, draftIds, options),
      assignGroups(ctx, assignTargets, options),
      setAssignmentRoles(ctx, setTargets, options),
    ]);
    await control('POST', '/_emulator/faults', { faults: '' });
    await journal.close();
    const after = await control<State>('GET', '/_emulator/state');
    const runLog = emu.requests().slice(logStart);
    const records = await readRecords(journalPath);

    const check = (action: string, results: readonly ItemResult[]): void => {
      outcomes[action] ??= {};
      for (const r of results) {
        outcomes[action][r.outcome] = (outcomes[action][r.outcome] ?? 0) + 1;
        if (r.outcome === 'failed') {
          failures.push(`${action} ${r.id}: ${r.error ?? ''}`);
        }
        if (r.outcome === 'failed' && (r.error === null || r.error.trim() === '')) {
          violations.push(`${action} ${r.id}: failed without a reason.`);
        }
        if (r.outcome === 'skipped') {
          violations.push(`${action} ${r.id}: skipped a target picked in its starting state (${r.error ?? ''}).`);
        }
      }
    };
    check(
      'create',
      created.flatMap((c) => c.results.slice(0, 1)),
    );
    check(
      'lock',
      created.flatMap((c) => c.results.slice(1)),
    );
    check('deleteDraft', deleted);
    check('assign', assigned);
    check('setRoles', set);

    // Created once per intent (reconciled by the unique display name), assigned once per group, and
    // locked when reported so.
    violations.push(
      ...checkCreatedOnce(
        after.relationships,
        [...names, ...drafts].map((displayName) => ({ displayName })),
      ),
      ...checkAssignedOnce(after.accessAssignments, assignTargets),
    );
    for (const [i, name] of names.entries()) {
      const found = after.relationships.filter((r) => r.displayName === name);
      const first = created[i].results[0];
      if (first.outcome === 'done' && found.length !== 1) {
        violations.push(`create "${name}": reported done but not in the emulator.`);
      }
      const lock = created[i].results[1];
      if (lock?.outcome === 'done' && found[0]?.status !== 'approvalPending') {
        violations.push(`lock "${name}": reported done but the relationship is "${found[0]?.status ?? 'absent'}".`);
      }
    }
    deleted.forEach((r) => {
      const still = after.relationships.find((x) => x.id === r.id);
      if (r.outcome === 'done' && still !== undefined) {
        violations.push(`delete ${r.id}: reported done but the draft still exists.`);
      }
    });
    assignTargets.forEach((t, i) => {
      const live = (after.accessAssignments[t.relationshipId] ?? []).filter(
        (a) => a.accessContainer.accessContainerId.toLowerCase() === t.groupId && a.status !== 'deleted',
      );
      if (assigned[i].outcome === 'done' && live[0]?.status !== 'active') {
        violations.push(`assign ${t.relationshipId}/${t.groupId}: reported done but not active.`);
      }
    });
    setTargets.forEach((t, i) => {
      const a = (after.accessAssignments[t.relationshipId] ?? []).find((x) => x.id === t.assignmentId);
      const now = a === undefined ? [] : roles(a);
      const wanted = [...t.roleDefinitionIds].sort();
      if (set[i].outcome === 'done' && JSON.stringify(now) !== JSON.stringify(wanted)) {
        violations.push(`set-roles ${t.relationshipId}/${t.assignmentId}: reported done but roles are ${now.join(',')}.`);
      }
      if (JSON.stringify(now) !== JSON.stringify(wanted) && JSON.stringify(now) !== JSON.stringify(t.from)) {
        violations.push(`set-roles ${t.relationshipId}/${t.assignmentId}: roles ended as neither confirmed state (${now.join(',')}).`);
      }
    });
    const patches = runLog.filter((e) => e.method === 'PATCH' && e.status >= 200 && e.status < 300);
    const patchedKeys = new Set(setTargets.map((t) => `${t.relationshipId}/${t.assignmentId}`));
    for (const p of patches) {
      const m = /delegatedAdminRelationships\/([^/]+)\/accessAssignments\/([^/]+)$/.exec(decodeURIComponent(p.path));
      if (m === null || !patchedKeys.has(`${m[1]}/${m[2]}`)) {
        violations.push(`PATCH ${p.path} applied to something not targeted.`);
      }
    }

    // Nothing not targeted changed (stamps aside: touches change them on purpose).
    const targeted = new Set([...assignTargets.map((t) => t.relationshipId), ...setTargets.map((t) => t.relationshipId), ...draftIds]);
    const afterById = new Map(after.relationships.map((r) => [r.id, r]));
    for (const r of before.relationships) {
      if (targeted.has(r.id)) {
        continue;
      }
      const now = afterById.get(r.id);
      if (now === undefined || content(now) !== content(r)) {
        violations.push(`relationship ${r.id} (not targeted) changed or disappeared.`);
      }
      const assignmentsNow = JSON.stringify((after.accessAssignments[r.id] ?? []).map(content));
      if (assignmentsNow !== JSON.stringify((before.accessAssignments[r.id] ?? []).map(content))) {
        violations.push(`access assignments of ${r.id} (not targeted) changed.`);
      }
    }

    // The journal holds intent and outcome for each.
    for (const r of findInterrupted(records)) {
      violations.push(`journal: intent ${r.operationId} (${r.action}) has no outcome.`);
    }
    const outcomesDone = records.filter((r) => r.type === 'outcome' && r.outcome === 'done').length;
    const reportedDone = [...created.flatMap((c) => c.results), ...deleted, ...assigned, ...set].filter((r) => r.outcome === 'done').length;
    if (outcomesDone < reportedDone) {
      violations.push(`journal: ${reportedDone} targets done but only ${outcomesDone} "done" outcome records.`);
    }
    const createdIds = new Set(
      after.relationships.filter((r) => !before.relationships.some((b) => b.id === r.id) && !draftIds.includes(r.id)).map((r) => r.id),
    );
    violations.push(...checkConfirmedWrites(runLog, records), ...checkSentWithIntent(runLog, records, createdIds));
    if (runLog.every((e) => e.status !== 412)) {
      violations.push('no concurrent change (412) was met: the mix proved nothing about them.');
    }
    if (runLog.filter((e) => e.fault !== undefined).length === 0) {
      violations.push('no fault was injected: the mix proved nothing.');
    }
    return { violations, outcomes, failures, preconditionFailed: runLog.filter((e) => e.status === 412).length };
  } finally {
    await rig.close();
  }
}
