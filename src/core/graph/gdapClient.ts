import { type Clock, systemClock } from '../http/clock';
import type { ServiceEndpoints } from '../http/clouds';
import { errorFromResponse, getHeader, parseRetryAfter } from '../http/errorMapping';
import { GdapError, isGdapError } from '../http/gdapError';
import type { RequestLogger } from '../http/requestLog';
import { isAmbiguousStatus, isIdempotentRequest, resolveRetryPolicy, type ResolvedRetryPolicy } from '../http/retryPolicy';
import { ThrottleGate } from '../http/throttleGate';
import type { ServiceClientOptions } from '../http/serviceClientOptions';
import type { HttpResponse } from '../http/transport';
import { type BatchRead, type BatchSubResponse, runBatchedReads } from './batchEngine';
import type {
  BatchItemResult,
  CallOptions,
  CreateAccessAssignmentInput,
  CreateRelationshipInput,
  GdapApi,
  GroupNameOptions,
  ListRelationshipsOptions,
  MutationOptions,
  UpdateRelationshipInput,
  UpdateResult,
  WaitOptions,
} from './gdapApi';
import type {
  AccessAssignment,
  DelegatedAdminCustomer,
  Relationship,
  RelationshipOperation,
  RelationshipRequest,
  RequestAction,
  ServiceManagementDetail,
} from './models';
import { createGraphPipeline, type GraphPipeline } from './graphPipeline';
import {
  normaliseAccessAssignment,
  normaliseCustomer,
  normaliseOperation,
  normaliseRelationship,
  normaliseRequest,
  normaliseServiceManagementDetail,
  parseOrThrow,
} from './normalise';
import {
  assertCanDelete,
  assertCanLockForApproval,
  assertCanTerminate,
  assertEtag,
  assertGuid,
  assertOpaqueId,
  isGuid,
  odataString,
  validateCreateAccessAssignmentInput,
  validateCreateRelationshipInput,
  validateUpdateRelationshipInput,
} from './preconditions';
import { collectionSchema, groupNameSchema } from './schemas';

export interface GdapClientOptions extends ServiceClientOptions {
  /** `$batch` requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Sub-requests per `$batch`, ≤ 20. Default 20. */
  readonly batchSize?: number;
  /** First poll delay for LROs and waits when the service gives no Retry-After. Default 2000 ms. */
  readonly pollIntervalMs?: number;
  /** Longest poll interval. Default 15 s. */
  readonly maxPollIntervalMs?: number;
  /** Default deadline of waits (LRO, waitForRelationship). Default 10 min. */
  readonly waitTimeoutMs?: number;
  /** Page size, ≤ 300 (docs/api-notes.md §3.1). Default 300. */
  readonly pageSize?: number;
}

const MAX_PAGES = 100_000;
const TERMINAL_OPERATION_STATUSES = new Set(['succeeded', 'failed']);

/**
 * Microsoft Graph GDAP client (docs/api-notes.md §3) over `@microsoft/microsoft-graph-client` with core's
 * middleware chain. Throws only GdapError.
 */
export class GdapClient implements GdapApi {
  private readonly endpoints: ServiceEndpoints;
  private readonly pipeline: GraphPipeline;
  private readonly clock: Clock;
  private readonly policy: ResolvedRetryPolicy;
  private readonly gate: ThrottleGate;
  private readonly log?: RequestLogger;
  private readonly base: string;
  private readonly pageSize: number;

  constructor(private readonly options: GdapClientOptions) {
    this.endpoints = options.endpoints;
    this.clock = options.clock ?? systemClock;
    this.policy = resolveRetryPolicy(options.retry);
    this.gate = options.throttleGate ?? new ThrottleGate(this.clock);
    this.log = options.log;
    this.base = options.endpoints.graphBaseUrl.replace(/\/+$/, '');
    this.pageSize = Math.max(1, Math.min(300, options.pageSize ?? 300));
    this.pipeline = createGraphPipeline({
      endpoints: options.endpoints,
      tokens: options.tokens,
      transport: options.transport,
      policy: this.policy,
      clock: this.clock,
      gate: this.gate,
      log: options.log,
      timeoutMs: options.timeoutMs,
    });
  }

  /** The shared throttle gate (for callers that run their own workers). */
  get throttleGate(): ThrottleGate {
    return this.gate;
  }

  // ---------------------------------------------------------------- plumbing

  private relUrl(id: string): string {
    return `${this.base}/tenantRelationships/delegatedAdminRelationships/${encodeURIComponent(id)}`;
  }

  private async call(
    method: string,
    url: string,
    options: { body?: unknown; headers?: Record<string, string>; signal?: AbortSignal; expect: readonly number[]; noReplay?: boolean },
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(options.headers ?? {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    const replayable = options.noReplay === true ? false : undefined;
    const { response, clientRequestId } = await this.pipeline.send({
      method,
      url,
      headers,
      body,
      signal: options.signal,
      ...(replayable !== undefined ? { idempotent: replayable } : {}),
    });
    if (options.expect.includes(response.status)) {
      return response;
    }
    const idempotent = replayable ?? isIdempotentRequest(method, headers);
    throw errorFromResponse(
      response,
      { service: 'graph', method, url, clientRequestId, ambiguous: isAmbiguousStatus(response.status, idempotent) },
      this.clock.now(),
    );
  }

  private json(response: HttpResponse, what: string): unknown {
    if (response.body.trim() === '') {
      throw new GdapError({
        kind: 'invalidResponse',
        status: response.status,
        message: `Microsoft Graph sent ${what} with an empty body.`,
      });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch (e) {
      throw new GdapError({
        kind: 'invalidResponse',
        status: response.status,
        message: `Microsoft Graph sent ${what} that is not valid JSON.`,
        cause: e,
      });
    }
  }

  private async getOne<T>(url: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T> {
    const response = await this.call('GET', url, { signal, expect: [200] });
    return normalise(this.json(response, what));
  }

  /** Follows `@odata.nextLink` verbatim (docs/api-notes.md §5); chains are sequential by nature. */
  private async *pages<T>(firstUrl: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): AsyncGenerator<T> {
    let url: string | undefined = firstUrl;
    const seen = new Set<string>();
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES || seen.has(url)) {
        throw new GdapError({
          kind: 'invalidResponse',
          message: `Microsoft Graph kept returning more pages of ${what} (nextLink loop); stopped.`,
        });
      }
      seen.add(url);
      const response = await this.call('GET', url, { signal, expect: [200] });
      const parsed = parseOrThrow(collectionSchema, this.json(response, what), what);
      const items = parsed.value.map(normalise);
      for (const item of items) {
        yield item;
      }
      url = parsed['@odata.nextLink'] === undefined ? undefined : this.checkServiceUrl(parsed['@odata.nextLink'], 'nextLink');
    }
  }

  private async collect<T>(firstUrl: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.pages(firstUrl, what, normalise, signal)) {
      out.push(item);
    }
    return out;
  }

  /** A URL the service handed us (nextLink, Location) must stay on the Graph origin we talk to. */
  private checkServiceUrl(value: string, what: string): string {
    let url: URL;
    try {
      url = new URL(value, `${this.base}/`);
    } catch {
      throw new GdapError({ kind: 'invalidResponse', message: `Microsoft Graph sent an invalid ${what}.` });
    }
    if (url.origin !== new URL(this.base).origin) {
      throw new GdapError({
        kind: 'invalidResponse',
        message: `Microsoft Graph sent a ${what} to another host (${url.host}); it was not followed.`,
      });
    }
    return value.startsWith('http') ? value : url.href;
  }

  private withTop(url: string, extra: string[] = []): string {
    return `${url}?${[`$top=${this.pageSize}`, ...extra].join('&')}`;
  }

  // ---------------------------------------------------------------- relationships

  listRelationships(options: ListRelationshipsOptions = {}): AsyncIterable<Relationship> {
    const filters: string[] = [];
    if (options.customerTenantId !== undefined) {
      assertGuid(options.customerTenantId, 'The customer tenant id');
      filters.push(`customer/tenantId eq ${odataString(options.customerTenantId)}`);
    }
    if (options.status !== undefined) {
      if (!/^[A-Za-z]{1,64}$/.test(options.status)) {
        throw new GdapError({ kind: 'invalidInput', message: `Unknown relationship status filter "${options.status}".` });
      }
      filters.push(`status eq ${odataString(options.status)}`);
    }
    const top = Math.max(1, Math.min(300, options.top ?? this.pageSize));
    const query = [`$top=${top}`];
    if (filters.length > 0) {
      query.push(`$filter=${encodeURIComponent(filters.join(' and '))}`);
    }
    const url = `${this.base}/tenantRelationships/delegatedAdminRelationships?${query.join('&')}`;
    return this.pages(url, 'relationships', normaliseRelationship, options.signal);
  }

  async listAllRelationships(options: ListRelationshipsOptions = {}): Promise<Relationship[]> {
    const out: Relationship[] = [];
    for await (const r of this.listRelationships(options)) {
      out.push(r);
    }
    return out;
  }

  async getRelationship(id: string, options: CallOptions = {}): Promise<Relationship> {
    assertOpaqueId(id, 'The relationship id');
    return this.getOne(this.relUrl(id), 'a relationship', normaliseRelationship, options.signal);
  }

  async createRelationship(input: CreateRelationshipInput, options: CallOptions = {}): Promise<Relationship> {
    validateCreateRelationshipInput(input);
    const body: Record<string, unknown> = {
      displayName: input.displayName,
      duration: input.duration,
      accessDetails: { unifiedRoles: input.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    };
    if (input.customer !== undefined) {
      body.customer =
        input.customer.displayName === undefined
          ? { tenantId: input.customer.tenantId }
          : { tenantId: input.customer.tenantId, displayName: input.customer.displayName };
    }
    if (input.autoExtendDuration !== undefined) {
      body.autoExtendDuration = input.autoExtendDuration;
    }
    // A plain POST: re-sent only on 429/503; an ambiguous failure surfaces with `ambiguous: true`.
    const response = await this.call('POST', `${this.base}/tenantRelationships/delegatedAdminRelationships`, {
      body,
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseRelationship(this.json(response, 'the created relationship'));
  }

  async updateRelationship(
    id: string,
    etag: string,
    input: UpdateRelationshipInput,
    options: WaitOptions = {},
  ): Promise<UpdateResult<Relationship>> {
    assertOpaqueId(id, 'The relationship id');
    assertEtag(etag);
    validateUpdateRelationshipInput(input);
    const body: Record<string, unknown> = {};
    if (input.displayName !== undefined) {
      body.displayName = input.displayName;
    }
    if (input.duration !== undefined) {
      body.duration = input.duration;
    }
    if (input.roleDefinitionIds !== undefined) {
      body.accessDetails = { unifiedRoles: input.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) };
    }
    if (input.autoExtendDuration !== undefined) {
      body.autoExtendDuration = input.autoExtendDuration;
    }
    if (input.customer !== undefined) {
      body.customer =
        input.customer.displayName === undefined
          ? { tenantId: input.customer.tenantId }
          : { tenantId: input.customer.tenantId, displayName: input.customer.displayName };
    }
    const response = await this.call('PATCH', this.relUrl(id), {
      body,
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [200, 202],
      noReplay: options.reconcileByReading === true,
    });
    if (response.status === 202) {
      return { kind: 'operation', operation: await this.followOperation(response, id, options) };
    }
    return { kind: 'updated', value: normaliseRelationship(this.json(response, 'the updated relationship')) };
  }

  async deleteRelationship(id: string, etag: string, options: MutationOptions = {}): Promise<void> {
    assertOpaqueId(id, 'The relationship id');
    assertEtag(etag);
    await this.checkState(id, options, assertCanDelete);
    await this.call('DELETE', this.relUrl(id), {
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [204, 200],
      noReplay: options.reconcileByReading === true,
    });
  }

  private async checkState(
    id: string,
    options: MutationOptions,
    check: (r: { status: string; displayName: string }) => void,
  ): Promise<void> {
    if (options.currentStatus !== undefined) {
      check({ status: options.currentStatus, displayName: options.displayName ?? id });
      return;
    }
    check(await this.getRelationship(id, options));
  }

  async waitForRelationship(id: string, done: (r: Relationship) => boolean, options: WaitOptions = {}): Promise<Relationship> {
    assertOpaqueId(id, 'The relationship id');
    const deadline = this.clock.now() + (options.timeoutMs ?? this.options.waitTimeoutMs ?? 600_000);
    let interval = options.pollIntervalMs ?? this.options.pollIntervalMs ?? 2000;
    for (;;) {
      const r = await this.getRelationship(id, options);
      options.onProgress?.(r.status);
      if (done(r)) {
        return r;
      }
      if (this.clock.now() + interval > deadline) {
        throw new GdapError({
          kind: 'timeout',
          message: `"${r.displayName}" is still ${r.status}; stopped waiting. It may still change: refresh later.`,
        });
      }
      await this.clock.sleep(interval, options.signal);
      interval = Math.min(this.options.maxPollIntervalMs ?? 15_000, Math.round(interval * 1.5));
    }
  }

  /** 202 → poll the operation at the absolute Location, honouring Retry-After (docs/api-notes.md §4.6). */
  private async followOperation(accepted: HttpResponse, relationshipId: string, options: WaitOptions): Promise<RelationshipOperation> {
    const location = getHeader(accepted.headers, 'location');
    if (location === undefined || location.trim() === '') {
      throw new GdapError({
        kind: 'invalidResponse',
        status: 202,
        message: 'Microsoft Graph accepted the change (202) but sent no Location to follow; refresh to see its outcome.',
      });
    }
    const url = this.checkServiceUrl(location.trim(), 'Location');
    const deadline = this.clock.now() + (options.timeoutMs ?? this.options.waitTimeoutMs ?? 600_000);
    const fallback = options.pollIntervalMs ?? this.options.pollIntervalMs ?? 2000;
    let delay = parseRetryAfter(getHeader(accepted.headers, 'retry-after'), this.clock.now()) ?? fallback;
    let interval = fallback;
    for (;;) {
      if (this.clock.now() + delay > deadline) {
        throw new GdapError({
          kind: 'timeout',
          message: 'The change is still being applied; stopped waiting. Refresh later to see its outcome.',
        });
      }
      await this.clock.sleep(delay, options.signal);
      const response = await this.call('GET', url, { signal: options.signal, expect: [200] });
      const operation = normaliseOperation(this.json(response, 'an operation'), relationshipId);
      options.onProgress?.(operation.status);
      if (TERMINAL_OPERATION_STATUSES.has(operation.status)) {
        return operation;
      }
      interval = Math.min(this.options.maxPollIntervalMs ?? 15_000, Math.round(interval * 1.5));
      delay = parseRetryAfter(getHeader(response.headers, 'retry-after'), this.clock.now()) ?? interval;
    }
  }

  // ---------------------------------------------------------------- requests

  async createRequest(relationshipId: string, action: RequestAction, options: MutationOptions = {}): Promise<RelationshipRequest> {
    assertOpaqueId(relationshipId, 'The relationship id');
    if (!['lockForApproval', 'approve', 'terminate', 'reject'].includes(action)) {
      throw new GdapError({ kind: 'invalidInput', message: `Unknown request action "${String(action)}".` });
    }
    if (action === 'terminate') {
      await this.checkState(relationshipId, options, assertCanTerminate);
    } else if (action === 'lockForApproval') {
      await this.checkState(relationshipId, options, assertCanLockForApproval);
    }
    const response = await this.call('POST', `${this.relUrl(relationshipId)}/requests`, {
      body: { action },
      // Without it `reject` comes back as `unknownFutureValue` (docs/api-notes.md §12.6).
      headers: { Prefer: 'include-unknown-enum-members' },
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseRequest(this.json(response, 'the created request'), relationshipId);
  }

  async listRequests(relationshipId: string, options: CallOptions = {}): Promise<RelationshipRequest[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    // No documented $top maximum for requests (§3.6): let the service page.
    return this.collect(
      `${this.relUrl(relationshipId)}/requests`,
      'requests',
      (raw) => normaliseRequest(raw, relationshipId),
      options.signal,
    );
  }

  async getRequest(relationshipId: string, requestId: string, options: CallOptions = {}): Promise<RelationshipRequest> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(requestId, 'The request id');
    return this.getOne(
      `${this.relUrl(relationshipId)}/requests/${encodeURIComponent(requestId)}`,
      'a request',
      (raw) => normaliseRequest(raw, relationshipId),
      options.signal,
    );
  }

  // ---------------------------------------------------------------- access assignments

  async listAccessAssignments(relationshipId: string, options: CallOptions = {}): Promise<AccessAssignment[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    return this.collect(
      this.withTop(`${this.relUrl(relationshipId)}/accessAssignments`),
      'access assignments',
      (raw) => normaliseAccessAssignment(raw, relationshipId),
      options.signal,
    );
  }

  async getAccessAssignment(relationshipId: string, assignmentId: string, options: CallOptions = {}): Promise<AccessAssignment> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(assignmentId, 'The access assignment id');
    return this.getOne(
      this.assignmentUrl(relationshipId, assignmentId),
      'an access assignment',
      (raw) => normaliseAccessAssignment(raw, relationshipId),
      options.signal,
    );
  }

  private assignmentUrl(relationshipId: string, assignmentId: string): string {
    return `${this.relUrl(relationshipId)}/accessAssignments/${encodeURIComponent(assignmentId)}`;
  }

  async createAccessAssignment(
    relationshipId: string,
    input: CreateAccessAssignmentInput,
    options: CallOptions = {},
  ): Promise<AccessAssignment> {
    assertOpaqueId(relationshipId, 'The relationship id');
    validateCreateAccessAssignmentInput(input);
    const body = {
      accessContainer: { accessContainerId: input.securityGroupId, accessContainerType: 'securityGroup' },
      accessDetails: { unifiedRoles: input.roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    };
    const response = await this.call('POST', `${this.relUrl(relationshipId)}/accessAssignments`, {
      body,
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseAccessAssignment(this.json(response, 'the created access assignment'), relationshipId);
  }

  async updateAccessAssignment(
    relationshipId: string,
    assignmentId: string,
    etag: string,
    roleDefinitionIds: readonly string[],
    options: WaitOptions = {},
  ): Promise<UpdateResult<AccessAssignment>> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(assignmentId, 'The access assignment id');
    assertEtag(etag);
    validateCreateAccessAssignmentInput({ securityGroupId: '00000000-0000-0000-0000-000000000000', roleDefinitionIds });
    const body = { accessDetails: { unifiedRoles: roleDefinitionIds.map((roleDefinitionId) => ({ roleDefinitionId })) } };
    const response = await this.call('PATCH', this.assignmentUrl(relationshipId, assignmentId), {
      body,
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [200, 202],
      noReplay: options.reconcileByReading === true,
    });
    if (response.status === 202) {
      return { kind: 'operation', operation: await this.followOperation(response, relationshipId, options) };
    }
    return { kind: 'updated', value: normaliseAccessAssignment(this.json(response, 'the access assignment'), relationshipId) };
  }

  async deleteAccessAssignment(relationshipId: string, assignmentId: string, etag: string, options: CallOptions = {}): Promise<void> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(assignmentId, 'The access assignment id');
    assertEtag(etag);
    await this.call('DELETE', this.assignmentUrl(relationshipId, assignmentId), {
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [204, 200, 202],
      noReplay: options.reconcileByReading === true,
    });
  }

  // ---------------------------------------------------------------- operations

  async listOperations(relationshipId: string, options: CallOptions = {}): Promise<RelationshipOperation[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    return this.collect(
      this.withTop(`${this.relUrl(relationshipId)}/operations`),
      'operations',
      (raw) => normaliseOperation(raw, relationshipId),
      options.signal,
    );
  }

  async getOperation(relationshipId: string, operationId: string, options: CallOptions = {}): Promise<RelationshipOperation> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(operationId, 'The operation id');
    return this.getOne(
      `${this.relUrl(relationshipId)}/operations/${encodeURIComponent(operationId)}`,
      'an operation',
      (raw) => normaliseOperation(raw, relationshipId),
      options.signal,
    );
  }

  // ---------------------------------------------------------------- customers

  async listCustomers(options: CallOptions = {}): Promise<DelegatedAdminCustomer[]> {
    return this.collect(
      this.withTop(`${this.base}/tenantRelationships/delegatedAdminCustomers`),
      'customers',
      normaliseCustomer,
      options.signal,
    );
  }

  async getCustomer(customerId: string, options: CallOptions = {}): Promise<DelegatedAdminCustomer> {
    assertGuid(customerId, 'The customer id');
    return this.getOne(
      `${this.base}/tenantRelationships/delegatedAdminCustomers/${customerId}`,
      'a customer',
      normaliseCustomer,
      options.signal,
    );
  }

  async listServiceManagementDetails(customerId: string, options: CallOptions = {}): Promise<ServiceManagementDetail[]> {
    assertGuid(customerId, 'The customer id');
    // "does not support OData query parameters" (docs/api-notes.md §3.18): no $top.
    return this.collect(
      `${this.base}/tenantRelationships/delegatedAdminCustomers/${customerId}/serviceManagementDetails`,
      'service management details',
      normaliseServiceManagementDetail,
      options.signal,
    );
  }

  // ---------------------------------------------------------------- batched reads (request engine)

  /** Relative form of a Graph URL for a `$batch` sub-request, or undefined when it is not under our base. */
  private relative(url: string): string | undefined {
    return url.startsWith(`${this.base}/`) ? url.slice(this.base.length) : undefined;
  }

  private async postBatch(body: string, signal?: AbortSignal): Promise<unknown> {
    // Every sub-request is a GET, so the whole $batch may be replayed safely.
    const { response, clientRequestId } = await this.pipeline.send({
      method: 'POST',
      url: `${this.base}/$batch`,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body,
      signal,
      idempotent: true,
    });
    if (response.status !== 200) {
      throw errorFromResponse(
        response,
        { service: 'graph', method: 'POST', url: `${this.base}/$batch`, clientRequestId },
        this.clock.now(),
      );
    }
    return this.json(response, 'a $batch response');
  }

  private async batched<T>(
    reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
    onPage: (key: string, body: unknown) => string | undefined,
    signal?: AbortSignal,
  ): Promise<Map<string, BatchItemResult<T>> & { errors: Map<string, GdapError> }> {
    const errors = new Map<string, GdapError>();
    const outcomes = await runBatchedReads(
      reads,
      (key: string, response: BatchSubResponse): BatchRead | undefined => {
        const next = onPage(key, response.body);
        if (next === undefined) {
          return undefined;
        }
        const rel = this.relative(this.checkServiceUrl(next, 'nextLink'));
        if (rel === undefined) {
          throw new GdapError({
            kind: 'invalidResponse',
            message: 'Microsoft Graph sent a nextLink outside the API root; it was not followed.',
          });
        }
        return { key, url: rel };
      },
      {
        postBatch: (body, s) => this.postBatch(body, s),
        clock: this.clock,
        policy: this.policy,
        gate: this.gate,
        log: this.log,
        concurrency: this.options.concurrency,
        batchSize: this.options.batchSize,
      },
      signal,
    );
    const result = new Map<string, BatchItemResult<T>>() as Map<string, BatchItemResult<T>> & { errors: Map<string, GdapError> };
    for (const [key, outcome] of outcomes) {
      if (!outcome.ok) {
        errors.set(key, outcome.error);
      }
    }
    result.errors = errors;
    return result;
  }

  async listAccessAssignmentsForMany(
    relationshipIds: readonly string[],
    options: CallOptions = {},
  ): Promise<Map<string, BatchItemResult<AccessAssignment[]>>> {
    relationshipIds.forEach((id) => assertOpaqueId(id, 'The relationship id'));
    const unique = [...new Set(relationshipIds)];
    const collected = new Map<string, AccessAssignment[]>(unique.map((id) => [id, []]));
    return this.assignmentsOf(
      unique,
      collected,
      unique.map((id) => this.assignmentsRead(id)),
      options,
    );
  }

  async listAccessAssignmentsForManyStreamed(
    relationshipIds: AsyncIterable<readonly string[]>,
    options: CallOptions = {},
  ): Promise<Map<string, BatchItemResult<AccessAssignment[]>>> {
    const unique: string[] = [];
    const collected = new Map<string, AccessAssignment[]>();
    const reads = async function* (client: GdapClient): AsyncGenerator<BatchRead[]> {
      for await (const group of relationshipIds) {
        const fresh: BatchRead[] = [];
        for (const id of group) {
          assertOpaqueId(id, 'The relationship id');
          if (!collected.has(id)) {
            collected.set(id, []);
            unique.push(id);
            fresh.push(client.assignmentsRead(id));
          }
        }
        yield fresh;
      }
    };
    return this.assignmentsOf(unique, collected, reads(this), options);
  }

  private assignmentsRead(relationshipId: string): BatchRead {
    return { key: relationshipId, url: this.relative(this.withTop(`${this.relUrl(relationshipId)}/accessAssignments`)) ?? '' };
  }

  /** `ids` and `collected` may still be filled while the reads stream in; both are complete when the engine ends. */
  private async assignmentsOf(
    ids: readonly string[],
    collected: Map<string, AccessAssignment[]>,
    reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
    options: CallOptions,
  ): Promise<Map<string, BatchItemResult<AccessAssignment[]>>> {
    const { errors } = await this.batched<AccessAssignment[]>(
      reads,
      (key, body) => {
        const page = parseOrThrow(collectionSchema, body, 'access assignments');
        collected.get(key)?.push(...page.value.map((raw) => normaliseAccessAssignment(raw, key)));
        return page['@odata.nextLink'];
      },
      options.signal,
    );
    return new Map(
      ids.map((id) => [
        id,
        errors.has(id) ? { ok: false as const, error: errors.get(id) as GdapError } : { ok: true as const, value: collected.get(id) ?? [] },
      ]),
    );
  }

  async getRelationshipsMany(ids: readonly string[], options: CallOptions = {}): Promise<Map<string, BatchItemResult<Relationship>>> {
    ids.forEach((id) => assertOpaqueId(id, 'The relationship id'));
    const unique = [...new Set(ids)];
    const values = new Map<string, Relationship>();
    const { errors } = await this.batched<Relationship>(
      unique.map((id) => ({ key: id, url: this.relative(this.relUrl(id)) ?? '' })),
      (key, body) => {
        values.set(key, normaliseRelationship(body));
        return undefined;
      },
      options.signal,
    );
    return this.assemble(unique, values, errors);
  }

  async getAccessAssignmentsMany(
    targets: readonly { relationshipId: string; assignmentId: string }[],
    options: CallOptions = {},
  ): Promise<Map<string, BatchItemResult<AccessAssignment>>> {
    for (const t of targets) {
      assertOpaqueId(t.relationshipId, 'The relationship id');
      assertOpaqueId(t.assignmentId, 'The access assignment id');
    }
    const byKey = new Map(targets.map((t) => [`${t.relationshipId}/${t.assignmentId}`, t]));
    const values = new Map<string, AccessAssignment>();
    const { errors } = await this.batched<AccessAssignment>(
      [...byKey].map(([key, t]) => ({ key, url: this.relative(this.assignmentUrl(t.relationshipId, t.assignmentId)) ?? '' })),
      (key, body) => {
        values.set(key, normaliseAccessAssignment(body, byKey.get(key)?.relationshipId ?? ''));
        return undefined;
      },
      options.signal,
    );
    return this.assemble([...byKey.keys()], values, errors);
  }

  async getGroupNames(ids: readonly string[], options: GroupNameOptions = {}): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const failed = new Map<string, GdapError>();
    // Access container ids are directory object ids (GUIDs); anything else is shown as it is, unsent.
    const unique = [...new Set(ids)];
    const valid = unique.filter((id) => isGuid(id));
    for (const id of unique.filter((x) => !isGuid(x))) {
      failed.set(id, new GdapError({ kind: 'invalidInput', message: 'The security group id is not a GUID; its name was not looked up.' }));
    }
    if (valid.length > 0) {
      try {
        const { errors } = await this.batched<string>(
          valid.map((id) => ({ key: id, url: `/groups/${id}?$select=id,displayName` })),
          (key, body) => {
            const group = parseOrThrow(groupNameSchema, body, 'a security group');
            if (group.displayName !== null && group.displayName.trim() !== '') {
              names.set(key, group.displayName);
            }
            return undefined;
          },
          options.signal,
        );
        for (const [id, error] of errors) {
          failed.set(id, error);
        }
      } catch (e) {
        const error = isGdapError(e) ? e : new GdapError({ kind: 'network', message: 'Security group names could not be read.', cause: e });
        if (error.kind === 'cancelled') {
          throw error;
        }
        // Names are a convenience: a failed $batch leaves every id shown as it is.
        for (const id of valid) {
          failed.set(id, error);
        }
      }
    }
    const out = new Map<string, string>();
    for (const id of unique) {
      const name = names.get(id);
      if (name !== undefined) {
        out.set(id, name);
        continue;
      }
      out.set(id, id);
      options.onUnresolved?.(
        id,
        failed.get(id) ?? new GdapError({ kind: 'invalidResponse', message: 'Microsoft Graph returned the group without a display name.' }),
      );
    }
    return out;
  }

  private assemble<T>(keys: readonly string[], values: Map<string, T>, errors: Map<string, GdapError>): Map<string, BatchItemResult<T>> {
    const out = new Map<string, BatchItemResult<T>>();
    for (const key of keys) {
      const error = errors.get(key);
      const value = values.get(key);
      if (error !== undefined) {
        out.set(key, { ok: false, error });
      } else if (value !== undefined) {
        out.set(key, { ok: true, value });
      } else {
        out.set(key, {
          ok: false,
          error: new GdapError({ kind: 'invalidResponse', message: 'Microsoft Graph sent no answer for this item.' }),
        });
      }
    }
    return out;
  }
}
