// The renewal mix of the soak: auto-extend on/off, remove Global Administrator, make-renewable and renew
// against their own in-process emulator under the fault mix plus 412s from concurrent changes
// (POST /_emulator/touch), with the invariants checked from the emulator's state and request log and from
// the journal: every target done or failed with a reason, nothing created twice, nothing applied twice,
// nothing untargeted changed, intent and outcome journalled for each.
import { checkConfirmedWrites, checkSentWithIntent } from './invariants';
import { openSoakRig, outcomeLines } from './soakRig';
import * as https from 'node:https';
import type { ActionContext, ItemResult } from '../../src/core/actions/actionTypes';
import { findInterrupted, readRecords } from '../../src/core/actions/journal';
import { runMutation } from '../../src/core/actions/mutationPipeline';
import { MemoryPlannedAssignmentStore } from '../../src/core/actions/plannedAssignments';
import { autoExtendStrategy } from '../../src/core/actions/strategies/autoExtend';
import { makeRenewableStrategy } from '../../src/core/actions/strategies/makeRenewable';
import { removeGlobalAdministratorStrategy } from '../../src/core/actions/strategies/removeGlobalAdministrator';
import { renewStrategy, successorName } from '../../src/core/actions/strategies/renewRelationship';
import { createStaticTokenProvider } from '../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../src/core/graph/gdapClient';
import type { Relationship } from '../../src/core/graph/models';
import { GLOBAL_ADMINISTRATOR_ROLE_ID as GA } from '../../src/core/roles/roleCatalog';
import type { RelationshipRecord } from '../../src/emulator/model';
import { type RequestLogEntry, type RunningEmulator } from '../../src/emulator/server';

export interface RenewalMixOptions {
  /** Targets per mutation (auto-extend on, off, remove GA, make-renewable, renew). */
  readonly perMutation: number;
  readonly customers: number;
  readonly seed?: number;
  readonly faultSeed?: number;
  readonly faults: string;
  readonly timeScale?: number;
  readonly retryAfterSeconds?: number;
  readonly attemptTimeoutMs?: number;
  readonly baseDelayMs?: number;
  readonly deadlineMs?: number;
}

type MixAction = 'autoExtendOn' | 'autoExtendOff' | 'removeGa' | 'makeRenewable' | 'renew';

export interface RenewalMixReport {
  readonly violations: string[];
  readonly outcomes: Record<MixAction, Record<string, number>>;
  readonly failures: { action: MixAction; id: string; error: string }[];
  readonly touches: number;
  readonly mutations: number;
  /** 412 answers the concurrent touches provoked (re-read and re-decided). */
  readonly preconditionFailed: number;
}

function post(emu: RunningEmulator, path: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, emu.url),
      { method: 'POST', ca: emu.caPem, agent: false, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve());
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const REL_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)$/;
const REQUESTS_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)\/requests$/;
const CREATE_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships$/;
const ok = (e: RequestLogEntry): boolean => e.status >= 200 && e.status < 300;
const snapshot = (r: RelationshipRecord): string =>
  JSON.stringify({ ...r, assignments: r.assignments.map((a) => ({ ...a })), operations: r.operations.length, requests: r.requests.length });

export async function runRenewalMix(o: RenewalMixOptions): Promise<RenewalMixReport> {
  const violations: string[] = [];
  const rig = await openSoakRig(
    'gdap-soak-renewal',
    {
      customers: o.customers,
      seed: o.seed ?? 7,
      faultSeed: o.faultSeed ?? 42,
      timeScale: o.timeScale ?? 20,
      retryAfterSeconds: o.retryAfterSeconds ?? 1,
    },
    o.deadlineMs ?? 150_000,
  );
  const { emu, journalPath, journal, endpoints, transport } = rig;
  let stopTouching = false;
  try {
    // ---- Shape the targets in the emulator's data, then snapshot everything. -----------------------------
    const n = o.perMutation;
    const candidates = [...emu.store.relationships.values()].filter(
      (r) => r.status === 'active' && !r.reseller && r.customer?.tenantId !== undefined && r.displayName.length <= 40,
    );
    if (candidates.length < 5 * n + 5) {
      throw new Error(`The renewal mix needs ${5 * n + 5} active relationships; the data has ${candidates.length}. Raise customers.`);
    }
    const take = (i: number): RelationshipRecord[] => candidates.slice(i * n, (i + 1) * n);
    const shape = (list: RelationshipRecord[], withGa: boolean, autoExtend: string): string[] =>
      list.map((r) => {
        r.roles = withGa ? [...r.roles.filter((x) => x !== GA), GA] : r.roles.filter((x) => x !== GA);
        r.autoExtendDuration = autoExtend;
        return r.id;
      });
    const targets: Record<MixAction, string[]> = {
      autoExtendOn: shape(take(0), false, 'PT0S'),
      autoExtendOff: shape(take(1), false, 'P180D'),
      removeGa: shape(take(2), true, 'PT0S'),
      makeRenewable: [...shape(take(3).slice(0, Math.ceil(n / 2)), true, 'PT0S'), ...shape(take(3).slice(Math.ceil(n / 2)), false, 'P0D')],
      renew: shape(take(4), false, 'PT0S'),
    };
    // Half the renewals are of relationships that have already ended.
    for (const id of targets.renew.slice(0, Math.floor(n / 2))) {
      const r = emu.store.relationship(id);
      r.status = 'expired';
      r.endDateTime = new Date(Date.now() - 2 * 86_400_000).toISOString();
    }
    const targetSet = new Set(Object.values(targets).flat());
    const before = new Map([...emu.store.relationships.values()].map((r) => [r.id, snapshot(r)]));
    const namesBefore = new Map(
      [...emu.store.relationships.values()].map((r) => [r.displayName.toLowerCase(), r as unknown as Relationship]),
    );
    const expectedSuccessor = new Map(
      targets.renew.map((id) => {
        const r = emu.store.relationship(id);
        return [
          id,
          successorName(
            { id, displayName: r.displayName, customer: { tenantId: r.customer?.tenantId ?? null, displayName: null } },
            namesBefore,
          )?.name ?? '',
        ];
      }),
    );

    const tokens = createStaticTokenProvider({
      graph: emu.issueToken({ audience: 'graph', kind: 'user' }),
      partnerCenter: emu.issueToken({ audience: 'partnerCenter', kind: 'user' }),
    });
    const retry = o.baseDelayMs !== undefined ? { baseDelayMs: o.baseDelayMs } : undefined;
    const graph = new GdapClient({ endpoints, tokens, transport, timeoutMs: o.attemptTimeoutMs ?? 3000, pollIntervalMs: 250, retry });
    const ctx: ActionContext = {
      graph,
      partnerCenter: undefined as never,
      journal,
      actor: await tokens.getActor(),
      cloud: 'global',
      signal: rig.signal,
      concurrency: 8,
    };
    const logStart = emu.requests().length;
    emu.setFaults(o.faults, o.faultSeed ?? 42);

    // Concurrent changes by "someone else": touch random targets while the run goes on (→ 412s).
    let touches = 0;
    const all = [...targetSet];
    const toucher = (async (): Promise<void> => {
      let i = 0;
      while (!stopTouching) {
        await post(emu, '/_emulator/touch', { relationshipId: all[(i * 7919) % all.length] }).catch(() => undefined);
        touches += 1;
        i += 1;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();

    const store = new MemoryPlannedAssignmentStore();
    const options = { pollIntervalMs: 300, timeoutMs: 60_000 };
    const [on, off, removeGa, renewable, renewed] = await Promise.all([
      runMutation(ctx, autoExtendStrategy(true), targets.autoExtendOn, options),
      runMutation(ctx, autoExtendStrategy(false), targets.autoExtendOff, options),
      runMutation(ctx, removeGlobalAdministratorStrategy, targets.removeGa, options),
      runMutation(ctx, makeRenewableStrategy, targets.makeRenewable, options),
      runMutation(ctx, renewStrategy({ store, withoutGlobalAdministrator: false }), targets.renew, options),
    ]);
    stopTouching = true;
    await toucher;
    emu.setFaults('');
    if (rig.signal.aborted) {
      violations.push(`renewal: the run did not finish within ${Math.round((o.deadlineMs ?? 150_000) / 1000)} s.`);
    }
    await journal.close();
    const runLog = emu.requests().slice(logStart);
    const records = await readRecords(journalPath);

    // ---- 1. Every target done (end state shown) or failed with a reason. ---------------------------------
    const rel = (id: string): RelationshipRecord | undefined => emu.store.relationships.get(id);
    const successorsOf = (id: string): RelationshipRecord[] =>
      [...emu.store.relationships.values()].filter((r) => r.displayName === expectedSuccessor.get(id) && !before.has(r.id));
    const endState: Record<MixAction, (id: string) => boolean> = {
      autoExtendOn: (id) => rel(id)?.autoExtendDuration === 'P180D',
      autoExtendOff: (id) => rel(id)?.autoExtendDuration !== 'P180D',
      removeGa: (id) => rel(id)?.roles.includes(GA) === false,
      makeRenewable: (id) => rel(id)?.roles.includes(GA) === false && rel(id)?.autoExtendDuration === 'P180D',
      renew: (id) => successorsOf(id).length === 1 && successorsOf(id)[0]?.status === 'approvalPending',
    };
    const outcomes = {} as Record<MixAction, Record<string, number>>;
    const failures: RenewalMixReport['failures'] = [];
    const resultsBy: [MixAction, ItemResult[]][] = [
      ['autoExtendOn', on],
      ['autoExtendOff', off],
      ['removeGa', removeGa],
      ['makeRenewable', renewable],
      ['renew', renewed],
    ];
    for (const [action, results] of resultsBy) {
      outcomes[action] = {};
      targets[action].forEach((id, i) => {
        const r = results[i];
        if (r?.id !== id) {
          violations.push(`renewal ${action} ${id}: result missing or out of order.`);
          return;
        }
        outcomes[action][r.outcome] = (outcomes[action][r.outcome] ?? 0) + 1;
        if (r.outcome === 'done' && !endState[action](id)) {
          violations.push(`renewal ${action} ${id}: reported done but the emulator does not show the end state.`);
        } else if (r.outcome === 'failed') {
          if (r.error === null || r.error.trim() === '') {
            violations.push(`renewal ${action} ${id}: failed without a reason.`);
          }
          failures.push({ action, id, error: r.error ?? '' });
        } else if (r.outcome !== 'done') {
          violations.push(`renewal ${action} ${id}: unexpected outcome "${r.outcome}" (${r.error ?? ''}).`);
        }
      });
    }

    // ---- 2. Nothing created twice; nothing applied twice for one intent. ---------------------------------
    for (const id of targets.renew) {
      if (successorsOf(id).length > 1) {
        violations.push(`renewal renew ${id}: ${successorsOf(id).length} successors created.`);
      }
    }
    const created = [...emu.store.relationships.values()].filter((r) => !before.has(r.id));
    const createsApplied = runLog.filter((e) => e.method === 'POST' && CREATE_PATH.test(decodeURIComponent(e.path)) && ok(e)).length;
    if (createsApplied !== created.length) {
      violations.push(`renewal: ${createsApplied} creates applied but ${created.length} relationships are new.`);
    }
    let mutations = 0;
    const perTarget = new Map<string, RequestLogEntry[]>();
    for (const e of runLog) {
      if (e.method === 'GET' || e.path.includes('$batch') || e.path.includes('%24batch') || e.path.startsWith('/_emulator')) {
        continue;
      }
      mutations += 1;
      const path = decodeURIComponent(e.path);
      const m = REL_PATH.exec(path) ?? REQUESTS_PATH.exec(path);
      if (m === null) {
        if (!CREATE_PATH.test(path)) {
          violations.push(`renewal: unexpected mutation ${e.method} ${e.path}.`);
        }
        continue;
      }
      const id = m[1];
      if (!targetSet.has(id) && !created.some((c) => c.id === id)) {
        violations.push(`renewal: mutation ${e.method} ${e.path} on a relationship that was not targeted.`);
      }
      perTarget.set(`${e.method} ${path} ${e.status === 202 ? 'op' : ''}`, [
        ...(perTarget.get(`${e.method} ${path} ${e.status === 202 ? 'op' : ''}`) ?? []),
        e,
      ]);
    }
    // A target gets at most one applied change of each kind: one GA removal (202), one auto-extend change
    // (200), one lock per successor.
    for (const [k, entries] of perTarget) {
      const applied = entries.filter(ok).length;
      if (applied > 1) {
        violations.push(`renewal: ${k.trim()} applied ${applied} times.`);
      }
    }

    // ---- 3. Nothing untargeted changed. ------------------------------------------------------------------
    for (const [id, snap] of before) {
      const now = rel(id);
      if (!targetSet.has(id) && (now === undefined || snapshot(now) !== snap)) {
        violations.push(`renewal: relationship ${id} (not targeted) changed.`);
      }
    }

    // ---- 4. The journal holds intent and outcome for each. -------------------------------------------------
    for (const r of findInterrupted(records)) {
      violations.push(`renewal journal: intent ${r.operationId} (${r.action} ${r.target.relationshipId ?? ''}) has no outcome.`);
    }
    const actionWord: Record<MixAction, string> = {
      autoExtendOn: 'autoExtendOn',
      autoExtendOff: 'autoExtendOff',
      removeGa: 'removeGlobalAdministrator',
      makeRenewable: 'makeRenewable',
      renew: 'renewRelationship',
    };
    for (const [action, results] of resultsBy) {
      results.forEach((r) => {
        if (
          r.outcome === 'done' &&
          !records.some(
            (x) => x.type === 'outcome' && x.action === actionWord[action] && x.target.relationshipId === r.id && x.outcome === 'done',
          )
        ) {
          violations.push(`renewal journal: ${action} ${r.id} is done but has no "done" outcome record.`);
        }
      });
    }
    violations.push(
      ...[...checkConfirmedWrites(runLog, records), ...checkSentWithIntent(runLog, records, new Set(created.map((c) => c.id)))].map(
        (v) => `renewal: ${v}`,
      ),
    );
    const preconditionFailed = runLog.filter((e) => e.status === 412).length;
    return { violations, outcomes, failures, touches, mutations, preconditionFailed };
  } finally {
    stopTouching = true;
    await rig.close();
  }
}

export function formatRenewalMix(r: RenewalMixReport): string {
  const lines = outcomeLines(r.outcomes);
  lines.push(`renewal mutations ${r.mutations}, concurrent touches ${r.touches}, 412s ${r.preconditionFailed}`);
  for (const f of r.failures) {
    lines.push(`failed ${f.action} ${f.id}: ${f.error}`);
  }
  return lines.join('\n');
}
