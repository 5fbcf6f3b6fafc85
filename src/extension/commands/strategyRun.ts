import type { ItemResult, MutationOptions } from '../../core/actions/actionTypes';
import type { Confirmation } from '../../core/actions/confirmations';
import { planMutation, runMutation } from '../../core/actions/mutationPipeline';
import type { MutationStrategy, PlanItemBase } from '../../core/actions/mutationStrategy';
import { isCancellation } from '../ui/errorFunnel';
import { withCancellableProgress, withViewProgress } from '../ui/progress';
import { actionContext, type CommandDeps } from './commandDeps';
import { confirmPlan, progressReporter, type ProgressWords } from './mutationProgress';
import { reportResults } from './report';

/*
 * The extension's one skeleton for a mutation (docs/pipeline.md): plan from fresh reads → confirm exactly
 * that plan → cancellable progress with names → the strategy on the pipeline → per-item report → tree
 * refresh. A target that changed while the user looked at the modal (412) is planned again and asked
 * about again with what it holds now, never changed unseen. Every command that changes something is
 * this function plus its words.
 */

/** How many times a target that changed under the user is shown again before it is reported as failed. */
export const MAX_STALE_RETRIES = 3;

export interface ExtensionMutation<T, S, P extends PlanItemBase, C> {
  /** The command's title, already localised: the progress title and the report's verb. */
  readonly title: string;
  readonly strategy: MutationStrategy<T, S, P, C>;
  readonly targets: readonly T[];
  /** The confirmation of a plan; `changedSinceShown` after a 412 sent the targets back to the user. */
  confirmation(plan: readonly P[], changedSinceShown: boolean): Confirmation;
  /** The log's name of the mutation when the user cancels ("Turn on auto-extend"). */
  readonly logName: string;
  readonly words: ProgressWords;
  /** The display name of a target in progress and report texts (never a long id when a name is known). */
  name(item: P, target: T): string;
  /** The tree nodes shown busy while a target runs, and the label they show. */
  readonly busy?: { readonly label: string; nodeIds(target: T): readonly string[] };
  readonly options?: MutationOptions;
  /**
   * The user already confirmed this step in an earlier question of the same flow (the create
   * confirmation names the lock that follows): no modal on the first pass; after a 412 it asks.
   */
  readonly confirmedBefore?: boolean;
  /** The target as it is sent, bound to the plan the user confirmed (e.g. carrying that plan's ETag). */
  bind?(target: T, item: P): T;
  /** After each run: refresh what changed (the default reloads the customers of the targets' nodes). */
  afterRun(results: readonly ItemResult[], acted: readonly T[]): Promise<void>;
}

/**
 * Runs `m` from plan to report. Resolves with every settled result (empty when the user declined or
 * nothing applied); a cancellation of the progress ends quietly with what was reported so far.
 */
// Long because: plan, confirm, busy marks, progress, report and the 412 re-ask loop are one flow over shared state.
export async function runExtensionMutation<T, S, P extends PlanItemBase, C>(
  deps: CommandDeps,
  m: ExtensionMutation<T, S, P, C>,
): Promise<ItemResult[]> {
  const settledAll: ItemResult[] = [];
  let targets = [...m.targets];
  for (let attempt = 0; attempt <= MAX_STALE_RETRIES && targets.length > 0; attempt++) {
    const clients = deps.clients();
    const plan = await withViewProgress(() =>
      planMutation({ graph: clients.graph, partnerCenter: clients.partnerCenter }, m.strategy, targets),
    );
    const askedBefore = m.confirmedBefore === true && attempt === 0;
    if (!askedBefore && !(await confirmPlan(deps, m.confirmation(plan, attempt > 0), m.logName))) {
      return settledAll;
    }
    const acting = targets.flatMap((t, i) => (plan[i].willAct ? [m.bind?.(t, plan[i]) ?? t] : []));
    const names = new Map(targets.map((t, i) => [m.strategy.key(t), m.name(plan[i], t)]));
    const busyIds = m.busy === undefined ? [] : acting.flatMap((t) => m.busy?.nodeIds(t) ?? []);
    setBusy(deps, busyIds, m.busy?.label);
    let results: ItemResult[] = [];
    try {
      results = await withCancellableProgress(m.title, async (signal, report) => {
        const progress = progressReporter(
          acting.map((t) => ({ id: m.strategy.key(t), name: names.get(m.strategy.key(t)) ?? m.strategy.key(t) })),
          m.words,
          (status) => m.strategy.isEndState(status),
          report,
        );
        const ctx = await actionContext(deps, signal, progress.onProgress, progress.onItem);
        // The intent records keep the impact the user confirmed (docs/access.md).
        const confirmed = new Map(targets.map((t, i) => [m.strategy.key(t), plan[i]]));
        return runMutation(ctx, m.strategy, acting, { ...m.options, confirmedPlan: confirmed });
      });
    } catch (e) {
      if (!isCancellation(e)) {
        throw e;
      }
    } finally {
      setBusy(deps, busyIds, undefined);
    }
    const named = results.map((r) => ({ ...r, name: r.name ?? names.get(r.id) }));
    // After the last attempt a target that changed again is reported like any other failure.
    const lastAttempt = attempt === MAX_STALE_RETRIES;
    const stale = new Set(lastAttempt ? [] : named.filter((r) => r.errorKind === 'preconditionFailed').map((r) => r.id));
    const settled = named.filter((r) => !stale.has(r.id));
    if (settled.length > 0) {
      reportResults(deps, m.title, settled);
    }
    settledAll.push(...settled);
    await m.afterRun(named, acting);
    targets = targets.filter((t) => stale.has(m.strategy.key(t)));
  }
  return settledAll;
}

function setBusy(deps: CommandDeps, nodeIds: readonly string[], label: string | undefined): void {
  for (const id of nodeIds) {
    deps.tree.store.setBusy(id, label);
    const node = deps.tree.findNode(id);
    if (node !== undefined) {
      deps.tree.repaint(node);
    }
  }
}

/** Progress words for a mutation whose waiting is one sentence about the target (`{0}` is its name). */
export function waitingWords(one: (name: string) => string, many: (name: string, index: number, total: number) => string): ProgressWords {
  return { waiting: (name, index, total) => (total === 1 ? one(name) : many(name, index, total)) };
}

/**
 * Reloads what a change to `relationshipIds` touched: the customers that hold them, each alone and all at
 * once (past 20 customers the whole tree: GdapTreeProvider.reloadCustomers); the whole tree when
 * one of them has no customer yet (an invitation any customer may approve).
 */
export function reloadCustomersOf(deps: CommandDeps, relationshipIds: readonly string[]): Promise<void> {
  return reloadTenants(
    deps,
    relationshipIds.map((id) => deps.tree.store.findRelationship(id)?.customer.tenantId),
  );
}

/**
 * Reads these customers again, each once whatever the case of its id (past 20 customers the whole
 * tree: GdapTreeProvider.reloadCustomers); the whole tree when one is unknown (no customer yet).
 */
export async function reloadTenants(deps: CommandDeps, tenantIds: readonly (string | null | undefined)[]): Promise<void> {
  const byKey = new Map<string, string>();
  for (const tenantId of tenantIds) {
    if (tenantId === undefined || tenantId === null || tenantId === '') {
      await deps.tree.refresh();
      return;
    }
    byKey.set(tenantId.toLowerCase(), tenantId);
  }
  await deps.tree.reloadCustomers([...byKey.values()]);
}
