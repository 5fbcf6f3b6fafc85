import type { GroupMember } from './groupMembers';
import type { FoundGroup } from './groupSearch';
import type { GdapError } from '../http/gdapError';
import type {
  AccessAssignment,
  DelegatedAdminCustomer,
  Relationship,
  RelationshipOperation,
  RelationshipRequest,
  RequestAction,
  ServiceManagementDetail,
} from './models';

export interface CallOptions {
  readonly signal?: AbortSignal;
  /**
   * For mutations: never re-send after a failure that leaves it unknown whether the service acted
   * (timeout, reset, lost answer, 5xx); fail with `ambiguous` instead so the caller reconciles by
   * reading. 429/503 are still re-sent (the service certainly did not act). The actions set it.
   */
  readonly reconcileByReading?: boolean;
}

/**
 * Options of state-gated mutations (terminate, lockForApproval, delete). When the caller already
 * knows the relationship's status, the client checks the precondition without reading it first.
 */
export interface MutationOptions extends CallOptions {
  /** The relationship's current status as last read; when absent, the client reads it first. */
  readonly currentStatus?: string;
  /** The relationship's display name, for messages. */
  readonly displayName?: string;
}

export interface ListRelationshipsOptions extends CallOptions {
  /** `$filter=customer/tenantId eq '…'`. */
  readonly customerTenantId?: string;
  /** `$filter=status eq '…'`. */
  readonly status?: string;
  /** Page size, default and maximum 300 (docs/api-notes.md §3.1). */
  readonly top?: number;
  /**
   * The caller reads every page: each next page is asked for as soon as its link is seen, before the
   * page is parsed (`GraphPager.pages`). Leave unset when the caller may stop early.
   */
  readonly readAll?: boolean;
}

export interface CreateRelationshipInput {
  readonly displayName: string;
  readonly duration: string;
  readonly roleDefinitionIds: readonly string[];
  readonly customer?: { readonly tenantId: string; readonly displayName?: string };
  readonly autoExtendDuration?: string;
}

export interface UpdateRelationshipInput {
  readonly displayName?: string;
  readonly duration?: string;
  readonly roleDefinitionIds?: readonly string[];
  readonly autoExtendDuration?: string;
  readonly customer?: { readonly tenantId: string; readonly displayName?: string };
}

export interface CreateAccessAssignmentInput {
  readonly securityGroupId: string;
  readonly roleDefinitionIds: readonly string[];
}

/** Result of a PATCH that may be synchronous (200) or long-running (202 + operation, awaited). */
export type UpdateResult<T> =
  { readonly kind: 'updated'; readonly value: T } | { readonly kind: 'operation'; readonly operation: RelationshipOperation };

export interface WaitOptions extends CallOptions {
  /** Give up (kind `timeout`) after this many milliseconds. */
  readonly timeoutMs?: number;
  /** First poll delay when the service gave no Retry-After. */
  readonly pollIntervalMs?: number;
  readonly onProgress?: (status: string) => void;
}

export interface GroupNameOptions extends CallOptions {
  /** Called for each id whose name could not be read (403 without a group-read scope, 404, …); it maps to itself. */
  readonly onUnresolved?: (id: string, error: GdapError) => void;
}

/** Per-item result of a batched read: one failing item never fails the others. */
export type BatchItemResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GdapError };

/**
 * Result of a batched read. Promise: exactly one entry per distinct requested key (duplicates
 * collapsed), in request order, each the item's value or its own error; a key is never missing, so
 * `get(key)` is defined for every key asked for. Per-item failures (403, 404, throttling that
 * outlasted the retries, a malformed item) are entries, never a rejection; the call rejects only for
 * invalid input (before any request), cancellation, or a streamed source that threw.
 */
export type BatchResults<T> = Map<string, BatchItemResult<T>>;

/** Options of a streamed batched read. */
export interface StreamedReadOptions<T> extends CallOptions {
  /**
   * Told each key's result as soon as it is final, while other keys are still being read: the same
   * result the returned map holds for that key, so work on it need not wait for the slowest batch.
   */
  readonly onResult?: (key: string, result: BatchItemResult<T>) => void;
  /**
   * `false`: a value `onResult` was given is not also kept for the returned map, which then holds only
   * the keys that did not succeed. For a caller that keeps what it needs from `onResult`: every value
   * held until the last batch outlived each collection of the run and was copied by it (BENCHMARKS.md,
   * "Inventory, ninth pass"). Default `true`.
   */
  readonly retainDelivered?: boolean;
}

/**
 * Microsoft Graph GDAP (docs/api-notes.md §3). Implemented by `GdapClient`; depended upon through this
 * interface by core/actions, the extension and the CLI. Every method validates its input before any
 * request (kind `invalidInput`) and throws only `GdapError`.
 */
export interface GdapApi {
  // Relationships
  listRelationships(options?: ListRelationshipsOptions): AsyncIterable<Relationship>;
  listAllRelationships(options?: ListRelationshipsOptions): Promise<Relationship[]>;
  getRelationship(id: string, options?: CallOptions): Promise<Relationship>;
  createRelationship(input: CreateRelationshipInput, options?: CallOptions): Promise<Relationship>;
  /** `If-Match: etag`. Removing Global Administrator from an active relationship returns an operation. */
  updateRelationship(id: string, etag: string, input: UpdateRelationshipInput, options?: WaitOptions): Promise<UpdateResult<Relationship>>;
  /** `If-Match: etag`; only in `created`. */
  deleteRelationship(id: string, etag: string, options?: MutationOptions): Promise<void>;
  /** Resolves when the relationship's status satisfies `done`, polling with backoff. */
  waitForRelationship(id: string, done: (r: Relationship) => boolean, options?: WaitOptions): Promise<Relationship>;

  // Requests (lockForApproval, terminate, …)
  createRequest(relationshipId: string, action: RequestAction, options?: MutationOptions): Promise<RelationshipRequest>;
  listRequests(relationshipId: string, options?: CallOptions): Promise<RelationshipRequest[]>;
  getRequest(relationshipId: string, requestId: string, options?: CallOptions): Promise<RelationshipRequest>;

  // Access assignments
  listAccessAssignments(relationshipId: string, options?: CallOptions): Promise<AccessAssignment[]>;
  getAccessAssignment(relationshipId: string, assignmentId: string, options?: CallOptions): Promise<AccessAssignment>;
  createAccessAssignment(relationshipId: string, input: CreateAccessAssignmentInput, options?: CallOptions): Promise<AccessAssignment>;
  /** `If-Match: etag`; usually 202 + operation (awaited), 200 when nothing changes. */
  updateAccessAssignment(
    relationshipId: string,
    assignmentId: string,
    etag: string,
    roleDefinitionIds: readonly string[],
    options?: WaitOptions,
  ): Promise<UpdateResult<AccessAssignment>>;
  /** `If-Match: etag`; 204. */
  deleteAccessAssignment(relationshipId: string, assignmentId: string, etag: string, options?: CallOptions): Promise<void>;

  // Operations
  listOperations(relationshipId: string, options?: CallOptions): Promise<RelationshipOperation[]>;
  getOperation(relationshipId: string, operationId: string, options?: CallOptions): Promise<RelationshipOperation>;

  // Batched reads (Graph $batch, ≤ 20 per batch, per-sub-request retry, bounded concurrency).
  /** Every access assignment of each relationship (following each list's nextLink). Keyed by relationship id. */
  listAccessAssignmentsForMany(relationshipIds: readonly string[], options?: CallOptions): Promise<BatchResults<AccessAssignment[]>>;
  /**
   * As listAccessAssignmentsForMany, with the ids arriving in groups over time (e.g. per relationship
   * page while later pages are still being read): full batches of 20 go out at once, the remainder is
   * carried until the source ends, so the `$batch` count equals that of the whole list at once. Rejects
   * with the source's error if it throws. Optional: test doubles may leave it out (callers then collect
   * the ids first).
   */
  listAccessAssignmentsForManyStreamed?(
    relationshipIds: AsyncIterable<readonly string[]>,
    options?: StreamedReadOptions<AccessAssignment[]>,
  ): Promise<BatchResults<AccessAssignment[]>>;
  /** Current state of many relationships, e.g. to poll bulk terminations. Keyed by id. */
  getRelationshipsMany(ids: readonly string[], options?: CallOptions): Promise<BatchResults<Relationship>>;
  /** Current state of many access assignments; a 404 item is an error of kind `notFound`. Keyed by `<relationshipId>/<assignmentId>`. */
  getAccessAssignmentsMany(
    targets: readonly { relationshipId: string; assignmentId: string }[],
    options?: CallOptions,
  ): Promise<BatchResults<AccessAssignment>>;

  // Security groups of the partner tenant (access containers)
  /**
   * Display names of security groups: `GET /groups/{id}?$select=id,displayName` through the request
   * engine ($batch). Every id is in the result: its name, or the id itself when the name cannot be read
   * (reported through `onUnresolved`). Fails only when cancelled. Optional, so test doubles and
   * implementations without directory access may leave it out (callers then show ids).
   */
  getGroupNames?(ids: readonly string[], options?: GroupNameOptions): Promise<Map<string, string>>;
  /**
   * Security groups whose display name starts with `prefix` (at least 2 characters; single page of 25):
   * `GET /groups?$filter=securityEnabled eq true and startswith(displayName,'…')`. Same consent as
   * getGroupNames. Optional like it: callers without it ask for a group id.
   */
  searchSecurityGroups?(prefix: string, options?: CallOptions): Promise<FoundGroup[]>;
  /**
   * Every member of a security group, nested groups' members included:
   * `GET /groups/{id}/transitiveMembers?$select=id,displayName,userPrincipalName`, all pages. Same consent
   * as getGroupNames (kind `forbidden` without it). Optional like it: callers without it show no members.
   */
  listGroupMembers?(groupId: string, options?: CallOptions): Promise<GroupMember[]>;

  // Customers
  listCustomers(options?: CallOptions): Promise<DelegatedAdminCustomer[]>;
  getCustomer(customerId: string, options?: CallOptions): Promise<DelegatedAdminCustomer>;
  listServiceManagementDetails(customerId: string, options?: CallOptions): Promise<ServiceManagementDetail[]>;
}
