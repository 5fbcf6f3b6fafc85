// Fault-injection soak: drives the core actions against the in-process emulator with injected faults,
// then checks the safety invariants (nothing lost, nothing sent twice, nothing leaked) from the emulator's own state and
// request log and from the action journal. Used by `npm run soak` (full size) and by the small soak in
// `npm test` (test/unit/soak).
import { openSoakRig, outcomeLines } from './soakRig';
import * as https from 'node:https';
import type { ActionContext, ItemResult, JournalRecord } from '../../src/core/actions/actionTypes';
import { containsTokenShape, findInterrupted, readRecords } from '../../src/core/actions/journal';
import { removeAccessAssignments, type AssignmentTarget } from '../../src/core/actions/removeAccessAssignments';
import { removeDap } from '../../src/core/actions/removeDap';
import { terminateRelationships } from '../../src/core/actions/terminateRelationships';
import { createStaticTokenProvider } from '../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../src/core/graph/gdapClient';
import { PartnerCenterClient } from '../../src/core/partnerCenter/partnerCenterClient';
import { type RequestLogEntry, type RunningEmulator } from '../../src/emulator/server';
import { formatRenewalMix, runRenewalMix, type RenewalMixReport } from './renewalMix';
import { runOnboardingMix, type OnboardingMixReport } from './onboardingMix';
import { checkConfirmedWrites, checkSentWithIntent } from './invariants';
import { runTemplateMix, type TemplateMixReport } from './templateMix';

export const SOAK_FAULTS = '429:0.15,503:0.05,500:0.02,reset:0.02,lost:0.02,timeout:0.01,malformed:0.01';

export interface SoakOptions {
  readonly terminate: number;
  readonly assignments: number;
  readonly dap: number;
  /** Emulator data size (customers); large enough to hold the targets plus untouched bystanders. */
  readonly customers: number;
  readonly seed?: number;
  readonly faultSeed?: number;
  readonly faults?: string;
  /** Emulator speed-up so terminal states are reached in well under a second. */
  readonly timeScale?: number;
  /** Per-attempt client timeout: a held (`timeout` fault) request costs this, not 60 s. */
  readonly attemptTimeoutMs?: number;
  /** Whole-run limit; the actions are cancelled when it passes (and that is a violation). */
  readonly deadlineMs?: number;
  readonly concurrency?: number;
  /** Retry-After the emulator sends on 429/503 (seconds; default 1). */
  readonly retryAfterSeconds?: number;
  /** First client backoff step when no Retry-After is given (default: the client's 1000 ms). */
  readonly baseDelayMs?: number;
  /** Targets per renewal mutation (renewalMix.ts, its own emulator, run alongside); absent = not run. */
  readonly renewal?: number;
}

type ActionName = 'terminate' | 'removeAssignment' | 'removeDap';

export interface SoakReport {
  readonly violations: string[];
  readonly outcomes: Record<ActionName, Record<string, number>>;
  readonly failures: { action: ActionName; id: string; error: string }[];
  /** API requests the emulator logged during the run (incl. `$batch` sub-requests). */
  readonly requests: number;
  readonly mutations: number;
  readonly faults: Record<string, number>;
  readonly journalRecords: number;
  readonly durationMs: number;
  readonly renewal?: RenewalMixReport;
  /** The grant-side mix (create + lock, delete draft, assign, set roles); absent when it crashed. */
  readonly onboarding?: OnboardingMixReport;
  /** The template mix (scripts/soak/templateMix.ts, its own emulator, run alongside). */
  readonly templates?: TemplateMixReport;
}

interface EmulatorState {
  relationships: { id: string; status: string; [k: string]: unknown }[];
  accessAssignments: Record<string, { id: string; status: string; [k: string]: unknown }[]>;
  partnerCenterCustomers: { id: string; companyName: string; allowDelegatedAccess: boolean }[];
}

/** The control API, over https trusting the emulator's own certificate. */
function control<T>(emu: RunningEmulator, method: string, path: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = https.request(
      new URL(path, emu.url),
      { method, ca: emu.caPem, agent: false, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300) {
              reject(new Error(`${method} ${path}: ${res.statusCode ?? 0} ${text}`));
              return;
            }
            resolve(JSON.parse(text) as T);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const TERMINATE_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)\/requests$/;
const ASSIGNMENT_PATH = /^\/v1\.0\/tenantRelationships\/delegatedAdminRelationships\/([^/]+)\/accessAssignments\/([^/]+)$/;
const PC_CUSTOMER_PATH = /^\/partnercenter\/v1\/customers\/([^/]+)$/;
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

/** Which target a logged mutating request is aimed at, or undefined when it is not a mutation. */
function mutationTarget(e: RequestLogEntry): { action: ActionName | 'other'; key: string } | undefined {
  if (
    !MUTATING.has(e.method) ||
    e.path === '/v1.0/$batch' ||
    e.path === '/v1.0/%24batch' ||
    !(e.path.startsWith('/v1.0/') || e.path.startsWith('/partnercenter/'))
  ) {
    return undefined;
  }
  const path = decodeURIComponent(e.path);
  let m = TERMINATE_PATH.exec(path);
  if (m !== null && e.method === 'POST') {
    return { action: 'terminate', key: m[1] };
  }
  m = ASSIGNMENT_PATH.exec(path);
  if (m !== null && e.method === 'DELETE') {
    return { action: 'removeAssignment', key: `${m[1]}/${m[2]}` };
  }
  m = PC_CUSTOMER_PATH.exec(path);
  if (m !== null && e.method === 'PATCH') {
    return { action: 'removeDap', key: m[1] };
  }
  return { action: 'other', key: `${e.method} ${e.path}` };
}

/** The emulator processed the request (a `lost` answer is logged with the status it would have sent). */
function applied(e: RequestLogEntry): boolean {
  return e.status >= 200 && e.status < 300;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function count(outcomes: Record<string, number>, key: string): void {
  outcomes[key] = (outcomes[key] ?? 0) + 1;
}

/** Picks targets from the emulator's state: active relationships, assignments of other active relationships, customers with DAP on. */
export function pickTargets(
  state: EmulatorState,
  o: Pick<SoakOptions, 'terminate' | 'assignments' | 'dap'>,
): { terminate: string[]; assignments: AssignmentTarget[]; dap: string[] } {
  const active = state.relationships.filter(
    (r) => r.status === 'active' && (state.accessAssignments[r.id] ?? []).some((a) => a.status === 'active'),
  );
  if (active.length < o.terminate + 1) {
    throw new Error(
      `The emulator data has ${active.length} active relationships with assignments; the soak needs more than ${o.terminate}. Raise --customers.`,
    );
  }
  const terminate = active.slice(0, o.terminate).map((r) => r.id);
  const rest = active.slice(o.terminate);
  // Round-robin over the remaining relationships so removals spread over many of them.
  const assignments: AssignmentTarget[] = [];
  for (let round = 0; assignments.length < o.assignments; round++) {
    let added = 0;
    for (const r of rest) {
      const list = (state.accessAssignments[r.id] ?? []).filter((a) => a.status === 'active');
      if (round < list.length && assignments.length < o.assignments) {
        assignments.push({ relationshipId: r.id, assignmentId: list[round].id });
        added++;
      }
    }
    if (added === 0) {
      throw new Error(
        `Only ${assignments.length} access assignments are available outside the terminated relationships; the soak needs ${o.assignments}. Raise --customers.`,
      );
    }
  }
  const dapOn = state.partnerCenterCustomers.filter((c) => c.allowDelegatedAccess);
  if (dapOn.length < o.dap) {
    throw new Error(`Only ${dapOn.length} customers have DAP on; the soak needs ${o.dap}. Raise --customers.`);
  }
  return { terminate, assignments, dap: dapOn.slice(0, o.dap).map((c) => c.id) };
}

export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const started = Date.now();
  const violations: string[] = [];
  const { renewal: perMutation, ...rest } = o;
  // The renewal mix shapes 5 × perMutation relationships of its own data (about 0.55 usable per customer),
  // so it sizes its emulator by that, not by the main mix's customers. A crash is a violation, reported
  // with the rest of the run rather than instead of it.
  const renewalRun =
    perMutation !== undefined
      ? runRenewalMix({
          ...rest,
          customers: Math.max(o.customers, perMutation * 10),
          perMutation,
          faults: o.faults ?? SOAK_FAULTS,
        }).catch((e: unknown) => ({ violations: [`renewal: the mix crashed: ${String(e)}`] }))
      : undefined;
  // The grant-side mix runs alongside, on an emulator of its own (scripts/soak/onboardingMix.ts).
  const grantMix = runOnboardingMix({ ...o, size: Math.max(4, Math.round(o.terminate / 6)), faults: o.faults ?? SOAK_FAULTS }).catch(
    (e: unknown) => ({ violations: [`the mix crashed: ${String(e)}`] }),
  );
  const templateRun = runTemplateMix({ ...o, size: Math.max(4, Math.round(o.terminate / 6)), faults: o.faults ?? SOAK_FAULTS }).catch(
    (e: unknown) => ({ violations: [`the mix crashed: ${String(e)}`] }),
  );
  const rig = await openSoakRig(
    'gdap-soak',
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
  try {
    // Remove DAP needs App+User credentials (docs/api-notes.md §8.1): user tokens for both audiences.
    const tokens = createStaticTokenProvider({
      graph: emu.issueToken({ audience: 'graph', kind: 'user' }),
      partnerCenter: emu.issueToken({ audience: 'partnerCenter', kind: 'user' }),
    });
    const timeoutMs = o.attemptTimeoutMs ?? 3000;
    const retry = o.baseDelayMs !== undefined ? { baseDelayMs: o.baseDelayMs } : undefined;
    const graph = new GdapClient({ endpoints, tokens, transport, timeoutMs, pollIntervalMs: 250, retry });
    const partnerCenter = new PartnerCenterClient({ endpoints, tokens, transport, timeoutMs, retry });

    const before = await control<EmulatorState>(emu, 'GET', '/_emulator/state');
    const targets = pickTargets(before, o);
    await control(emu, 'POST', '/_emulator/faults', { faults: o.faults ?? SOAK_FAULTS, faultSeed: o.faultSeed ?? 42 });
    const logStart = emu.requests().length;

    const ctx: ActionContext = {
      graph,
      partnerCenter,
      journal,
      actor: await tokens.getActor(),
      cloud: 'global',
      signal: rig.signal,
      concurrency: o.concurrency ?? 8,
    };
    const mutationOptions = { pollIntervalMs: 300, timeoutMs: 60_000 };
    const [terminated, removed, dapRemoved] = await Promise.all([
      terminateRelationships(ctx, targets.terminate, mutationOptions),
      removeAccessAssignments(ctx, targets.assignments, mutationOptions),
      removeDap(ctx, targets.dap, mutationOptions),
    ]);
    if (rig.signal.aborted) {
      violations.push(`The run did not finish within ${Math.round((o.deadlineMs ?? 150_000) / 1000)} s and was cancelled.`);
    }
    await control(emu, 'POST', '/_emulator/faults', { faults: '' });
    await journal.close();

    const after = await control<EmulatorState>(emu, 'GET', '/_emulator/state');
    const log = (await control<{ requests: RequestLogEntry[] }>(emu, 'GET', '/_emulator/requests')).requests;
    if (log.length >= 50_000) {
      violations.push('The emulator request log reached its cap; the re-send check would be incomplete. Reduce the soak size.');
    }
    const runLog = log.slice(logStart);
    const records = await readRecords(journalPath);

    const outcomes: SoakReport['outcomes'] = { terminate: {}, removeAssignment: {}, removeDap: {} };
    const failures: SoakReport['failures'] = [];

    // ---- 1. Every requested target: terminal state, or failed with a reason. -------------------------
    const relAfter = new Map(after.relationships.map((r) => [r.id, r]));
    const assignmentAfter = (relId: string, id: string): { status: string } | undefined =>
      (after.accessAssignments[relId] ?? []).find((a) => a.id === id);
    const pcAfter = new Map(after.partnerCenterCustomers.map((c) => [c.id, c]));
    const check = (action: ActionName, ids: string[], results: ItemResult[], terminal: (id: string) => boolean): void => {
      if (results.length !== ids.length) {
        violations.push(`${action}: ${results.length} results for ${ids.length} targets.`);
      }
      ids.forEach((id, i) => {
        const r = results[i];
        if (r?.id !== id) {
          violations.push(`${action} ${id}: result missing or out of order (got ${r?.id ?? 'nothing'}).`);
          return;
        }
        count(outcomes[action], r.outcome);
        if (r.outcome === 'done') {
          if (!terminal(id)) {
            violations.push(`${action} ${id}: reported done but the emulator does not show the end state.`);
          }
          if (r.error !== null) {
            violations.push(`${action} ${id}: done with an error text: ${r.error}`);
          }
        } else if (r.outcome === 'failed') {
          if (r.error === null || r.error.trim() === '') {
            violations.push(`${action} ${id}: failed without a reason.`);
          }
          failures.push({ action, id, error: r.error ?? '' });
        } else {
          violations.push(
            `${action} ${id}: unexpected outcome "${r.outcome}" for a target picked in its starting state (${r.error ?? ''}).`,
          );
        }
      });
    };
    check('terminate', targets.terminate, terminated, (id) => relAfter.get(id)?.status === 'terminated');
    const assignmentKeys = targets.assignments.map((t) => `${t.relationshipId}/${t.assignmentId}`);
    check('removeAssignment', assignmentKeys, removed, (key) => {
      const [rel, id] = key.split('/');
      const a = assignmentAfter(rel, id);
      return a === undefined || a.status === 'deleted';
    });
    check('removeDap', targets.dap, dapRemoved, (id) => pcAfter.get(id)?.allowDelegatedAccess === false);

    // ---- 2. Nothing that was not requested changed. ---------------------------------------------------
    const terminateSet = new Set(targets.terminate);
    const assignmentSet = new Set(assignmentKeys);
    const dapSet = new Set(targets.dap);
    for (const r of before.relationships) {
      if (terminateSet.has(r.id)) {
        continue;
      }
      const now = relAfter.get(r.id);
      if (now === undefined) {
        violations.push(`relationship ${r.id} (not requested) disappeared.`);
      } else if (stable(now) !== stable(r)) {
        violations.push(`relationship ${r.id} (not requested) changed: ${stable(r)} -> ${stable(now)}`);
      }
      const beforeAssignments = new Map((before.accessAssignments[r.id] ?? []).map((a) => [a.id, a]));
      const afterAssignments = new Map((after.accessAssignments[r.id] ?? []).map((a) => [a.id, a]));
      for (const [id, a] of beforeAssignments) {
        if (assignmentSet.has(`${r.id}/${id}`)) {
          continue;
        }
        const nowA = afterAssignments.get(id);
        if (nowA === undefined || stable(nowA) !== stable(a)) {
          violations.push(`access assignment ${r.id}/${id} (not requested) changed or disappeared.`);
        }
      }
      for (const id of afterAssignments.keys()) {
        if (!beforeAssignments.has(id)) {
          violations.push(`access assignment ${r.id}/${id} appeared during the run.`);
        }
      }
    }
    if (after.relationships.length !== before.relationships.length) {
      violations.push(`relationship count changed: ${before.relationships.length} -> ${after.relationships.length}.`);
    }
    for (const c of before.partnerCenterCustomers) {
      if (!dapSet.has(c.id) && stable(pcAfter.get(c.id)) !== stable(c)) {
        violations.push(`customer ${c.id} (not requested) changed in Partner Center.`);
      }
    }

    // ---- 3. No mutation re-sent after the service applied one. ---------------------------------------
    const requested: Record<ActionName, Set<string>> = { terminate: terminateSet, removeAssignment: assignmentSet, removeDap: dapSet };
    const perTarget = new Map<string, RequestLogEntry[]>();
    let mutations = 0;
    for (const e of runLog) {
      const t = mutationTarget(e);
      if (t === undefined) {
        continue;
      }
      mutations++;
      if (t.action === 'other' || !requested[t.action].has(t.key)) {
        violations.push(`unexpected mutation ${e.method} ${e.path} (status ${e.status}) on a target that was not requested.`);
        continue;
      }
      const k = `${t.action} ${t.key}`;
      perTarget.set(k, [...(perTarget.get(k) ?? []), e]);
    }
    for (const [k, entries] of perTarget) {
      const firstApplied = entries.findIndex(applied);
      if (firstApplied >= 0 && firstApplied < entries.length - 1) {
        const later = entries.slice(firstApplied + 1).map((e) => `${e.status}${e.fault !== undefined ? `/${e.fault}` : ''}`);
        violations.push(
          `${k}: mutation re-sent after the service applied it (applied: ${entries[firstApplied].status}${entries[firstApplied].fault !== undefined ? ` with fault ${entries[firstApplied].fault}` : ''}; then ${later.join(', ')}).`,
        );
      }
    }
    const resultsByAction: [ActionName, string[], ItemResult[]][] = [
      ['terminate', targets.terminate, terminated],
      ['removeAssignment', assignmentKeys, removed],
      ['removeDap', targets.dap, dapRemoved],
    ];
    for (const [action, ids, results] of resultsByAction) {
      ids.forEach((id, i) => {
        const appliedCount = (perTarget.get(`${action} ${id}`) ?? []).filter(applied).length;
        if (results[i]?.outcome === 'done' && appliedCount !== 1) {
          violations.push(`${action} ${id}: reported done, but the emulator applied ${appliedCount} mutations for it.`);
        }
      });
    }

    // ---- 4. The journal: every intent has an outcome; every send had an intent first; no tokens. ------
    for (const r of findInterrupted(records)) {
      violations.push(
        `journal: intent ${r.operationId} (${r.action} ${r.target.relationshipId ?? r.target.customerTenantId ?? ''}${r.target.assignmentId !== undefined ? `/${r.target.assignmentId}` : ''}) has no outcome.`,
      );
    }
    const journalKey = (r: JournalRecord): string => {
      const action: ActionName =
        r.action === 'terminateRelationship' ? 'terminate' : r.action === 'removeAccessAssignment' ? 'removeAssignment' : 'removeDap';
      const key =
        action === 'removeDap'
          ? (r.target.customerTenantId ?? '')
          : action === 'removeAssignment'
            ? `${r.target.relationshipId ?? ''}/${r.target.assignmentId ?? ''}`
            : (r.target.relationshipId ?? '');
      return `${action} ${key}`;
    };
    const intents = new Set(records.filter((r) => r.type === 'intent').map(journalKey));
    for (const k of perTarget.keys()) {
      if (!intents.has(k)) {
        violations.push(`journal: ${k} was sent without an intent record.`);
      }
    }
    for (const [action, ids, results] of resultsByAction) {
      ids.forEach((id, i) => {
        if (
          results[i]?.outcome === 'done' &&
          !records.some((r) => r.type === 'outcome' && r.outcome === 'done' && journalKey(r) === `${action} ${id}`)
        ) {
          violations.push(`journal: ${action} ${id} is done but has no "done" outcome record.`);
        }
      });
    }
    // ---- 5. No write applied to a state the run did not decide on; nothing sent before its intent. -------
    violations.push(...checkConfirmedWrites(runLog, records), ...checkSentWithIntent(runLog, records));
    for (const r of records) {
      if (containsTokenShape(JSON.stringify(r))) {
        violations.push(`journal: record ${r.operationId} contains a token-shaped value.`);
      }
    }

    const renewalResult = await renewalRun;
    violations.push(...(renewalResult?.violations ?? []));
    const renewal = renewalResult !== undefined && 'outcomes' in renewalResult ? renewalResult : undefined;
    const onboarding = await grantMix;
    violations.push(...onboarding.violations.map((v) => `onboarding: ${v}`));
    const templates = await templateRun;
    violations.push(...templates.violations.map((v) => `templates: ${v}`));
    const faults: Record<string, number> = {};
    for (const e of runLog) {
      if (e.fault !== undefined) {
        count(faults, e.fault);
      }
    }
    return {
      violations,
      outcomes,
      failures,
      requests: runLog.length,
      mutations,
      faults,
      journalRecords: records.length,
      durationMs: Date.now() - started,
      ...(renewal !== undefined ? { renewal } : {}),
      ...('outcomes' in onboarding ? { onboarding } : {}),
      ...('outcomes' in templates ? { templates } : {}),
    };
  } finally {
    await rig.close();
  }
}

export function formatReport(r: SoakReport): string {
  const lines: string[] = [...outcomeLines(r.outcomes)];
  lines.push(
    `requests ${r.requests} (mutations ${r.mutations}), faults injected: ${
      Object.entries(r.faults)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  );
  lines.push(`journal records ${r.journalRecords}, duration ${(r.durationMs / 1000).toFixed(1)} s`);
  for (const f of r.failures) {
    lines.push(`failed ${f.action} ${f.id}: ${f.error}`);
  }
  if (r.renewal !== undefined) {
    lines.push(formatRenewalMix(r.renewal));
  }
  if (r.onboarding !== undefined) {
    lines.push(...outcomeLines(r.onboarding.outcomes), `onboarding 412s ${r.onboarding.preconditionFailed}`);
    lines.push(...r.onboarding.failures.map((f) => `failed ${f}`));
  }
  if (r.templates !== undefined) {
    lines.push(...outcomeLines(r.templates.outcomes), ...r.templates.failures.map((f) => `failed template ${f}`));
  }
  lines.push(r.violations.length === 0 ? 'no violations' : `${r.violations.length} violation(s):`);
  for (const v of r.violations) {
    lines.push(`  VIOLATION ${v}`);
  }
  return lines.join('\n');
}
