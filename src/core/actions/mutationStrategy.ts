import type { BatchItemResult, CallOptions } from '../graph/gdapApi';
import type { GdapErrorKind } from '../http/gdapError';
import type { ActionContext, JournalAction, JournalTarget } from './actionTypes';
import { english, msg, type Message } from '../messages';
import type { ErrorFacts } from './errorFacts';
import type { PlanImpact } from '../insight/planImpact';

/*
 * The contract of one mutation on the shared pipeline (docs/pipeline.md). The pipeline owns everything
 * mutations have in common: dedupe, batched prefetch with fallback to single reads, journal intent,
 * cancellation check, send, reconcile-by-reading before any re-send, journal outcome, batched waiting,
 * bounded concurrency and result order. A strategy supplies only what differs: how to read, what to
 * decide, what to send and how to tell from a read whether a send took effect.
 */

/** What one read of a target gave: its state, or why it could not be read (a 404 is an error of kind `notFound`). */
export type Observed<S> = { readonly ok: true; readonly value: S } | { readonly ok: false; readonly error: unknown };

/** Why a plan item could not be computed (the target could not be read). */
export interface PlanError {
  readonly kind: GdapErrorKind;
  readonly message: string;
}

/**
 * What every plan item says: will the run act on this target, and if not, why. A confirmation (the
 * extension's modal, the CLI's question, `--dry-run`) renders plan items and nothing else.
 */
export interface PlanItemBase {
  readonly willAct: boolean;
  /** Why nothing will be sent (already done, not applicable, could not be read); null when willAct. */
  readonly reason: string | null;
  /** The same reason as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  readonly error?: PlanError;
  /** Destructive mutations: what the change takes away (docs/access.md); null when it could not be read. */
  readonly impact?: PlanImpact | null;
}

interface DecisionBase<P extends PlanItemBase> {
  /** The plan item for this target: what changes, what is lost, the confirmation's data. */
  readonly plan: P;
  /** Human name of the target for results and progress, when known. */
  readonly name?: string;
  /** The target's status as read (result/journal `status`; null when unknown or absent). */
  readonly status: string | null;
}

/** Send the change. `etag` is journalled as the prior version (null when the target has none). */
export interface ActDecision<P extends PlanItemBase> extends DecisionBase<P> {
  readonly kind: 'act';
  readonly etag: string | null;
  /** For multi-step mutations: which step this send is (journal note); absent for single-step ones. */
  readonly step?: string;
}

/** Nothing to send: already in the end state, or (`inFlight`) already on its way there. */
export interface AlreadyDoneDecision<P extends PlanItemBase> extends DecisionBase<P> {
  readonly kind: 'alreadyDone';
  /** A change is in flight: when the caller waits, the pipeline waits for its end state. */
  readonly inFlight: boolean;
}

/** Nothing to send: the mutation does not apply (`skipped`) or cannot be decided safely (`failed`). */
export interface SkipDecision<P extends PlanItemBase> extends DecisionBase<P> {
  readonly kind: 'skip';
  readonly outcome: 'skipped' | 'failed';
  readonly error: string;
  /** `error` as a code with parameters, when the strategy has one (src/core/messages.ts). */
  readonly errorMessage?: Message;
  readonly errorKind?: GdapErrorKind;
}

export type Decision<P extends PlanItemBase> = ActDecision<P> | AlreadyDoneDecision<P> | SkipDecision<P>;

/** What a successful send returned. */
export interface Sent {
  /** Status right after the send (e.g. `terminationRequested`, `deleting`, `dapOff`). */
  readonly status: string | null;
  readonly requestId?: string;
  readonly clientRequestId?: string;
}

/**
 * What reading after a failed send showed. Only `notApplied` lets the pipeline send again, and only when
 * the strategy saw the target exactly as decided (same version), so a re-send never lands on a state the
 * user did not confirm.
 */
export type Reconciliation<P extends PlanItemBase = never, S = never> =
  /** The change took effect (or is on its way): not re-sent. `note` goes to the journal. */
  | { readonly kind: 'applied'; readonly status: string | null; readonly note: string }
  /** Read back unchanged and without the change: safe to send again. */
  | { readonly kind: 'notApplied'; readonly status: string | null }
  /** The target changed since it was decided (412, new version): fails `preconditionFailed`, not re-sent. */
  | {
      readonly kind: 'changed';
      readonly status: string | null;
      readonly message: string;
      /** `message` as a code with parameters, for a face that translates it (src/core/messages.ts). */
      readonly errorMessage?: Message;
    }
  /** The read failed or was inconclusive: fails, not re-sent. `message` adds what was seen. */
  | {
      readonly kind: 'unknown';
      readonly status: string | null;
      readonly message?: string;
      /** `message` as a code with parameters, when the strategy wrote it (not the service's text). */
      readonly detailMessage?: Message;
    }
  /**
   * Re-read and re-decided: the fresh state still calls for the change the user confirmed (after a 412 from a
   * concurrent edit that left it so, or the next step of a multi-step mutation after a partly applied one):
   * send `decision` on `state` (its new version). Counts toward the send limit; `note` goes to the journal.
   */
  | {
      readonly kind: 'redecided';
      readonly status: string | null;
      readonly decision: ActDecision<P>;
      readonly state: S;
      readonly note: string;
    }
  /**
   * After a 412: only the version changed, and the fresh state is still the one the user confirmed (the
   * strategy compared it with the plan). The pipeline decides again on `state` and, if that still acts,
   * sends once more with its new ETag (within the send limit).
   */
  | { readonly kind: 'redecide'; readonly status: string | null; readonly state: S };

/** What one poll says about a target the pipeline waits on. */
export interface Verdict {
  readonly state: 'done' | 'pending' | 'failed';
  readonly status: string | null;
  readonly message?: string;
  /** `message` as a code with parameters, for a face that translates it. */
  readonly messageCode?: Message;
  readonly errorKind?: GdapErrorKind;
}

/** A poll's verdict that the change failed, with its reason in English and as a code. */
export function failedVerdict(status: string | null, reason: Message): Verdict {
  return { state: 'failed', status, message: english(reason), messageCode: reason };
}

/** A reconciliation that found the target changed by someone else, with its reason in English and as a code. */
export function changedMeanwhile(
  status: string | null,
  reason: Message,
): Extract<Reconciliation<never, never>, { readonly kind: 'changed' }> {
  return { kind: 'changed', status, message: english(reason), errorMessage: reason };
}

/** The services a strategy reads and writes through (the action context, or a read-only one for plans). */
export type MutationApis = Pick<ActionContext, 'graph' | 'partnerCenter' | 'clock'> & {
  /**
   * Given to `send` only: journals the version the send's next request acts on, before it is sent. A send of
   * several requests (make-renewable's auto-extend on the version its own Global Administrator removal left)
   * calls it before each request after the first, so every write is on disk with its ETag first.
   */
  readonly journalStep?: (etag: string | null, note: string) => Promise<void>;
};

/**
 * One mutation. `T` is what the caller names (an id, a pair of ids, an input), `S` what a read gives,
 * `P` its plan item, `C` extra context only the plan needs (e.g. names of parents, remaining access).
 */
export interface MutationStrategy<T, S, P extends PlanItemBase, C = undefined> {
  /** The journal's `action` word. */
  readonly action: JournalAction;
  /** Names the mutation in messages, e.g. "Terminate relationship". */
  readonly label: string;
  /** Stable identity of a target: dedupe key, poll key and result id. */
  key(target: T): string;

  /** Batched read of many targets, keyed by `key`. May throw: the pipeline then reads one at a time. */
  readMany(apis: MutationApis, targets: readonly T[], options: CallOptions): Promise<Map<string, BatchItemResult<S>>>;
  /** One fresh read (also used to reconcile). Throws a GdapError (`notFound` for a missing target). */
  readOne(apis: MutationApis, target: T, options: CallOptions): Promise<S>;
  /** A prefetched state not good enough to decide on (e.g. no ETag): the pipeline reads it again singly. */
  needsFreshRead?(state: S): boolean;
  /**
   * Reads only a plan needs (not the run): names, roles, what access remains. Failures must be absorbed.
   * `observed` gives the targets' states as the plan reads them (awaiting it reads nothing more), for a
   * context that depends on them (e.g. the customers whose access a change affects).
   */
  readPlanContext?(
    apis: MutationApis,
    targets: readonly T[],
    options: CallOptions,
    observed?: (target: T) => Promise<Observed<S>>,
  ): Promise<C>;

  /** Pure: the decision and the plan item for one target from what was read. */
  decide(target: T, observed: Observed<S>, context: C | undefined): Decision<P>;

  /** Target fields of the journal records (ids and names, never a token). */
  journalTarget(target: T, decision: ActDecision<P>): JournalTarget;
  /**
   * Sends the change once. Must not re-send by itself after an answer that leaves the outcome unknown
   * (pass `reconcileByReading: true` to the client): the pipeline reconciles by reading instead.
   * `state` is undefined when the decision acted on an absent target (e.g. create).
   */
  send(apis: MutationApis, target: T, decision: ActDecision<P>, state: S | undefined): Promise<Sent>;
  /**
   * Definite error kinds that still call for a reading before giving up (besides the ambiguous ones,
   * which always do). Default: `preconditionFailed` (a 412 re-reads and re-decides).
   */
  readonly reconcileOn?: readonly GdapErrorKind[];
  /** After a failed send: read and tell whether it took effect. Must only read. */
  reconcile(apis: MutationApis, target: T, decision: ActDecision<P>, failure: ErrorFacts): Promise<Reconciliation<P, S>>;

  /** The send's status is the end state: no waiting needed. */
  isEndState(status: string | null): boolean;
  /** Judges one poll while waiting for the end state. */
  verdict(observed: Observed<S>): Verdict;

  /** For a run interrupted between intent and outcome: the target a journal record names (undefined when it lacks ids). */
  fromJournal(target: JournalTarget): T | undefined;
  /**
   * For an interrupted run: what a fresh read (or its 404, an error of kind `notFound`) shows now, and
   * whether the change took effect or is on its way. Other read errors never reach it.
   */
  tookEffect(observed: Observed<S>): { readonly state: string; readonly reached: boolean };

  /**
   * The strategy's own result texts, as codes with parameters (src/core/messages.ts): one literal template per
   * strategy and text, so the extension renders them in the display language while the CLI and the journal
   * keep their English. The service's text and the status value stay plain arguments.
   */
  readonly texts: {
    /** "Terminate failed 3 times: …" (`message` is the service's text). */
    failedTimes(sends: number, message: string | Message): Message;
    /** The wait ran out while the target was still `status`. */
    timedOut(status: string | null, seconds: number): Message;
    /** A poll said `failed` without a message. */
    notReached: Message;
  };
}

/** Shorthand for a call option object carrying only a signal. */
export function callOptions(signal: AbortSignal | undefined): CallOptions {
  return signal !== undefined ? { signal } : {};
}

/**
 * A status for a text that quotes it: the API's value as it came, or "unknown" (a word of its own, translated)
 * when the target's status is not known.
 */
export function statusText(status: string | null): string | Message {
  return status ?? msg('unknown');
}

/** An inconclusive reconciliation whose detail the strategy wrote: in English for the CLI and as a message. */
export function unknownOutcome(status: string | null, detail: Message): Extract<Reconciliation, { readonly kind: 'unknown' }> {
  return { kind: 'unknown', status, message: english(detail), detailMessage: detail };
}
