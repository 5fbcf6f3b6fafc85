import { english, msg, type Message } from '../messages';
import type { ActionContext, ItemOutcome, JournalAction, JournalRecord } from './actionTypes';
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
  /** One human line for the CLI's stderr and the extension's log, in English. */
  readonly message: string;
  /** `message` as a code with parameters, for the extension's notification (src/core/messages.ts). */
  readonly summaryMessage: Message;
}

/**
 * Each mutation's name as its strategy's `label` says it in English (a unit test keeps the two equal), as a
 * message so that a translating face names the action in its language, not in English inside its sentence.
 */
export const ACTION_LABELS: Readonly<Record<JournalAction, Message>> = {
  terminateRelationship: msg('Terminate relationship'),
  removeAccessAssignment: msg('Remove access assignment'),
  removeDap: msg('Remove DAP'),
  autoExtendOn: msg('Turn auto-extend on for'),
  autoExtendOff: msg('Turn auto-extend off for'),
  removeGlobalAdministrator: msg('Remove Global Administrator from'),
  makeRenewable: msg('Make renewable'),
  renewRelationship: msg('Renew'),
  createRelationship: msg('Create relationship'),
  lockForApproval: msg('Lock for approval'),
  deleteRelationship: msg('Delete draft relationship'),
  createAccessAssignment: msg('Assign group'),
  setAccessAssignmentRoles: msg('Set assignment roles'),
};

/** "<action> "<name>" (<id>)", or "<action> <id>" without a name; an action this build does not know by its word. */
function targetLabel(action: string, targetId: string, name: string | undefined): Message {
  const known = Object.prototype.hasOwnProperty.call(ACTION_LABELS, action) ? ACTION_LABELS[action as JournalAction] : undefined;
  const what = known ?? action;
  return name !== undefined ? msg('{0} "{1}" ({2})', what, name, targetId) : msg('{0} {1}', what, targetId);
}

/** The summary's English line and its message at once. */
function said(message: Message): { readonly message: string; readonly summaryMessage: Message } {
  return { message: english(message), summaryMessage: message };
}

/** The target read afresh, or why it could not be read (a message when this code says why, else the error's text). */
async function readAfresh(
  ctx: ActionContext,
  intent: JournalRecord,
): Promise<
  { readonly ok: true; readonly state: string; readonly reached: boolean } | { readonly ok: false; readonly why: string | Message }
> {
  const strategy = strategyFor(intent.action);
  if (strategy === undefined) {
    return { ok: false, why: msg('"{0}" is not an action this version knows', intent.action) };
  }
  const target: unknown = strategy.fromJournal(intent.target);
  if (target === undefined) {
    return { ok: false, why: msg('the journal record does not name its target') };
  }
  try {
    try {
      const value: unknown = await strategy.readOne(ctx, target, callOptions(ctx.signal));
      return { ok: true, ...strategy.tookEffect({ ok: true, value }) };
    } catch (error) {
      if (describeError(error).kind !== 'notFound') {
        throw error;
      }
      return { ok: true, ...strategy.tookEffect({ ok: false, error }) };
    }
  } catch (error) {
    return { ok: false, why: describeError(error).message };
  }
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
    const label = targetLabel(intent.action, targetId, name);
    const base = { operationId: intent.operationId, action: intent.action, targetId, ...(name !== undefined ? { name } : {}) };
    const observed = await readAfresh(ctx, intent);
    if (!observed.ok) {
      const unread = msg(
        '{0} was interrupted at {1}; its state could not be read ({2}). It will be checked again next time.',
        label,
        intent.time,
        observed.why,
      );
      summaries.push({ ...base, state: null, reachedEndState: null, ...said(unread) });
      continue;
    }
    const outcome: ItemOutcome = observed.reached ? 'done' : 'failed';
    const summary = observed.reached
      ? msg('{0} was interrupted at {1}; it is now "{2}", so the change took effect.', label, intent.time, observed.state)
      : msg(
          '{0} was interrupted at {1}; it is now "{2}", so the change did not take effect. Run it again if it is still wanted.',
          label,
          intent.time,
          observed.state,
        );
    const { message } = said(summary);
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
      const unrecorded = msg('{0} (The journal could not be updated: {1})', summary, describeError(error).message);
      summaries.push({ ...base, state: observed.state, reachedEndState: observed.reached, ...said(unrecorded) });
      continue;
    }
    summaries.push({ ...base, state: observed.state, reachedEndState: observed.reached, ...said(summary) });
  }
  return summaries;
}
