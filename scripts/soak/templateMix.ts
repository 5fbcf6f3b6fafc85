// The template mix of the soak: `applyTemplate` (docs/templates.md) under the fault mix, on an emulator of
// its own, with a template that assigns new groups, turns auto-extend on and creates relationships. The
// first apply meets the faults; the next ones run without, until one is fully done; the apply after a
// fully done one must send nothing. Invariants are checked against the emulator's state and request log
// and the journal.
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { ActionContext } from '../../src/core/actions/actionTypes';
import { findInterrupted, readRecords } from '../../src/core/actions/journal';
import { MemoryPlannedAssignmentStore } from '../../src/core/actions/plannedAssignments';
import { createStaticTokenProvider } from '../../src/core/auth/staticTokenProvider';
import { GdapClient } from '../../src/core/graph/gdapClient';
import { PartnerCenterClient } from '../../src/core/partnerCenter/partnerCenterClient';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../src/core/roles/roleCatalog';
import { applyTemplate, type TemplateApplyReport } from '../../src/core/templates/applyTemplate';
import { validateTemplate } from '../../src/core/templates/templateModel';
import { checkConfirmedWrites, checkSentWithIntent, contentOf } from './invariants';
import { openSoakRig } from './soakRig';

export interface TemplateMixOptions {
  /** Customers the template covers (each gets a new group and auto-extend; half of them a new relationship). */
  readonly size: number;
  readonly faults: string;
  readonly faultSeed?: number;
  readonly timeScale?: number;
  readonly attemptTimeoutMs?: number;
  readonly baseDelayMs?: number;
  readonly retryAfterSeconds?: number;
}

export interface TemplateMixReport {
  readonly violations: string[];
  /** Per action of the first apply (under faults): outcome counts; `reapply` counts the applies it took. */
  readonly outcomes: Record<string, Record<string, number>>;
  readonly failures: string[];
}

interface Rel {
  id: string;
  displayName: string;
  status: string;
  autoExtendDuration?: string;
  customer: { tenantId?: string } | null;
  accessDetails?: { unifiedRoles: { roleDefinitionId: string }[] };
}
interface Asg {
  status: string;
  accessContainer: { accessContainerId: string };
}
interface State {
  relationships: Rel[];
  accessAssignments: Record<string, Asg[]>;
  securityGroups: { id: string }[];
}

const MAX_APPLIES = 3;
const content = contentOf;
const roleIds = (r: Rel): string[] => (r.accessDetails?.unifiedRoles ?? []).map((u) => u.roleDefinitionId.toLowerCase());

// Long because: setup, the applies and the invariant checks share the rig and read best top to bottom.
export async function runTemplateMix(o: TemplateMixOptions): Promise<TemplateMixReport> {
  const violations: string[] = [];
  const outcomes: Record<string, Record<string, number>> = {};
  const failures: string[] = [];
  const rig = await openSoakRig(
    'gdap-soak-templates',
    { customers: Math.max(30, o.size * 4), seed: 11, timeScale: o.timeScale ?? 50, retryAfterSeconds: o.retryAfterSeconds ?? 0 },
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
    const control = <T>(method: string, path: string, body?: unknown): Promise<T> =>
      new Promise<T>((resolve, reject) => {
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

    // The template: per customer with exactly one active relationship (no Global Administrator), that
    // relationship with a new group and auto-extend on; for half of them also a relationship to create.
    const before = await control<State>('GET', '/_emulator/state');
    const active = before.relationships.filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    const perCustomer = (r: Rel): number => active.filter((x) => x.customer?.tenantId === r.customer?.tenantId).length;
    const picked = active
      // A template names a relationship in at most 50 characters (docs/templates.md); longer names cannot be described.
      .filter(
        (r) =>
          perCustomer(r) === 1 && !roleIds(r).includes(GLOBAL_ADMINISTRATOR_ROLE_ID) && roleIds(r).length > 0 && r.displayName.length <= 50,
      )
      .slice(0, o.size);
    const run = `soak-${randomUUID().slice(0, 8)}`;
    // A group not yet assigned on the relationship, so each is a new assignment (an intent to create once).
    const unassigned = (r: Rel): string | undefined => {
      const taken = new Set((before.accessAssignments[r.id] ?? []).map((a) => a.accessContainer.accessContainerId.toLowerCase()));
      return before.securityGroups.map((g) => g.id.toLowerCase()).find((g) => !taken.has(g));
    };
    const groupOf = new Map(picked.map((r) => [r.id, unassigned(r) ?? '']));
    const fresh = picked.filter((_r, i) => i % 2 === 0).map((r) => (r.customer?.tenantId ?? '').toLowerCase());
    const raw = {
      version: 1,
      relationships: [
        ...picked.map((r) => ({
          name: r.displayName,
          customers: [(r.customer?.tenantId ?? '').toLowerCase()],
          roles: roleIds(r),
          autoExtend: true,
          assignments: [{ group: groupOf.get(r.id) ?? '', roles: roleIds(r).slice(0, 1) }],
        })),
        ...(fresh.length > 0 ? [{ name: `${run} new`, customers: fresh, roles: ['Global Reader'], duration: 'P90D' }] : []),
      ],
    };
    const parsed = validateTemplate(raw);
    if (!parsed.ok) {
      return {
        violations: [`the mix's template is invalid: ${parsed.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`],
        outcomes,
        failures,
      };
    }
    const store = new MemoryPlannedAssignmentStore();
    const options = { store, pollIntervalMs: 100, timeoutMs: 60_000 };
    const mutationsIn = (from: number): number =>
      emu
        .requests()
        .slice(from)
        .filter((e) => e.method !== 'GET' && !e.path.startsWith('/_emulator') && !e.path.includes('/oauth2/') && !e.path.endsWith('$batch'))
        .length;

    const reports: TemplateApplyReport[] = [];
    const logStart = emu.requests().length;
    await control('POST', '/_emulator/faults', { faults: o.faults, faultSeed: o.faultSeed ?? 42 });
    reports.push(await applyTemplate(ctx, parsed.template, options));
    await control('POST', '/_emulator/faults', { faults: '' });
    const firstLog = emu.requests().slice(logStart);
    const allDone = (r: TemplateApplyReport): boolean => r.items.every((i) => i.outcome === 'done');
    while (!allDone(reports[reports.length - 1]) && reports.length < MAX_APPLIES) {
      reports.push(await applyTemplate(ctx, parsed.template, options));
    }
    if (allDone(reports[reports.length - 1])) {
      // After a fully done apply, applying again finds nothing to do and sends nothing.
      const from = emu.requests().length;
      const again = await applyTemplate(ctx, parsed.template, options);
      if (again.items.some((i) => i.change.reason === null)) {
        violations.push(`a second apply after a done one planned ${again.items.length} change(s).`);
      }
      if (mutationsIn(from) > 0) {
        violations.push(`a second apply after a done one sent ${mutationsIn(from)} change request(s).`);
      }
    } else {
      violations.push(`not every change was done after ${MAX_APPLIES} applies (the last ones without faults).`);
    }
    await journal.close();

    for (const [n, report] of reports.entries()) {
      for (const item of report.items) {
        const action = n === 0 ? `template ${item.change.action}` : 'template reapply';
        outcomes[action] ??= {};
        outcomes[action][item.outcome] = (outcomes[action][item.outcome] ?? 0) + 1;
        if (item.outcome !== 'done') {
          failures.push(`${item.change.action} ${item.change.customerTenantId} (apply ${n + 1}): ${item.outcome} ${item.error ?? ''}`);
          if (item.error === null || item.error.trim() === '') {
            violations.push(`${item.change.action} ${item.change.customerTenantId}: ${item.outcome} without a reason.`);
          }
        }
      }
    }

    const after = await control<State>('GET', '/_emulator/state');
    // Created once per intent: one relationship of the new name per customer, one live assignment per group.
    for (const tenantId of fresh) {
      const made = after.relationships.filter(
        (r) => r.displayName.startsWith(`${run} new`) && r.customer?.tenantId?.toLowerCase() === tenantId && r.status !== 'terminated',
      );
      if (made.length !== 1) {
        violations.push(`create for ${tenantId}: ${made.length} relationships for one intent.`);
      }
    }
    for (const r of picked) {
      const group = groupOf.get(r.id);
      const live = (after.accessAssignments[r.id] ?? []).filter(
        (a) => a.accessContainer.accessContainerId.toLowerCase() === group && a.status !== 'deleted' && a.status !== 'deleting',
      );
      if (live.length !== 1) {
        violations.push(`assign ${r.id}/${group ?? ''}: ${live.length} assignments for one intent.`);
      }
      const now = after.relationships.find((x) => x.id === r.id);
      if (now?.autoExtendDuration !== 'P180D') {
        violations.push(`auto-extend ${r.id}: is ${now?.autoExtendDuration ?? 'absent'} after the applies.`);
      }
    }
    // Nothing the template does not name changed (stamps aside), and no relationship it does not name got an assignment.
    const pickedIds = new Set(picked.map((r) => r.id));
    const afterById = new Map(after.relationships.map((r) => [r.id, r]));
    for (const r of before.relationships) {
      const now = afterById.get(r.id);
      if (!pickedIds.has(r.id) && (now === undefined || content(now) !== content(r))) {
        violations.push(`relationship ${r.id} (not in the template) changed or disappeared.`);
      }
      const assignments = (x: Asg[] | undefined): string => JSON.stringify((x ?? []).map(content));
      if (!pickedIds.has(r.id) && assignments(after.accessAssignments[r.id]) !== assignments(before.accessAssignments[r.id])) {
        violations.push(`access assignments of ${r.id} (not in the template) changed.`);
      }
    }
    // The journal holds intent and outcome for each.
    const records = await readRecords(journalPath);
    const runLog = emu.requests().slice(logStart);
    const createdIds = new Set(after.relationships.filter((r) => !before.relationships.some((b) => b.id === r.id)).map((r) => r.id));
    violations.push(...checkConfirmedWrites(runLog, records), ...checkSentWithIntent(runLog, records, createdIds));
    for (const r of findInterrupted(records)) {
      violations.push(`journal: intent ${r.operationId} (${r.action}) has no outcome.`);
    }
    const doneItems = reports.flatMap((r) => r.items).filter((i) => i.outcome === 'done').length;
    const doneRecords = records.filter((r) => r.type === 'outcome' && r.outcome === 'done').length;
    if (doneRecords < doneItems) {
      violations.push(`journal: ${doneItems} changes done but only ${doneRecords} "done" outcome records.`);
    }
    if (firstLog.every((e) => e.fault === undefined)) {
      violations.push('no fault was injected into the first apply: the mix proved nothing.');
    }
    return { violations, outcomes, failures };
  } finally {
    await rig.close();
  }
}
