import type { BatchItemResult, CallOptions } from '../graph/gdapApi';
import { systemClock } from '../http/clock';
import { ACTION_DEFAULTS } from './actionDefaults';
import type { ActionContext, ItemResult, MutationOptions } from './actionTypes';
import { BatchPoller } from './batchPoller';
import { describeError, errorText, failedItem, mayHaveApplied, type ErrorFacts } from './errorFacts';
import {
  callOptions,
  type ActDecision,
  type Decision,
  type MutationApis,
  type MutationStrategy,
  type Observed,
  type PlanItemBase,
  type Sent,
} from './mutationStrategy';
import { OperationJournal } from './operationJournal';
import { runBounded } from './runBounded';
import { english, msg, type Message } from '../messages';

/*
 * The one mutation pipeline (docs/architecture.md §4, docs/pipeline.md): every mutation runs through
 * `runMutation` with its strategy, and every confirmation comes from `planMutation` with the same
 * strategy's `decide`, so what the user confirmed and what the run does cannot drift apart.
 */

type Step = { readonly final: ItemResult } | { readonly wait: Promise<ItemResult> };

const DEFAULT_RECONCILE_ON = ['preconditionFailed'] as const;

function dedupe<T>(strategy: { key(target: T): string }, targets: readonly T[]): T[] {
  // A repeated target is one target: acting on it twice would send the change twice.
  return [...new Map(targets.map((t) => [strategy.key(t), t])).values()];
}

/** A result's `error` (English, for the CLI and the journal) and `errorMessage` (for a translating face) at once. */
function failure(message: Message): { readonly error: string; readonly errorMessage: Message } {
  return { error: english(message), errorMessage: message };
}

/**
 * "The outcome is unknown…" after a send: the error's text as its code when it has one (our own words for a
 * network failure or an HTTP status), else as it came; what the strategy read back is a message of its own
 * when it wrote one, so a translating face renders both.
 */
export function outcomeUnknown(serviceText: string | Message, detail: string | Message | undefined): Message {
  return detail === undefined
    ? msg('The outcome is unknown and the request was not re-sent: {0}', serviceText)
    : msg('The outcome is unknown and the request was not re-sent: {0} ({1})', serviceText, detail);
}

/**
 * Why a re-decided target after a 412 fails: the send limit ran out while it still called for the change, or
 * the fresh state no longer does (its plan's reason).
 */
function redecidedFailure<P extends PlanItemBase>(
  next: Decision<P>,
  send: number,
  facts: ErrorFacts,
  texts: MutationStrategy<never, never, P>['texts'],
): { readonly error: string; readonly errorMessage?: Message } {
  if (next.kind === 'act') {
    return failure(texts.failedTimes(send, errorText(facts)));
  }
  if (next.plan.reason === null) {
    return failure(msg('It changed since it was read.'));
  }
  return { error: next.plan.reason, ...(next.plan.reasonMessage != null ? { errorMessage: next.plan.reasonMessage } : {}) };
}

function requestIds(facts: ErrorFacts): { requestId?: string; clientRequestId?: string } {
  return {
    ...(facts.requestId !== undefined ? { requestId: facts.requestId } : {}),
    ...(facts.clientRequestId !== undefined ? { clientRequestId: facts.clientRequestId } : {}),
  };
}

/**
 * Fresh state of every target: one batched read, then a single read for each target the batch did not
 * answer usably (an error other than 404, no answer, or a state the strategy cannot decide on).
 */
async function observeAll<T, S, P extends PlanItemBase, C>(
  apis: MutationApis,
  strategy: MutationStrategy<T, S, P, C>,
  targets: readonly T[],
  options: CallOptions,
): Promise<(target: T) => Promise<Observed<S>>> {
  let prefetched = new Map<string, BatchItemResult<S>>();
  if (targets.length > 0 && options.signal?.aborted !== true) {
    try {
      prefetched = await strategy.readMany(apis, targets, options);
    } catch {
      // Fall back to a read per target.
    }
  }
  return async (target: T): Promise<Observed<S>> => {
    const pre = prefetched.get(strategy.key(target));
    if (pre !== undefined) {
      const usable = pre.ok ? strategy.needsFreshRead?.(pre.value) !== true : pre.error.kind === 'notFound';
      if (usable) {
        return pre;
      }
    }
    try {
      return { ok: true, value: await strategy.readOne(apis, target, options) };
    } catch (error) {
      return { ok: false, error };
    }
  };
}

/**
 * The plan for `targets` in the order given (repeats included), from fresh reads only: what a
 * confirmation shows and `--dry-run` prints. Sends nothing.
 */
export async function planMutation<T, S, P extends PlanItemBase, C>(
  apis: MutationApis,
  strategy: MutationStrategy<T, S, P, C>,
  targets: readonly T[],
  options: CallOptions = {},
): Promise<P[]> {
  const unique = dedupe(strategy, targets);
  const observing = observeAll(apis, strategy, unique, options);
  // Each target is observed once: the plan context may wait for the same states (e.g. to learn customers).
  const seen = new Map<string, Promise<Observed<S>>>();
  const observeOnce = async (target: T): Promise<Observed<S>> => {
    const key = strategy.key(target);
    let state = seen.get(key);
    if (state === undefined) {
      state = observing.then((observe) => observe(target));
      seen.set(key, state);
    }
    return state;
  };
  const [, context] = await Promise.all([
    observing,
    unique.length > 0 && strategy.readPlanContext !== undefined
      ? strategy.readPlanContext(apis, unique, options, observeOnce)
      : Promise.resolve(undefined),
  ]);
  const observe = observeOnce;
  const plans = new Map<string, P>();
  await runBounded(
    unique,
    ACTION_DEFAULTS.concurrency,
    undefined,
    async (target) => {
      plans.set(strategy.key(target), strategy.decide(target, await observe(target), context).plan);
    },
    () => undefined,
    (target, _index, error) => {
      plans.set(strategy.key(target), strategy.decide(target, { ok: false, error }, context).plan);
    },
  );
  return targets.map((t) => plans.get(strategy.key(t)) as P);
}

/**
 * Runs one mutation over `targets`: dedupe → batched prefetch → decide → journal intent → cancellation
 * check → send → (unknown outcome or 412) reconcile by reading, re-send only when reading showed it
 * unchanged and not applied → journal outcome → wait for the end state (batched polls) — with at most
 * `ctx.concurrency` targets in flight. Results are in the order of `targets`; one failing target never
 * stops the others.
 */
// Long because: the pipeline's steps are named inner functions over one run's shared state (results, poller, journal, bounded queue); splitting them would pass that state around (docs/pipeline.md).
export async function runMutation<T, S, P extends PlanItemBase, C>(
  ctx: ActionContext,
  strategy: MutationStrategy<T, S, P, C>,
  targets: readonly T[],
  options: MutationOptions = {},
): Promise<ItemResult[]> {
  const unique = dedupe(strategy, targets);
  const byKey = new Map(unique.map((t) => [strategy.key(t), t]));
  const wait = options.wait !== false;
  const timeoutMs = options.timeoutMs ?? ACTION_DEFAULTS.waitTimeoutMs;
  const { signal } = ctx;
  const call = callOptions(signal);
  const reconcileOn: readonly string[] = strategy.reconcileOn ?? DEFAULT_RECONCILE_ON;
  const results = new Array<ItemResult>(unique.length);
  const waits: Promise<void>[] = [];
  const finish = (index: number, result: ItemResult): void => {
    results[index] = result;
    ctx.onItem?.(result);
  };
  const poller = new BatchPoller<S>(
    (keys, s) =>
      strategy.readMany(
        ctx,
        keys.map((k) => byKey.get(k) as T),
        callOptions(s),
      ),
    {
      intervalMs: options.pollIntervalMs ?? ACTION_DEFAULTS.pollIntervalMs,
      clock: ctx.clock ?? systemClock,
      ...(signal !== undefined ? { signal } : {}),
      ...(ctx.onProgress !== undefined ? { onStatus: ctx.onProgress } : {}),
    },
  );

  const observe = await observeAll(ctx, strategy, unique, call);

  const waitForEnd = async (
    id: string,
    named: { name?: string },
    status: string | null,
    outcome: 'done' | 'alreadyDone',
  ): Promise<ItemResult> => {
    const result = await poller.waitFor(id, (item) => strategy.verdict(item), timeoutMs, status);
    if (result.state === 'done' || result.state === 'cancelled') {
      // Cancelled: the change stands; only the waiting stopped.
      return { id, ...named, outcome, status: result.status, error: null };
    }
    if (result.state === 'timeout') {
      return {
        id,
        ...named,
        outcome: 'failed',
        status: result.status,
        errorKind: 'timeout',
        ...failure(strategy.texts.timedOut(result.status, Math.round(timeoutMs / 1000))),
      };
    }
    return {
      id,
      ...named,
      outcome: 'failed',
      status: result.status,
      errorKind: result.errorKind ?? 'invalidResponse',
      // A poll's own message (with its code when the strategy gave one); without one, the strategy's text.
      ...(result.message !== undefined
        ? { error: result.message, ...(result.messageCode !== undefined ? { errorMessage: result.messageCode } : {}) }
        : failure(strategy.texts.notReached)),
    };
  };

  /** Sends until applied, reconciling by reading after each failure. Returns what was sent or the failure. */
  // Long because: one send and reconcile loop whose switch answers every kind of reconciliation in one place.
  const sendReconciled = async (
    target: T,
    confirmed: ActDecision<P>,
    observedState: S | undefined,
    journal: OperationJournal,
  ): Promise<
    | { readonly ok: true; readonly sent: Sent; readonly note?: string }
    | {
        readonly ok: false;
        readonly status: string | null;
        readonly error: string;
        readonly errorMessage?: Message;
        readonly facts: ErrorFacts;
        readonly kind: ErrorFacts['kind'];
      }
  > => {
    let decision = confirmed;
    let state = observedState;
    const notes: string[] = [];
    const withNotes = (note?: string): { note?: string } => {
      const all = [...notes, ...(note !== undefined ? [note] : [])];
      return all.length > 0 ? { note: all.join(' ') } : {};
    };
    // Every request of a send is journalled with the version it acts on before it goes out: the first by the
    // intent, a further one of the same send through `journalStep`, a re-send on a new version below.
    const apis: MutationApis = {
      ...ctx,
      journalStep: (etag, note) => journal.step(decision.status, etag, note),
    };
    let journalled = confirmed.etag;
    for (let send = 1; ; send += 1) {
      if (decision.etag !== journalled) {
        try {
          await journal.step(decision.status, decision.etag, `Sending again on a new version. ${notes.join(' ')}`.trim());
          journalled = decision.etag;
        } catch (error) {
          const facts = describeError(error);
          const message = msg('Nothing more was sent: the action journal could not be written. {0}', facts.message);
          return { ok: false, status: decision.status, ...failure(message), facts, kind: facts.kind };
        }
      }
      try {
        return { ok: true, sent: await strategy.send(apis, target, decision, state), ...withNotes() };
      } catch (error) {
        const facts = describeError(error);
        if (!mayHaveApplied(error) && !reconcileOn.includes(facts.kind)) {
          return { ok: false, status: decision.status, error: facts.message, facts, kind: facts.kind };
        }
        const check = await strategy.reconcile(ctx, target, decision, facts);
        switch (check.kind) {
          case 'applied':
            return { ok: true, sent: { status: check.status, ...requestIds(facts) }, ...withNotes(check.note) };
          case 'redecided':
            if (send < ACTION_DEFAULTS.maxSends) {
              // The strategy read the target afresh and decided the same intent again on its new version.
              decision = check.decision;
              state = check.state;
              notes.push(check.note);
              continue;
            }
            return {
              ok: false,
              status: check.status ?? decision.status,
              ...failure(strategy.texts.failedTimes(send, errorText(facts))),
              facts,
              kind: facts.kind,
            };
          case 'notApplied':
            if (send < ACTION_DEFAULTS.maxSends && facts.kind !== 'preconditionFailed') {
              continue;
            }
            return {
              ok: false,
              status: check.status ?? decision.status,
              ...failure(strategy.texts.failedTimes(send, errorText(facts))),
              facts,
              kind: facts.kind,
            };
          case 'changed':
            return {
              ok: false,
              status: check.status,
              error: check.message,
              errorMessage: check.errorMessage,
              facts,
              kind: 'preconditionFailed',
            };
          case 'redecide': {
            const next = strategy.decide(target, { ok: true, value: check.state }, undefined);
            if (next.kind === 'act' && send < ACTION_DEFAULTS.maxSends) {
              decision = next;
              state = check.state;
              continue;
            }
            return {
              ok: false,
              status: check.status,
              ...redecidedFailure(next, send, facts, strategy.texts),
              facts,
              kind: 'preconditionFailed',
            };
          }
          case 'unknown': {
            const errorMessage = outcomeUnknown(errorText(facts), check.detailMessage ?? check.message);
            return { ok: false, status: check.status ?? decision.status, ...failure(errorMessage), facts, kind: facts.kind };
          }
        }
      }
    }
  };

  const processTarget = async (target: T): Promise<Step> => {
    const id = strategy.key(target);
    const observed = await observe(target);
    const decision = strategy.decide(target, observed, undefined);
    const named = decision.name !== undefined ? { name: decision.name } : {};

    if (decision.kind === 'skip') {
      return {
        final: {
          id,
          ...named,
          outcome: decision.outcome,
          status: decision.status,
          error: decision.error,
          ...(decision.errorMessage !== undefined ? { errorMessage: decision.errorMessage } : {}),
          ...(decision.errorKind !== undefined ? { errorKind: decision.errorKind } : {}),
        },
      };
    }
    if (decision.kind === 'alreadyDone') {
      return decision.inFlight && wait
        ? { wait: waitForEnd(id, named, decision.status, 'alreadyDone') }
        : { final: { id, ...named, outcome: 'alreadyDone', status: decision.status, error: null } };
    }

    // Journal the intent: nothing is sent unless it is on disk.
    const prior = decision.status;
    const journal = new OperationJournal(ctx, strategy.action, strategy.journalTarget(target, decision));
    try {
      await journal.intent(prior, decision.etag, options.confirmedPlan?.get(id)?.impact);
    } catch (error) {
      const unwritten = msg('Nothing was sent: the action journal could not be written. {0}', describeError(error).message);
      return { final: { ...failedItem(id, error, { ...named, status: prior }), ...failure(unwritten) } };
    }
    if (signal?.aborted === true) {
      const cancelled = failure(msg('Cancelled before the request was sent.'));
      await journal.outcome({ outcome: 'failed', status: prior, error: cancelled.error });
      return { final: { id, ...named, outcome: 'failed', status: prior, ...cancelled, errorKind: 'cancelled' } };
    }

    // Send. No signal on the send itself: once started it is finished or reconciled.
    const sent = await sendReconciled(target, decision, observed.ok ? observed.value : undefined, journal);
    if (!sent.ok) {
      const journalError = await journal.outcome({ outcome: 'failed', status: sent.status, error: sent.error, ...requestIds(sent.facts) });
      // A journal failure replaces the error, and with it its message for a translating face.
      const error =
        journalError !== null
          ? failure(journalError)
          : { error: sent.error, ...(sent.errorMessage !== undefined ? { errorMessage: sent.errorMessage } : {}) };
      return { final: { id, ...named, outcome: 'failed', status: sent.status, ...error, errorKind: sent.kind } };
    }

    // Journal the outcome, then wait for the end state.
    const status = sent.sent.status;
    const journalError = await journal.outcome({
      outcome: 'done',
      status,
      error: null,
      ...(sent.sent.requestId !== undefined ? { requestId: sent.sent.requestId } : {}),
      ...(sent.sent.clientRequestId !== undefined ? { clientRequestId: sent.sent.clientRequestId } : {}),
      ...(sent.note !== undefined ? { note: sent.note } : {}),
    });
    if (status !== null) {
      ctx.onProgress?.(id, status);
    }
    if (journalError !== null) {
      return { final: { id, ...named, outcome: 'done', status, ...failure(journalError) } };
    }
    if (strategy.isEndState(status) || !wait) {
      return { final: { id, ...named, outcome: 'done', status, error: null } };
    }
    return { wait: waitForEnd(id, named, status, 'done') };
  };

  await runBounded(
    unique,
    ctx.concurrency ?? ACTION_DEFAULTS.concurrency,
    signal,
    async (target, index) => {
      const step = await processTarget(target);
      if ('final' in step) {
        finish(index, step.final);
      } else {
        waits.push(
          step.wait.then(
            (r) => finish(index, r),
            (error: unknown) => finish(index, failedItem(strategy.key(target), error)),
          ),
        );
      }
    },
    (target, index) =>
      finish(index, {
        id: strategy.key(target),
        outcome: 'failed',
        status: null,
        ...failure(msg('Cancelled before this target was started.')),
        errorKind: 'cancelled',
      }),
    (target, index, error) => finish(index, failedItem(strategy.key(target), error)),
  );
  await Promise.all(waits);
  const resultByKey = new Map(unique.map((t, i) => [strategy.key(t), results[i]]));
  return targets.map((t) => resultByKey.get(strategy.key(t)) as ItemResult);
}
