import type { ActionContext, ItemOutcome, JournalRecord } from './actionTypes';
import { describeError } from './errorFacts';
import { autoExtends, includesGlobalAdministrator, isAutoExtendOn, type RelationshipLike } from './relationshipFacts';

export interface ReconcileSummary {
  readonly operationId: string;
  readonly action: JournalRecord['action'];
  /** Relationship id, `<relationshipId>/<assignmentId>` or customer tenant id. */
  readonly targetId: string;
  readonly name?: string;
  /** What the target is now (API status, `gone`, `dapOff`/`dapOn`), null when it could not be read. */
  readonly state: string | null;
  /** Whether the interrupted action's end state (or its way there) is now observed. */
  readonly reachedEndState: boolean | null;
  /** One human line for the extension's notification / the CLI's stderr. */
  readonly message: string;
}

const ACTION_WORDS: Record<JournalRecord['action'], string> = {
  terminateRelationship: 'Terminate relationship',
  removeAccessAssignment: 'Remove access assignment',
  removeDap: 'Remove DAP',
  autoExtendOn: 'Turn auto-extend on for',
  autoExtendOff: 'Turn auto-extend off for',
  removeGlobalAdministrator: 'Remove Global Administrator from',
  makeRenewable: 'Make renewable',
  renewRelationship: 'Renew',
};

function targetIdOf(record: JournalRecord): string {
  const t = record.target;
  if (record.action === 'removeAccessAssignment') {
    return `${t.relationshipId ?? '?'}/${t.assignmentId ?? '?'}`;
  }
  if (record.action === 'removeDap') {
    return t.customerTenantId ?? '?';
  }
  return t.relationshipId ?? '?';
}

const RENEWAL_ACTIONS = new Set<JournalRecord['action']>([
  'autoExtendOn',
  'autoExtendOff',
  'removeGlobalAdministrator',
  'makeRenewable',
  'renewRelationship',
]);

/** Whether a renewal mutation's end state shows on its relationship. */
function renewalReached(action: JournalRecord['action'], r: RelationshipLike): boolean {
  switch (action) {
    case 'autoExtendOn':
    case 'makeRenewable':
      return autoExtends(r);
    case 'autoExtendOff':
      return !isAutoExtendOn(r);
    case 'removeGlobalAdministrator':
      return !includesGlobalAdministrator(r);
    default:
      return false;
  }
}

async function readState(ctx: ActionContext, record: JournalRecord): Promise<{ state: string; reached: boolean }> {
  const t = record.target;
  try {
    if (record.action === 'terminateRelationship') {
      const r = await ctx.graph.getRelationship(t.relationshipId ?? '', ctx.signal !== undefined ? { signal: ctx.signal } : {});
      return { state: r.status, reached: ['terminationRequested', 'terminating', 'terminated'].includes(r.status) };
    }
    if (record.action === 'renewRelationship') {
      // The intent names the successor (a unique name): its existence is the end state.
      const all = await ctx.graph.listAllRelationships({
        ...(t.customerTenantId !== undefined ? { customerTenantId: t.customerTenantId } : {}),
        ...(ctx.signal !== undefined ? { signal: ctx.signal } : {}),
      });
      const successor = all.find((r) => r.displayName === t.name);
      return { state: successor?.status ?? 'noSuccessor', reached: successor !== undefined && successor.status !== 'created' };
    }
    if (RENEWAL_ACTIONS.has(record.action)) {
      const r = await ctx.graph.getRelationship(t.relationshipId ?? '', ctx.signal !== undefined ? { signal: ctx.signal } : {});
      return { state: r.status, reached: renewalReached(record.action, r) };
    }
    if (record.action === 'removeAccessAssignment') {
      const a = await ctx.graph.getAccessAssignment(
        t.relationshipId ?? '',
        t.assignmentId ?? '',
        ctx.signal !== undefined ? { signal: ctx.signal } : {},
      );
      return { state: a.status, reached: a.status === 'deleting' || a.status === 'deleted' };
    }
    const c = await ctx.partnerCenter.getCustomer(t.customerTenantId ?? '', ctx.signal !== undefined ? { signal: ctx.signal } : {});
    const state = c.allowDelegatedAccess === false ? 'dapOff' : c.allowDelegatedAccess === true ? 'dapOn' : 'unknown';
    return { state, reached: state === 'dapOff' };
  } catch (error) {
    if (describeError(error).kind === 'notFound') {
      // A deleted assignment answers 404 (docs/api-notes.md §14.4); a missing relationship or customer did not end as asked.
      return { state: 'gone', reached: record.action === 'removeAccessAssignment' };
    }
    throw error;
  }
}

/**
 * For intents left without an outcome (a crash or kill between the two records): re-read each target,
 * append a `reconciled` record saying what it is now, and return one line per target to show the user
 * ( an interrupted run is detected at next start and reconciled by reading).
 * A target that cannot be read gets no record, so the next start tries again.
 */
export async function reconcileInterrupted(ctx: ActionContext, interrupted: readonly JournalRecord[]): Promise<ReconcileSummary[]> {
  const summaries: ReconcileSummary[] = [];
  for (const intent of interrupted) {
    if (intent.type !== 'intent') {
      continue;
    }
    const targetId = targetIdOf(intent);
    const name = intent.target.name;
    const label = `${ACTION_WORDS[intent.action]} ${name !== undefined ? `"${name}" (${targetId})` : targetId}`;
    const base = { operationId: intent.operationId, action: intent.action, targetId, ...(name !== undefined ? { name } : {}) };
    let observed: { state: string; reached: boolean };
    try {
      observed = await readState(ctx, intent);
    } catch (error) {
      summaries.push({
        ...base,
        state: null,
        reachedEndState: null,
        message: `${label} was interrupted at ${intent.time}; its state could not be read (${describeError(error).message}). It will be checked again next time.`,
      });
      continue;
    }
    const outcome: ItemOutcome = observed.reached ? 'done' : 'failed';
    const message = observed.reached
      ? `${label} was interrupted at ${intent.time}; it is now "${observed.state}", so the change took effect.`
      : `${label} was interrupted at ${intent.time}; it is now "${observed.state}", so the change did not take effect. Run it again if it is still wanted.`;
    try {
      await ctx.journal.append({
        time: new Date().toISOString(),
        type: 'reconciled',
        operationId: intent.operationId,
        action: intent.action,
        actor: intent.actor,
        cloud: intent.cloud,
        target: intent.target,
        outcome,
        status: observed.state,
        error: null,
        note: message,
      });
    } catch (error) {
      summaries.push({
        ...base,
        state: observed.state,
        reachedEndState: observed.reached,
        message: `${message} (The journal could not be updated: ${describeError(error).message})`,
      });
      continue;
    }
    summaries.push({ ...base, state: observed.state, reachedEndState: observed.reached, message });
  }
  return summaries;
}
