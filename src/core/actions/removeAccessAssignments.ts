import type { BatchItemResult } from '../graph/gdapApi';
import type { AccessAssignment } from '../graph/models';
import { ACTION_DEFAULTS } from './actionDefaults';
import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { BatchPoller, type PollVerdict } from './batchPoller';
import { describeError, failedItem, mayHaveApplied } from './errorFacts';
import { readToReconcile } from './readToReconcile';
import { OperationJournal } from './operationJournal';
import { runBounded } from './runBounded';

export interface AssignmentTarget {
  readonly relationshipId: string;
  readonly assignmentId: string;
  /** Names for the journal and the report, when the caller knows them (from its plan or tree). */
  readonly name?: string;
  readonly customerTenantId?: string;
  readonly customerName?: string;
  /**
   * The ETag of the assignment as the caller showed it to the user (its confirmation). When set, the
   * DELETE carries it instead of the one just read, so a change made since the user confirmed gets 412
   * (`preconditionFailed`) rather than removing something the user did not see.
   */
  readonly etag?: string;
}

/** Status reported once an assignment is gone (404) or reads `deleted`. */
const GONE = 'deleted';

type Step = { readonly final: ItemResult } | { readonly wait: Promise<ItemResult> };

export function assignmentKey(target: { relationshipId: string; assignmentId: string }): string {
  return `${target.relationshipId}/${target.assignmentId}`;
}

type Observed =
  | { readonly kind: 'gone' }
  | { readonly kind: 'present'; readonly assignment: AccessAssignment }
  | { readonly kind: 'error'; readonly error: unknown };

function observe(item: BatchItemResult<AccessAssignment> | undefined): Observed | undefined {
  if (item === undefined) {
    return undefined;
  }
  if (item.ok) {
    return item.value.status === 'deleted' ? { kind: 'gone' } : { kind: 'present', assignment: item.value };
  }
  // docs/api-notes.md §3.13/§14.4: after the 204 a GET may answer 404 or an item in deleting/deleted; both mean gone.
  return item.error.kind === 'notFound' ? { kind: 'gone' } : { kind: 'error', error: item.error };
}

function removalVerdict(item: BatchItemResult<AccessAssignment>): PollVerdict {
  const seen = observe(item);
  if (seen === undefined || seen.kind === 'error') {
    return { state: 'pending', status: null };
  }
  if (seen.kind === 'gone') {
    return { state: 'done', status: GONE };
  }
  if (seen.assignment.status === 'error') {
    return { state: 'failed', status: 'error', message: 'The service reported the assignment in status "error" while removing it.' };
  }
  return { state: 'pending', status: seen.assignment.status };
}

/**
 * Removes access assignments (`DELETE` with `If-Match`, docs/api-notes.md §3.13) — read → decide → journal intent
 * → delete → journal outcome → wait until gone (404 or `deleted`, batched polls). A 412 re-reads and
 * reports `preconditionFailed` ("changed since it was read") unless the re-read shows it gone. Results
 * are in the order of `targets`, ids `<relationshipId>/<assignmentId>`.
 */
export async function removeAccessAssignments(
  ctx: ActionContext,
  targets: readonly AssignmentTarget[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  const wait = options.wait !== false;
  const timeoutMs = options.timeoutMs ?? ACTION_DEFAULTS.waitTimeoutMs;
  const { signal } = ctx;
  const callOptions = signal !== undefined ? { signal } : {};
  const unique = [...new Map(targets.map((t) => [assignmentKey(t), t])).values()];
  const results = new Array<ItemResult>(unique.length);
  const waits: Promise<void>[] = [];
  const finish = (index: number, result: ItemResult): void => {
    results[index] = result;
    ctx.onItem?.(result);
  };
  const refs = (t: AssignmentTarget): { relationshipId: string; assignmentId: string } => ({
    relationshipId: t.relationshipId,
    assignmentId: t.assignmentId,
  });
  const poller = new BatchPoller<AccessAssignment>(
    (keys, s) => {
      const list = keys.map((k) => {
        const slash = k.indexOf('/');
        return { relationshipId: k.slice(0, slash), assignmentId: k.slice(slash + 1) };
      });
      return ctx.graph.getAccessAssignmentsMany(list, { signal: s });
    },
    {
      intervalMs: options.pollIntervalMs ?? ACTION_DEFAULTS.pollIntervalMs,
      ...(signal !== undefined ? { signal } : {}),
      ...(ctx.onProgress !== undefined ? { onStatus: ctx.onProgress } : {}),
    },
  );

  let prefetched = new Map<string, BatchItemResult<AccessAssignment>>();
  if (unique.length > 0 && signal?.aborted !== true) {
    try {
      prefetched = await ctx.graph.getAccessAssignmentsMany(unique.map(refs), callOptions);
    } catch {
      // Fall back to a read per target below.
    }
  }

  const readOne = async (t: AssignmentTarget): Promise<Observed> => {
    try {
      const a = await readToReconcile(() => ctx.graph.getAccessAssignment(t.relationshipId, t.assignmentId, callOptions));
      return a.status === 'deleted' ? { kind: 'gone' } : { kind: 'present', assignment: a };
    } catch (error) {
      return describeError(error).kind === 'notFound' ? { kind: 'gone' } : { kind: 'error', error };
    }
  };

  const waitGone = async (id: string, name: string | undefined, status: string, outcome: 'done' | 'alreadyDone'): Promise<ItemResult> => {
    const named = name !== undefined ? { name } : {};
    const result = await poller.waitFor(id, removalVerdict, timeoutMs, status);
    if (result.state === 'done' || result.state === 'cancelled') {
      return { id, ...named, outcome, status: result.status, error: null };
    }
    if (result.state === 'timeout') {
      return {
        id,
        ...named,
        outcome: 'failed',
        status: result.status,
        errorKind: 'timeout',
        error: `The removal was accepted but the assignment is still "${result.status ?? 'unknown'}" after ${Math.round(timeoutMs / 1000)} s.`,
      };
    }
    return {
      id,
      ...named,
      outcome: 'failed',
      status: result.status,
      errorKind: 'server',
      error: result.message ?? 'The assignment was not removed.',
    };
  };

  const processTarget = async (t: AssignmentTarget): Promise<Step> => {
    const id = assignmentKey(t);
    const named = t.name !== undefined ? { name: t.name } : {};

    // 1. Read (fresh status and ETag).
    let seen = observe(prefetched.get(id));
    if (seen === undefined || seen.kind === 'error' || (seen.kind === 'present' && seen.assignment.etag === null)) {
      seen = await readOne(t);
    }
    if (seen.kind === 'error') {
      const facts = describeError(seen.error);
      return { final: { id, ...named, outcome: 'failed', status: null, error: facts.message, errorKind: facts.kind } };
    }

    // 2. Decide.
    if (seen.kind === 'gone') {
      return { final: { id, ...named, outcome: 'alreadyDone', status: GONE, error: null } };
    }
    const assignment = seen.assignment;
    const prior = assignment.status;
    if (prior === 'deleting') {
      return wait
        ? { wait: waitGone(id, t.name, prior, 'alreadyDone') }
        : { final: { id, ...named, outcome: 'alreadyDone', status: prior, error: null } };
    }
    if (prior !== 'active') {
      return {
        final: {
          id,
          ...named,
          outcome: 'skipped',
          status: prior,
          error: `Removal applies only to active access assignments; this one is "${prior}".`,
        },
      };
    }
    if (assignment.etag === null) {
      return {
        final: {
          id,
          ...named,
          outcome: 'failed',
          status: prior,
          errorKind: 'invalidResponse',
          error: 'The service returned no ETag for this assignment; it cannot be removed safely.',
        },
      };
    }

    // 3. Intent.
    const journal = new OperationJournal(ctx, 'removeAccessAssignment', {
      relationshipId: t.relationshipId,
      assignmentId: t.assignmentId,
      ...(t.name !== undefined ? { name: t.name } : {}),
      ...(t.customerTenantId !== undefined ? { customerTenantId: t.customerTenantId } : {}),
      ...(t.customerName !== undefined ? { customerName: t.customerName } : {}),
    });
    try {
      await journal.intent(prior, assignment.etag);
    } catch (error) {
      const facts = describeError(error);
      return {
        final: {
          id,
          ...named,
          outcome: 'failed',
          status: prior,
          errorKind: facts.kind,
          error: `Nothing was sent: the action journal could not be written. ${facts.message}`,
        },
      };
    }
    if (signal?.aborted === true) {
      const error = 'Cancelled before the request was sent.';
      await journal.outcome({ outcome: 'failed', status: prior, error });
      return { final: { id, ...named, outcome: 'failed', status: prior, error, errorKind: 'cancelled' } };
    }

    // 4. Delete. DELETE with If-Match is idempotent: re-sending the same ETag cannot remove anything else.
    const etag = t.etag ?? assignment.etag;
    let status: string = 'deleting';
    let note: string | undefined;
    for (let send = 1; ; send += 1) {
      try {
        // Not replayed by the client after a lost answer: a send the service may have applied is reconciled by reading.
        await ctx.graph.deleteAccessAssignment(t.relationshipId, t.assignmentId, etag, { reconcileByReading: true });
        break;
      } catch (error) {
        const facts = describeError(error);
        const reqIds = {
          ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
          ...(facts.clientRequestId !== undefined ? { clientRequestId: facts.clientRequestId } : {}),
        };
        if (facts.kind === 'notFound') {
          status = GONE;
          note = 'The DELETE answered 404: the assignment is gone.';
          break;
        }
        const definite = !mayHaveApplied(error);
        if (definite && facts.kind !== 'preconditionFailed') {
          const journalError = await journal.outcome({ outcome: 'failed', status: prior, error: facts.message, ...reqIds });
          return { final: { id, ...named, outcome: 'failed', status: prior, error: journalError ?? facts.message, errorKind: facts.kind } };
        }
        const now = await readOne(t);
        if (now.kind === 'gone' || (now.kind === 'present' && now.assignment.status === 'deleting')) {
          status = now.kind === 'gone' ? GONE : 'deleting';
          note = `The DELETE failed (${facts.kind}) but reading showed the assignment ${status === GONE ? 'gone' : 'deleting'}; not re-sent.`;
          break;
        }
        if (now.kind === 'present' && facts.kind === 'preconditionFailed') {
          const message = `The access assignment changed since it was read (now "${now.assignment.status}"); nothing was removed. Review it and try again.`;
          const journalError = await journal.outcome({ outcome: 'failed', status: now.assignment.status, error: message, ...reqIds });
          return {
            final: {
              id,
              ...named,
              outcome: 'failed',
              status: now.assignment.status,
              errorKind: 'preconditionFailed',
              error: journalError ?? message,
            },
          };
        }
        if (
          now.kind === 'present' &&
          now.assignment.etag === etag &&
          now.assignment.status === 'active' &&
          send < ACTION_DEFAULTS.maxSends
        ) {
          continue;
        }
        const message =
          now.kind === 'error'
            ? `The outcome is unknown and the request was not re-sent: ${facts.message}`
            : now.assignment.etag !== etag
              ? `The access assignment changed since it was read (now "${now.assignment.status}"); not re-sent.`
              : `Removal failed ${send} times: ${facts.message}`;
        const kind = now.kind === 'present' && now.assignment.etag !== etag ? 'preconditionFailed' : facts.kind;
        const last = now.kind === 'present' ? now.assignment.status : prior;
        const journalError = await journal.outcome({ outcome: 'failed', status: last, error: message, ...reqIds });
        return { final: { id, ...named, outcome: 'failed', status: last, errorKind: kind, error: journalError ?? message } };
      }
    }

    // 5. Outcome, then wait until gone.
    const journalError = await journal.outcome({ outcome: 'done', status, error: null, ...(note !== undefined ? { note } : {}) });
    ctx.onProgress?.(id, status);
    if (journalError !== null) {
      return { final: { id, ...named, outcome: 'done', status, error: journalError } };
    }
    if (status === GONE || !wait) {
      return { final: { id, ...named, outcome: 'done', status, error: null } };
    }
    return { wait: waitGone(id, t.name, status, 'done') };
  };

  await runBounded(
    unique,
    ctx.concurrency ?? ACTION_DEFAULTS.concurrency,
    signal,
    async (t, index) => {
      const step = await processTarget(t);
      if ('final' in step) {
        finish(index, step.final);
      } else {
        waits.push(
          step.wait.then(
            (r) => finish(index, r),
            (error: unknown) => finish(index, failedItem(assignmentKey(t), error)),
          ),
        );
      }
    },
    (t, index) =>
      finish(index, {
        id: assignmentKey(t),
        outcome: 'failed',
        status: null,
        error: 'Cancelled before this target was started.',
        errorKind: 'cancelled',
      }),
    (t, index, error) => finish(index, failedItem(assignmentKey(t), error)),
  );
  await Promise.all(waits);
  const byKey = new Map(unique.map((t, i) => [assignmentKey(t), results[i]]));
  return targets.map((t) => byKey.get(assignmentKey(t)) as ItemResult);
}
