import type { PartnerCenterCustomer } from '../partnerCenter/partnerCenterApi';
import { ACTION_DEFAULTS } from './actionDefaults';
import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { describeError, failedItem, mayHaveApplied } from './errorFacts';
import { readToReconcile } from './readToReconcile';
import { OperationJournal } from './operationJournal';
import { runBounded } from './runBounded';

/** DAP state words used as `status` (ItemResult contract). */
const DAP_OFF = 'dapOff';
const DAP_ON = 'dapOn';

function dapStatus(customer: PartnerCenterCustomer): string | null {
  return customer.allowDelegatedAccess === false ? DAP_OFF : customer.allowDelegatedAccess === true ? DAP_ON : null;
}

/** Read through a call so the compiler does not treat the flag as fixed after an earlier check. */
function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Removes legacy DAP for customers (Partner Center PATCH `AllowDelegatedAccess:false`, docs/api-notes.md §8.6):
 * read the customer (`allowDelegatedAccess` is only on GET by id, §8.3) → already off: nothing sent →
 * journal intent → PATCH (the client re-reads to confirm) → journal outcome. An ambiguous failure is
 * reconciled by reading the customer again. Results are in the order of `tenantIds`, status
 * `dapOff`/`dapOn`.
 */
export async function removeDap(ctx: ActionContext, tenantIds: readonly string[], options: MutationOptions = {}): Promise<ItemResult[]> {
  const wait = options.wait !== false;
  const timeoutMs = options.timeoutMs ?? ACTION_DEFAULTS.waitTimeoutMs;
  const pollMs = options.pollIntervalMs ?? ACTION_DEFAULTS.pollIntervalMs;
  const { signal } = ctx;
  const callOptions = signal !== undefined ? { signal } : {};
  const unique = [...new Set(tenantIds)];
  const results = new Array<ItemResult>(unique.length);
  const finish = (index: number, result: ItemResult): void => {
    results[index] = result;
    ctx.onItem?.(result);
  };

  const processTarget = async (tenantId: string): Promise<ItemResult> => {
    // 1. Read.
    let customer: PartnerCenterCustomer;
    try {
      customer = await ctx.partnerCenter.getCustomer(tenantId, callOptions);
    } catch (error) {
      return failedItem(tenantId, error);
    }
    const name = customer.companyName ?? undefined;
    const named = name !== undefined ? { name } : {};
    const prior = dapStatus(customer);

    // 2. Decide.
    if (prior === DAP_OFF) {
      return { id: tenantId, ...named, outcome: 'alreadyDone', status: DAP_OFF, error: null };
    }
    if (prior === null) {
      return {
        id: tenantId,
        ...named,
        outcome: 'failed',
        status: null,
        errorKind: 'invalidResponse',
        error: 'Partner Center did not say whether DAP is on for this customer; nothing was sent.',
      };
    }

    // 3. Intent.
    const journal = new OperationJournal(ctx, 'removeDap', {
      customerTenantId: tenantId,
      ...(name !== undefined ? { name, customerName: name } : {}),
    });
    try {
      await journal.intent(prior, null);
    } catch (error) {
      return failedItem(tenantId, error, {
        ...named,
        status: prior,
        prefix: 'Nothing was sent: the action journal could not be written. ',
      });
    }
    if (signal?.aborted === true) {
      const error = 'Cancelled before the request was sent.';
      await journal.outcome({ outcome: 'failed', status: prior, error });
      return { id: tenantId, ...named, outcome: 'failed', status: prior, error, errorKind: 'cancelled' };
    }

    // 4. PATCH. Setting a flag to false is idempotent, so a send the service did not apply may be repeated;
    // one it may have applied is first checked by reading.
    let status: string | null = DAP_OFF;
    let note: string | undefined;
    let reqIds: { requestId?: string; clientRequestId?: string } = {};
    for (let send = 1; ; send += 1) {
      try {
        // Not replayed by the client after a lost answer: a send the service may have applied is reconciled by reading.
        const result = await ctx.partnerCenter.removeDap(tenantId, { reconcileByReading: true });
        status = dapStatus(result.customer);
        reqIds = {
          ...(result.requestId !== undefined ? { requestId: result.requestId } : {}),
          ...(result.correlationId !== undefined ? { clientRequestId: result.correlationId } : {}),
        };
        break;
      } catch (error) {
        const facts = describeError(error);
        reqIds = {
          ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
          ...(facts.clientRequestId !== undefined ? { clientRequestId: facts.clientRequestId } : {}),
        };
        if (!mayHaveApplied(error)) {
          const journalError = await journal.outcome({ outcome: 'failed', status: prior, error: facts.message, ...reqIds });
          return { id: tenantId, ...named, outcome: 'failed', status: prior, errorKind: facts.kind, error: journalError ?? facts.message };
        }
        let now: string | null;
        let readError: string | undefined;
        try {
          now = dapStatus(await readToReconcile(() => ctx.partnerCenter.getCustomer(tenantId)));
        } catch (readFailure) {
          now = null;
          readError = describeError(readFailure).message;
        }
        if (now === DAP_OFF) {
          status = DAP_OFF;
          note = `The request failed (${facts.kind}) but reading showed DAP off; not re-sent.`;
          break;
        }
        if (now === DAP_ON && send < ACTION_DEFAULTS.maxSends) {
          continue;
        }
        const message =
          now === DAP_ON
            ? `Removing DAP failed ${send} times: ${facts.message}`
            : `The outcome is unknown and the request was not re-sent: ${facts.message}${readError !== undefined ? ` (${readError})` : ''}`;
        const journalError = await journal.outcome({ outcome: 'failed', status: now ?? prior, error: message, ...reqIds });
        return { id: tenantId, ...named, outcome: 'failed', status: now ?? prior, errorKind: facts.kind, error: journalError ?? message };
      }
    }

    // 5. Outcome; the client's re-read normally already shows DAP off. If not, poll until it does.
    const journalError = await journal.outcome({
      outcome: 'done',
      status,
      error: null,
      ...reqIds,
      ...(note !== undefined ? { note } : {}),
    });
    if (status !== DAP_OFF && wait) {
      const deadline = Date.now() + timeoutMs;
      while (status !== DAP_OFF && Date.now() < deadline && !aborted(signal)) {
        await sleep(pollMs, signal);
        try {
          status = dapStatus(await ctx.partnerCenter.getCustomer(tenantId, callOptions));
        } catch {
          // Keep polling until the deadline.
        }
      }
      if (status !== DAP_OFF && !aborted(signal)) {
        return {
          id: tenantId,
          ...named,
          outcome: 'failed',
          status,
          errorKind: 'timeout',
          error: `DAP removal was accepted but the customer still shows DAP on after ${Math.round(timeoutMs / 1000)} s.`,
        };
      }
    }
    return { id: tenantId, ...named, outcome: 'done', status, error: journalError };
  };

  await runBounded(
    unique,
    ctx.concurrency ?? ACTION_DEFAULTS.concurrency,
    signal,
    async (tenantId, index) => finish(index, await processTarget(tenantId)),
    (tenantId, index) =>
      finish(index, {
        id: tenantId,
        outcome: 'failed',
        status: null,
        error: 'Cancelled before this target was started.',
        errorKind: 'cancelled',
      }),
    (tenantId, index, error) => finish(index, failedItem(tenantId, error)),
  );
  const byId = new Map(unique.map((id, i) => [id, results[i]]));
  return tenantIds.map((id) => byId.get(id) as ItemResult);
}
