import type { Actor } from '../auth/tokenProvider';
import type { GdapApi } from '../graph/gdapApi';
import type { Clock } from '../http/clock';
import type { CloudName } from '../http/clouds';
import type { GdapErrorKind } from '../http/gdapError';
import type { Message } from '../messages';
import type { PartnerCenterApi } from '../partnerCenter/partnerCenterApi';
import type { PlanImpact } from '../insight/planImpact';

/**
 * Per-target outcome of a mutation (the CLI contract in the README):
 * done = this run changed it and it reached the end state; alreadyDone = it was already in the end
 * state, nothing sent; skipped = the action does not apply (reason in `error`); failed = reason in `error`.
 */
export type ItemOutcome = 'done' | 'alreadyDone' | 'skipped' | 'failed';

export interface ItemResult {
  /** Relationship id, `<relationshipId>/<assignmentId>`, or customer tenant id. */
  readonly id: string;
  readonly outcome: ItemOutcome;
  /** Last known status of the target (API string; for DAP: `dapOff` / `dapOn`), null when unknown. */
  readonly status: string | null;
  readonly error: string | null;
  /** `error` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly errorMessage?: Message;
  readonly errorKind?: GdapErrorKind;
  /** Human name of the target when known (relationship / group / customer name). */
  readonly name?: string;
}

/**
 * The journal's action words. The format is append-only: a new mutation adds its word here (and its
 * strategy); existing words never change meaning, so old journals stay readable.
 */
export const JOURNAL_ACTIONS = [
  'terminateRelationship',
  'removeAccessAssignment',
  'removeDap',
  'autoExtendOn',
  'autoExtendOff',
  'removeGlobalAdministrator',
  'makeRenewable',
  'renewRelationship',
  'createRelationship',
  'lockForApproval',
  'deleteRelationship',
  'createAccessAssignment',
  'setAccessAssignmentRoles',
] as const;
export type JournalAction = (typeof JOURNAL_ACTIONS)[number];

/** Who a journal record is about. */
export interface JournalTarget {
  readonly relationshipId?: string;
  readonly assignmentId?: string;
  readonly customerTenantId?: string;
  readonly name?: string;
  readonly customerName?: string;
  /** Security group of an access assignment being created. */
  readonly groupId?: string;
  /** Role template ids a grant asks for (create, assign, set roles). */
  readonly roleDefinitionIds?: readonly string[];
}

/** One append-only journal record. Never a token. */
export interface JournalRecord {
  readonly time: string;
  /**
   * `step`: a further request of the operation its intent announced (a re-send on a new version, or the
   * next request of a multi-request send), written before it is sent with the ETag it acts on (`priorEtag`).
   */
  readonly type: 'intent' | 'step' | 'outcome' | 'reconciled';
  /** Links the outcome to its intent. */
  readonly operationId: string;
  readonly action: JournalAction;
  readonly actor: string | null;
  readonly cloud: CloudName;
  readonly target: JournalTarget;
  readonly priorStatus?: string | null;
  readonly priorEtag?: string | null;
  readonly clientRequestId?: string;
  readonly requestId?: string;
  readonly outcome?: ItemOutcome;
  readonly status?: string | null;
  readonly error?: string | null;
  /** Human explanation, e.g. how an ambiguous failure or an interrupted run was reconciled. */
  readonly note?: string;
  /**
   * Who asked for the change when it was not a person at a command or menu: a language-model tool in the
   * editor (`tool`) or a client of `gdap mcp` (`mcp`), after the user confirmed its plan. Absent otherwise,
   * so records written before it existed read the same.
   */
  readonly origin?: JournalOrigin;
  /** Intent only: what the confirmed plan said the change takes away (null: it could not be read). */
  readonly impact?: PlanImpact | null;
}

/** Where a tool-initiated change came from (see `JournalRecord.origin`). */
export type JournalOrigin = 'tool' | 'mcp';

export interface Journal {
  /** Appends and flushes to disk before resolving. */
  append(record: JournalRecord): Promise<void>;
}

export interface ActionContext {
  readonly graph: GdapApi;
  readonly partnerCenter: PartnerCenterApi;
  readonly journal: Journal;
  readonly actor: Actor | undefined;
  readonly cloud: CloudName;
  readonly signal?: AbortSignal;
  /** Time source for waiting and polling (default: the system clock); tests pass a virtual one. */
  readonly clock?: Clock;
  /** Targets processed at once. */
  readonly concurrency?: number;
  /** Called as each target finishes. */
  readonly onItem?: (result: ItemResult) => void;
  /** Called when a target's observed status changes while waiting (e.g. `terminating`). */
  readonly onProgress?: (id: string, status: string) => void;
  /** Set when a language-model tool or an MCP client started the run; every journal record then carries it. */
  readonly origin?: JournalOrigin;
}

export interface MutationOptions {
  /** Wait for the terminal state (default true). */
  readonly wait?: boolean;
  /** Per-target wait limit in milliseconds. */
  readonly timeoutMs?: number;
  /** Delay between batched status polls while waiting (default 2000 ms). */
  readonly pollIntervalMs?: number;
  /**
   * The plan items the user confirmed, by target key: the intent record keeps what the confirmation said
   * a change would cost (its `impact`, docs/access.md).
   */
  readonly confirmedPlan?: ReadonlyMap<string, { readonly impact?: PlanImpact | null }>;
}
