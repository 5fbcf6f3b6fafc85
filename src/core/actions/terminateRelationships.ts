import type { BatchItemResult } from '../graph/gdapApi';
import type { Relationship } from '../graph/models';
import { ACTION_DEFAULTS } from './actionDefaults';
import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { BatchPoller, type PollVerdict } from './batchPoller';
import { describeError, failedItem, mayHaveApplied } from './errorFacts';
import { readToReconcile } from './readToReconcile';
import { OperationJournal } from './operationJournal';
import { runBounded } from './runBounded';

const IN_FLIGHT = new Set(['terminationRequested', 'terminating']);

type Step = { readonly final: ItemResult } | { readonly wait: Promise<ItemResult> };

function failed(id: string, error: unknown, name?: string, status: string | null = null, prefix = ''): ItemResult {
  return failedItem(id, error, { ...(name !== undefined ? { name } : {}), status, prefix });
}

function terminateVerdict(item: BatchItemResult<Relationship>): PollVerdict {
  if (!item.ok) {
    if (item.error.kind === 'notFound') {
      return { state: 'failed', status: null, message: 'The relationship disappeared while it was terminating.' };
    }
    return { state: 'pending', status: null };
  }
  const status = item.value.status;
  if (status === 'terminated') {
    return { state: 'done', status };
  }
  if (IN_FLIGHT.has(status)) {
    return { state: 'pending', status };
  }
  return { state: 'failed', status, message: `The relationship went to "${status}" instead of terminated.` };
}

/**
 * After a terminate POST whose outcome is unknown (docs/api-notes.md §4.3: POST …/requests is not idempotent),
 * read instead of re-sending: the status moved on, or a terminate request is on record, means it was
 * applied. `notApplied` only when the relationship is still active with no live terminate request.
 */
async function reconcileTerminate(
  ctx: ActionContext,
  id: string,
): Promise<{ state: 'applied' | 'notApplied' | 'unknown'; status: string | null; message?: string }> {
  let relationship: Relationship;
  try {
    relationship = await readToReconcile(() => ctx.graph.getRelationship(id));
  } catch (error) {
    return { state: 'unknown', status: null, message: describeError(error).message };
  }
  const status = relationship.status;
  if (status === 'terminated' || IN_FLIGHT.has(status)) {
    return { state: 'applied', status };
  }
  if (status !== 'active') {
    return { state: 'unknown', status, message: `The relationship is now "${status}".` };
  }
  try {
    const requests = await readToReconcile(() => ctx.graph.listRequests(id));
    const live = requests.some((r) => r.action === 'terminate' && r.status !== 'failed');
    return { state: live ? 'applied' : 'notApplied', status };
  } catch (error) {
    return { state: 'unknown', status, message: describeError(error).message };
  }
}

/**
 * Terminates relationships (`POST …/requests {"action":"terminate"}`, docs/api-notes.md §4.3) — one shape per
 * target: read → decide → journal intent → send → journal outcome → wait for `terminated` (batched
 * polls). Results are in the order of `ids`; one failing target never stops the others.
 */
export async function terminateRelationships(
  ctx: ActionContext,
  targetIds: readonly string[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  // A repeated id is one target: acting on it twice would send the terminate twice.
  const ids = [...new Set(targetIds)];
  const wait = options.wait !== false;
  const timeoutMs = options.timeoutMs ?? ACTION_DEFAULTS.waitTimeoutMs;
  const { signal } = ctx;
  const results = new Array<ItemResult>(ids.length);
  const waits: Promise<void>[] = [];
  const finish = (index: number, result: ItemResult): void => {
    results[index] = result;
    ctx.onItem?.(result);
  };
  const poller = new BatchPoller<Relationship>((keys, s) => ctx.graph.getRelationshipsMany(keys, { signal: s }), {
    intervalMs: options.pollIntervalMs ?? ACTION_DEFAULTS.pollIntervalMs,
    ...(signal !== undefined ? { signal } : {}),
    ...(ctx.onProgress !== undefined ? { onStatus: ctx.onProgress } : {}),
  });

  // Fresh state of every target in batched reads (≤ 20 per request) rather than one GET each.
  let prefetched = new Map<string, BatchItemResult<Relationship>>();
  if (ids.length > 0 && signal?.aborted !== true) {
    try {
      prefetched = await ctx.graph.getRelationshipsMany(ids, signal !== undefined ? { signal } : {});
    } catch {
      // Fall back to a read per target below.
    }
  }

  const waitTerminated = async (id: string, name: string, status: string, outcome: 'done' | 'alreadyDone'): Promise<ItemResult> => {
    const result = await poller.waitFor(id, terminateVerdict, timeoutMs, status);
    if (result.state === 'done') {
      return { id, name, outcome, status: result.status, error: null };
    }
    if (result.state === 'cancelled') {
      // The request stands; only the waiting stopped.
      return { id, name, outcome, status: result.status, error: null };
    }
    if (result.state === 'timeout') {
      return {
        id,
        name,
        outcome: 'failed',
        status: result.status,
        errorKind: 'timeout',
        error: `Termination was requested but the relationship is still "${result.status ?? 'unknown'}" after ${Math.round(timeoutMs / 1000)} s.`,
      };
    }
    return {
      id,
      name,
      outcome: 'failed',
      status: result.status,
      errorKind: 'invalidResponse',
      error: result.message ?? 'The relationship did not reach terminated.',
    };
  };

  const processTarget = async (id: string): Promise<Step> => {
    // 1. Read.
    let relationship: Relationship;
    const pre = prefetched.get(id);
    if (pre?.ok === true) {
      relationship = pre.value;
    } else if (pre !== undefined && !pre.ok && pre.error.kind === 'notFound') {
      return { final: failed(id, pre.error, undefined, null, 'Relationship not found: ') };
    } else {
      try {
        relationship = await ctx.graph.getRelationship(id, signal !== undefined ? { signal } : {});
      } catch (error) {
        return { final: failed(id, error) };
      }
    }
    const name = relationship.displayName;
    const prior = relationship.status;

    // 2. Decide.
    if (prior === 'terminated') {
      return { final: { id, name, outcome: 'alreadyDone', status: prior, error: null } };
    }
    if (IN_FLIGHT.has(prior)) {
      return wait
        ? { wait: waitTerminated(id, name, prior, 'alreadyDone') }
        : { final: { id, name, outcome: 'alreadyDone', status: prior, error: null } };
    }
    if (prior !== 'active') {
      return {
        final: {
          id,
          name,
          outcome: 'skipped',
          status: prior,
          error: `Terminate applies only to active relationships; this one is "${prior}".`,
        },
      };
    }

    // 3. Journal the intent: nothing is sent unless it is on disk.
    const journal = new OperationJournal(ctx, 'terminateRelationship', {
      relationshipId: id,
      name,
      ...(relationship.customer?.tenantId ? { customerTenantId: relationship.customer.tenantId } : {}),
      ...(relationship.customer?.displayName ? { customerName: relationship.customer.displayName } : {}),
    });
    try {
      await journal.intent(prior, relationship.etag);
    } catch (error) {
      return { final: failed(id, error, name, prior, 'Nothing was sent: the action journal could not be written. ') };
    }
    if (signal?.aborted === true) {
      const error = 'Cancelled before the request was sent.';
      await journal.outcome({ outcome: 'failed', status: prior, error });
      return { final: { id, name, outcome: 'failed', status: prior, error, errorKind: 'cancelled' } };
    }

    // 4. Mutate. No signal on the POST itself: once started it is finished or reconciled.
    let status: string = 'terminationRequested';
    let note: string | undefined;
    for (let send = 1; ; send += 1) {
      try {
        // The status was just read (and, on a re-send, re-read as still active): pass it so the client
        // checks the precondition without another GET per target.
        await ctx.graph.createRequest(id, 'terminate', { currentStatus: 'active', displayName: name });
        break;
      } catch (error) {
        const facts = describeError(error);
        const ids = {
          ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
          ...(facts.clientRequestId !== undefined ? { clientRequestId: facts.clientRequestId } : {}),
        };
        if (!mayHaveApplied(error)) {
          const journalError = await journal.outcome({ outcome: 'failed', status: prior, error: facts.message, ...ids });
          return { final: { id, name, outcome: 'failed', status: prior, error: journalError ?? facts.message, errorKind: facts.kind } };
        }
        const check = await reconcileTerminate(ctx, id);
        if (check.state === 'applied') {
          status = check.status ?? status;
          note = `The request failed (${facts.kind}) but reading showed it was applied (status "${check.status ?? ''}"); not re-sent.`;
          break;
        }
        if (check.state === 'notApplied' && send < ACTION_DEFAULTS.maxSends) {
          continue;
        }
        const message =
          check.state === 'notApplied'
            ? `Terminate failed ${send} times: ${facts.message}`
            : `The outcome is unknown and the request was not re-sent: ${facts.message}${check.message !== undefined ? ` (${check.message})` : ''}`;
        const journalError = await journal.outcome({ outcome: 'failed', status: check.status ?? prior, error: message, ...ids });
        return {
          final: { id, name, outcome: 'failed', status: check.status ?? prior, error: journalError ?? message, errorKind: facts.kind },
        };
      }
    }

    // 5. Journal the outcome of the mutation, then wait for the end state.
    const journalError = await journal.outcome({ outcome: 'done', status, error: null, ...(note !== undefined ? { note } : {}) });
    ctx.onProgress?.(id, status);
    if (journalError !== null) {
      return { final: { id, name, outcome: 'done', status, error: journalError } };
    }
    if (status === 'terminated' || !wait) {
      return { final: { id, name, outcome: 'done', status, error: null } };
    }
    return { wait: waitTerminated(id, name, status, 'done') };
  };

  await runBounded(
    ids,
    ctx.concurrency ?? ACTION_DEFAULTS.concurrency,
    signal,
    async (id, index) => {
      const step = await processTarget(id);
      if ('final' in step) {
        finish(index, step.final);
      } else {
        waits.push(
          step.wait.then(
            (r) => finish(index, r),
            (error: unknown) => finish(index, failed(id, error)),
          ),
        );
      }
    },
    (id, index) =>
      finish(index, { id, outcome: 'failed', status: null, error: 'Cancelled before this target was started.', errorKind: 'cancelled' }),
    (id, index, error) => finish(index, failed(id, error)),
  );
  await Promise.all(waits);
  const byId = new Map(ids.map((id, i) => [id, results[i]]));
  return targetIds.map((id) => byId.get(id) as ItemResult);
}
