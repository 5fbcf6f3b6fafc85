import type { ActionContext, ItemOutcome, ItemResult, MutationOptions } from '../actions/actionTypes';
import { loadInventory, type Inventory } from '../actions/inventory';
import { runMutation } from '../actions/mutationPipeline';
import type { PlannedAssignmentStore } from '../actions/plannedAssignments';
import { autoExtendStrategy } from '../actions/strategies/autoExtend';
import { createAccessAssignmentStrategy, type AssignTarget } from '../actions/strategies/createAccessAssignment';
import { createRelationshipStrategy, type CreateRelationshipTarget } from '../actions/strategies/createRelationship';
import { lockForApprovalStrategy } from '../actions/strategies/lockForApproval';
import { removeAccessAssignmentStrategy, type AssignmentTarget } from '../actions/strategies/removeAccessAssignment';
import { removeGlobalAdministratorStrategy } from '../actions/strategies/removeGlobalAdministrator';
import { setAssignmentRolesStrategy, type SetRolesTarget } from '../actions/strategies/setAssignmentRoles';
import { lockFailedAfterCreate } from '../actions/onboarding';
import type { GdapApi } from '../graph/gdapApi';
import { english, msg, type Message } from '../messages';
import { changeKey, planTemplate, type TemplateAction, type TemplateChange, type TemplatePlan } from './planner';
import type { GdapTemplate } from './templateModel';

/*
 * Apply (docs/templates.md): read again, plan again, and run each change as a target of its existing
 * strategy on the mutation pipeline — phase by phase, every phase one batched pipeline run. Nothing is
 * sent here directly: journalling, reconciling by reading and waiting are the pipeline's.
 */

/** The one read a plan needs: the inventory with access assignments (relationship pages, customers, ⌈active/20⌉ batches). */
export function readTemplateState(
  graph: GdapApi,
  options: { readonly signal?: AbortSignal; readonly source?: string } = {},
): Promise<Inventory> {
  return loadInventory(graph, {
    includeAssignments: true,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  });
}

/** What happened to one change. `changed`: it differs from what was confirmed, so it was not applied. */
export interface TemplateApplyItem {
  readonly change: TemplateChange;
  readonly outcome: ItemOutcome | 'changed';
  readonly status: string | null;
  readonly error: string | null;
  /** `error` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly errorMessage?: Message;
  /** The relationship a create made (and locked for approval). */
  readonly createdRelationshipId?: string;
}

export interface TemplateApplyReport {
  /** The plan apply made from its fresh read. */
  readonly plan: TemplatePlan;
  readonly items: readonly TemplateApplyItem[];
}

export interface ApplyTemplateOptions extends MutationOptions {
  /** The plan the user confirmed: a change that differs from it now is reported `changed`, not applied. */
  readonly confirmed?: TemplatePlan;
  /** Where the assignments of new relationships wait for the customer's approval. */
  readonly store: PlannedAssignmentStore;
  /** Called with each phase before it runs, e.g. for progress. */
  readonly onPhase?: (action: TemplateAction, count: number) => void;
}

const sameChange = (a: TemplateChange, b: TemplateChange): boolean =>
  JSON.stringify([a.before, a.after, a.reason, a.assignmentId ?? null]) ===
  JSON.stringify([b.before, b.after, b.reason, b.assignmentId ?? null]);

const CHANGED_SINCE_CONFIRMED = msg('Changed since the plan was confirmed; plan again to review it.');

/** Sorts the fresh plan against the confirmed one: what may run, and what is reported instead. */
function reconcileWithConfirmed(
  fresh: TemplatePlan,
  confirmed: TemplatePlan | undefined,
): { readonly run: TemplateChange[]; readonly reported: TemplateApplyItem[] } {
  const run: TemplateChange[] = [];
  const reported: TemplateApplyItem[] = [];
  const before = new Map((confirmed?.changes ?? []).map((c) => [changeKey(c), c]));
  for (const change of fresh.changes) {
    const was = before.get(changeKey(change));
    before.delete(changeKey(change));
    if (confirmed !== undefined && was === undefined) {
      reported.push(reportedItem(change, 'changed', msg('New since the plan was confirmed; plan again to review it.')));
    } else if (was !== undefined && !sameChange(was, change)) {
      reported.push(reportedItem(change, 'changed', CHANGED_SINCE_CONFIRMED));
    } else if (change.reason !== null) {
      reported.push({ change, outcome: 'skipped', status: null, error: change.reason });
    } else {
      run.push(change);
    }
  }
  const target = (c: TemplateChange): string =>
    [c.customerTenantId, c.entry.toLowerCase(), c.relationshipId ?? '', c.groupId ?? ''].join('|');
  const freshTargets = new Set(fresh.changes.map(target));
  for (const gone of before.values()) {
    if (gone.reason !== null) {
      reported.push({ change: gone, outcome: 'skipped', status: null, error: gone.reason });
    } else if (freshTargets.has(target(gone))) {
      // The same target now needs another change: decided again and reported with it, not applied.
      reported.push(reportedItem(gone, 'changed', CHANGED_SINCE_CONFIRMED));
    } else {
      reported.push({ change: gone, outcome: 'alreadyDone', status: null, error: null });
    }
  }
  return { run, reported };
}

const toItem = (change: TemplateChange, r: ItemResult): TemplateApplyItem => ({
  change,
  outcome: r.outcome,
  status: r.status,
  error: r.error,
  ...(r.errorMessage !== undefined ? { errorMessage: r.errorMessage } : {}),
});

/** An item reported instead of run, with its reason in English and as a message. */
const reportedItem = (change: TemplateChange, outcome: TemplateApplyItem['outcome'], message: Message): TemplateApplyItem => ({
  change,
  outcome,
  status: null,
  error: english(message),
  errorMessage: message,
});

async function runCreates(
  ctx: ActionContext,
  changes: readonly TemplateChange[],
  options: ApplyTemplateOptions,
): Promise<TemplateApplyItem[]> {
  const targets: CreateRelationshipTarget[] = changes.map((c) => {
    const op = c.operation as Extract<TemplateChange['operation'], { kind: 'create' }>;
    return {
      displayName: op.displayName,
      duration: op.duration,
      roleDefinitionIds: op.roleDefinitionIds,
      customerTenantId: op.customerTenantId,
      autoExtendDuration: op.autoExtendDuration,
    };
  });
  const strategy = createRelationshipStrategy();
  const created = await runMutation(ctx, strategy, targets, options);
  const made = targets.map((t) => strategy.created.get(strategy.key(t)));
  const toLock = made.filter((r, i) => r !== undefined && created[i].outcome === 'done').map((r) => r?.id as string);
  const locked = new Map<string, ItemResult>();
  if (toLock.length > 0) {
    const results = await runMutation(ctx, lockForApprovalStrategy, toLock, options);
    toLock.forEach((id, i) => locked.set(id, results[i]));
  }
  const items: TemplateApplyItem[] = [];
  for (const [i, change] of changes.entries()) {
    const relationship = made[i];
    const op = change.operation as Extract<TemplateChange['operation'], { kind: 'create' }>;
    if (relationship === undefined || created[i].outcome !== 'done') {
      items.push(toItem(change, created[i]));
      continue;
    }
    if (op.assignments.length > 0) {
      await options.store.set(
        relationship.id,
        op.assignments.map((a) => ({ groupId: a.groupId, roleDefinitionIds: a.roleDefinitionIds })),
      );
    }
    const lock = locked.get(relationship.id);
    items.push(
      lock === undefined || lock.outcome === 'failed'
        ? {
            change,
            outcome: 'failed',
            status: lock?.status ?? relationship.status,
            createdRelationshipId: relationship.id,
            ...lockFailedAfterCreate(relationship.id, lock),
          }
        : { change, outcome: 'done', status: lock.status, error: null, createdRelationshipId: relationship.id },
    );
  }
  return items;
}

async function runPhase(
  ctx: ActionContext,
  action: TemplateAction,
  changes: readonly TemplateChange[],
  options: ApplyTemplateOptions,
): Promise<TemplateApplyItem[]> {
  const relationshipIds = (): string[] => changes.map((c) => (c.operation as { relationshipId: string }).relationshipId);
  let results: ItemResult[];
  switch (action) {
    case 'create':
      return runCreates(ctx, changes, options);
    case 'removeGa':
      results = await runMutation(ctx, removeGlobalAdministratorStrategy, relationshipIds(), options);
      break;
    case 'autoExtendOn':
    case 'autoExtendOff':
      results = await runMutation(ctx, autoExtendStrategy(action === 'autoExtendOn'), relationshipIds(), options);
      break;
    case 'setRoles': {
      const targets = changes.map((c) => {
        const op = c.operation as Extract<TemplateChange['operation'], { kind: 'setRoles' }>;
        return {
          relationshipId: op.relationshipId,
          assignmentId: op.assignmentId,
          roleDefinitionIds: op.roleDefinitionIds,
        } satisfies SetRolesTarget;
      });
      results = await runMutation(ctx, setAssignmentRolesStrategy, targets, options);
      break;
    }
    case 'assign': {
      const targets = changes.map((c) => {
        const op = c.operation as Extract<TemplateChange['operation'], { kind: 'assign' }>;
        return { relationshipId: op.relationshipId, groupId: op.groupId, roleDefinitionIds: op.roleDefinitionIds } satisfies AssignTarget;
      });
      results = await runMutation(ctx, createAccessAssignmentStrategy(), targets, options);
      break;
    }
    case 'unassign': {
      const targets = changes.map((c) => {
        const op = c.operation as Extract<TemplateChange['operation'], { kind: 'unassign' }>;
        // The ETag planned on: a change to the assignment since then answers 412 and is not removed.
        return {
          relationshipId: op.relationshipId,
          assignmentId: op.assignmentId,
          customerTenantId: c.customerTenantId,
          ...(c.customerName !== null ? { customerName: c.customerName } : {}),
          ...(op.etag !== null ? { etag: op.etag } : {}),
        } satisfies AssignmentTarget;
      });
      results = await runMutation(ctx, removeAccessAssignmentStrategy, targets, options);
      break;
    }
  }
  return changes.map((c, i) => toItem(c, results[i]));
}

/** Phases in the order apply runs them: new relationships first, removals last (access is granted before any is taken). */
const PHASES: readonly TemplateAction[] = ['create', 'removeGa', 'autoExtendOn', 'autoExtendOff', 'setRoles', 'assign', 'unassign'];

/**
 * Re-reads, re-plans and applies. Each change runs as a target of its strategy; a change that differs
 * from `options.confirmed` is reported `changed` and not applied. Items come back in plan order.
 */
export async function applyTemplate(
  ctx: ActionContext,
  template: GdapTemplate,
  options: ApplyTemplateOptions,
): Promise<TemplateApplyReport> {
  const inventory = await readTemplateState(ctx.graph, ctx.signal !== undefined ? { signal: ctx.signal } : {});
  const plan = planTemplate(template, inventory);
  const { run, reported } = reconcileWithConfirmed(plan, options.confirmed);
  const done = new Map<TemplateChange, TemplateApplyItem>();
  for (const phase of PHASES) {
    const changes = run.filter((c) => c.action === phase);
    if (changes.length === 0) {
      continue;
    }
    if (ctx.signal?.aborted === true) {
      for (const c of changes) {
        done.set(c, reportedItem(c, 'failed', msg('Cancelled before this change was started.')));
      }
      continue;
    }
    options.onPhase?.(phase, changes.length);
    for (const item of await runPhase(ctx, phase, changes, options)) {
      done.set(item.change, item);
    }
  }
  const order = new Map(plan.changes.map((c, i) => [c, i]));
  const items = [...run.map((c) => done.get(c) as TemplateApplyItem), ...reported].sort(
    (a, b) => (order.get(a.change) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.change) ?? Number.MAX_SAFE_INTEGER),
  );
  return { plan, items };
}
