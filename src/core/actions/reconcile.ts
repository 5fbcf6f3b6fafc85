import type { ActionContext, ItemOutcome, JournalRecord } from './actionTypes';
import { describeError } from './errorFacts';
import { callOptions } from './mutationStrategy';
import { strategyFor } from './strategies/registry';

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

/**
 * For intents left without an outcome (a crash or kill between the two records): re-read each target
 * through its mutation's strategy, append a `reconciled` record saying what it is now, and return one
 * line per target to show the user. A target that cannot be read gets no record, so the next start
 * tries again.
 */
export async function reconcileInterrupted(ctx: ActionContext, interrupted: readonly JournalRecord[]): Promise<ReconcileSummary[]> {
  const summaries: ReconcileSummary[] = [];
  for (const intent of interrupted) {
    if (intent.type !== 'intent') {
      continue;
    }
    const strategy = strategyFor(intent.action);
    const target: unknown = strategy?.fromJournal(intent.target);
    const targetId = strategy !== undefined && target !== undefined ? strategy.key(target) : '?';
    const name = intent.target.name;
    const label = `${strategy?.label ?? intent.action} ${name !== undefined ? `"${name}" (${targetId})` : targetId}`;
    const base = { operationId: intent.operationId, action: intent.action, targetId, ...(name !== undefined ? { name } : {}) };
    let observed: { readonly state: string; readonly reached: boolean };
    try {
      if (strategy === undefined) {
        throw new Error(`"${intent.action}" is not an action this version knows`);
      }
      if (target === undefined) {
        throw new Error('the journal record does not name its target');
      }
      try {
        const value: unknown = await strategy.readOne(ctx, target, callOptions(ctx.signal));
        observed = strategy.tookEffect({ ok: true, value });
      } catch (error) {
        if (describeError(error).kind !== 'notFound') {
          throw error;
        }
        observed = strategy.tookEffect({ ok: false, error });
      }
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
