import type {
  BatchItemResult,
  CallOptions,
  CreateAccessAssignmentInput,
  CreateRelationshipInput,
  GdapApi,
  ListRelationshipsOptions,
  UpdateRelationshipInput,
  UpdateResult,
  WaitOptions,
} from '../../../../src/core/graph/gdapApi';
import type {
  AccessAssignment,
  DelegatedAdminCustomer,
  Relationship,
  RelationshipOperation,
  RelationshipRequest,
  RequestAction,
  ServiceManagementDetail,
} from '../../../../src/core/graph/models';
import { GdapError } from '../../../../src/core/http/gdapError';
import { FaultQueue, faultError, notFound, sleep } from './fakeFaults';

export interface Call {
  readonly method: string;
  readonly args: readonly unknown[];
}

function cancelledIfAborted(options?: CallOptions): void {
  if (options?.signal?.aborted === true) {
    throw new GdapError({ kind: 'cancelled', message: 'Cancelled.' });
  }
}

/**
 * An in-memory Graph GDAP service that models what the actions rely on: the relationship state machine
 * (terminate from `active` only; terminationRequested → terminating → terminated, one step per read),
 * ETags that change on every change, 412 on a stale If-Match, 404 after a delete, paging and batching
 * counted as the real client would send them, and injectable faults that did or did not apply.
 */
export class FakeGdap implements GdapApi {
  readonly relationships = new Map<string, Relationship>();
  readonly assignments = new Map<string, AccessAssignment>();
  readonly requests = new Map<string, RelationshipRequest[]>();
  customers: DelegatedAdminCustomer[] = [];
  readonly calls: Call[] = [];
  readonly faults = new FaultQueue();
  /** HTTP requests the real client would have sent (pages, batches of 20, single calls). */
  requestCount = 0;
  /** Advance in-flight terminations one step on each read. */
  autoAdvance = true;
  /** After a DELETE: `gone` (404 at once) or `deleting` (reads `deleting` once, then 404). */
  deleteMode: 'gone' | 'deleting' = 'gone';
  /** Delay inside each mutation, to observe concurrency. */
  mutationDelayMs = 0;
  inFlightMutations = 0;
  maxInFlightMutations = 0;
  private etagSeq = 0;

  // ----- seeding -----
  nextEtag(): string {
    this.etagSeq += 1;
    return `W/"etag-${this.etagSeq}"`;
  }

  addRelationship(partial: Partial<Relationship> & { id: string }): Relationship {
    const r: Relationship = {
      type: 'relationship',
      displayName: `Relationship ${partial.id}`,
      status: 'active',
      customer: { tenantId: `tenant-${partial.id}`, displayName: `Customer ${partial.id}` },
      roleDefinitionIds: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b'],
      duration: 'P730D',
      autoExtendDuration: 'PT0S',
      createdDateTime: '2025-01-01T00:00:00Z',
      activatedDateTime: '2025-01-02T00:00:00Z',
      endDateTime: '2027-01-02T00:00:00Z',
      lastModifiedDateTime: '2025-01-02T00:00:00Z',
      etag: this.nextEtag(),
      ...partial,
    };
    this.relationships.set(r.id, r);
    return r;
  }

  addAssignment(partial: Partial<AccessAssignment> & { id: string; relationshipId: string }): AccessAssignment {
    const a: AccessAssignment = {
      status: 'active',
      accessContainer: { accessContainerId: `group-${partial.id}`, accessContainerType: 'securityGroup' },
      roleDefinitionIds: ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b'],
      createdDateTime: '2025-01-03T00:00:00Z',
      lastModifiedDateTime: '2025-01-03T00:00:00Z',
      etag: this.nextEtag(),
      ...partial,
    };
    this.assignments.set(`${a.relationshipId}/${a.id}`, a);
    return a;
  }

  /** Calls of one method. */
  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Mutation calls (anything that changes state). */
  mutations(): Call[] {
    return this.calls.filter((c) =>
      [
        'createRequest',
        'deleteAccessAssignment',
        'updateRelationship',
        'deleteRelationship',
        'updateAccessAssignment',
        'createAccessAssignment',
        'createRelationship',
      ].includes(c.method),
    );
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private advance(id: string): void {
    const r = this.relationships.get(id);
    if (r === undefined || !this.autoAdvance) {
      return;
    }
    const next = r.status === 'terminationRequested' ? 'terminating' : r.status === 'terminating' ? 'terminated' : undefined;
    if (next !== undefined) {
      this.relationships.set(id, { ...r, status: next, etag: this.nextEtag() });
    }
  }

  private readRelationship(id: string): Relationship {
    const r = this.relationships.get(id);
    if (r === undefined) {
      throw notFound(`Relationship ${id}`);
    }
    this.advance(id);
    return r;
  }

  private readAssignment(relationshipId: string, assignmentId: string): AccessAssignment {
    const key = `${relationshipId}/${assignmentId}`;
    const a = this.assignments.get(key);
    if (a === undefined) {
      throw notFound(`Access assignment ${key}`);
    }
    if (a.status === 'deleting') {
      // Reads `deleting` once, then it is gone.
      this.assignments.delete(key);
    }
    return a;
  }

  private async mutate<T>(method: string, apply: () => T): Promise<T> {
    this.requestCount += 1;
    this.inFlightMutations += 1;
    this.maxInFlightMutations = Math.max(this.maxInFlightMutations, this.inFlightMutations);
    try {
      if (this.mutationDelayMs > 0) {
        await sleep(this.mutationDelayMs);
      }
      const fault = this.faults.take(method);
      if (fault !== undefined && !fault.applied) {
        throw faultError(fault);
      }
      const value = apply();
      if (fault !== undefined) {
        throw faultError(fault);
      }
      return value;
    } finally {
      this.inFlightMutations -= 1;
    }
  }

  // ----- relationships -----
  async *listRelationships(options: ListRelationshipsOptions = {}): AsyncIterable<Relationship> {
    this.record('listRelationships', options);
    const top = options.top ?? 300;
    const all = [...this.relationships.values()].filter(
      (r) =>
        (options.customerTenantId === undefined || r.customer?.tenantId === options.customerTenantId) &&
        (options.status === undefined || r.status === options.status),
    );
    for (let i = 0; i === 0 || i < all.length; i += top) {
      cancelledIfAborted(options);
      this.requestCount += 1;
      await Promise.resolve();
      for (const r of all.slice(i, i + top)) {
        yield r;
      }
    }
  }

  async listAllRelationships(options: ListRelationshipsOptions = {}): Promise<Relationship[]> {
    const out: Relationship[] = [];
    for await (const r of this.listRelationships(options)) {
      out.push(r);
    }
    return out;
  }

  getRelationship(id: string, options?: CallOptions): Promise<Relationship> {
    this.record('getRelationship', id);
    cancelledIfAborted(options);
    this.requestCount += 1;
    return Promise.resolve().then(() => this.readRelationship(id));
  }

  createRelationship(_input: CreateRelationshipInput): Promise<Relationship> {
    return this.unsupported('createRelationship');
  }

  updateRelationship(
    _id: string,
    _etag: string,
    _input: UpdateRelationshipInput,
    _options?: WaitOptions,
  ): Promise<UpdateResult<Relationship>> {
    return this.unsupported('updateRelationship');
  }

  deleteRelationship(_id: string, _etag: string): Promise<void> {
    return this.unsupported('deleteRelationship');
  }

  waitForRelationship(_id: string, _done: (r: Relationship) => boolean, _options?: WaitOptions): Promise<Relationship> {
    return this.unsupported('waitForRelationship');
  }

  // ----- requests -----
  createRequest(relationshipId: string, action: RequestAction, options?: CallOptions): Promise<RelationshipRequest> {
    this.record('createRequest', relationshipId, action);
    cancelledIfAborted(options);
    return this.mutate('createRequest', () => {
      const r = this.relationships.get(relationshipId);
      if (r === undefined) {
        throw notFound(`Relationship ${relationshipId}`);
      }
      if (action !== 'terminate' || r.status !== 'active') {
        throw new GdapError({ kind: 'conflict', status: 400, message: `Cannot ${action} a relationship in status ${r.status}.` });
      }
      this.relationships.set(relationshipId, { ...r, status: 'terminationRequested', etag: this.nextEtag() });
      const request: RelationshipRequest = {
        id: `request-${this.etagSeq}`,
        relationshipId,
        action,
        status: 'created',
        createdDateTime: '2026-01-01T00:00:00Z',
        lastModifiedDateTime: '2026-01-01T00:00:00Z',
        etag: this.nextEtag(),
      };
      this.requests.set(relationshipId, [...(this.requests.get(relationshipId) ?? []), request]);
      return request;
    });
  }

  listRequests(relationshipId: string, options?: CallOptions): Promise<RelationshipRequest[]> {
    this.record('listRequests', relationshipId);
    cancelledIfAborted(options);
    this.requestCount += 1;
    return Promise.resolve([...(this.requests.get(relationshipId) ?? [])]);
  }

  getRequest(_relationshipId: string, _requestId: string): Promise<RelationshipRequest> {
    return this.unsupported('getRequest');
  }

  // ----- access assignments -----
  listAccessAssignments(relationshipId: string, options?: CallOptions): Promise<AccessAssignment[]> {
    this.record('listAccessAssignments', relationshipId);
    cancelledIfAborted(options);
    this.requestCount += 1;
    return Promise.resolve([...this.assignments.values()].filter((a) => a.relationshipId === relationshipId));
  }

  getAccessAssignment(relationshipId: string, assignmentId: string, options?: CallOptions): Promise<AccessAssignment> {
    this.record('getAccessAssignment', relationshipId, assignmentId);
    cancelledIfAborted(options);
    this.requestCount += 1;
    return Promise.resolve().then(() => this.readAssignment(relationshipId, assignmentId));
  }

  createAccessAssignment(_relationshipId: string, _input: CreateAccessAssignmentInput): Promise<AccessAssignment> {
    return this.unsupported('createAccessAssignment');
  }

  updateAccessAssignment(
    _r: string,
    _a: string,
    _e: string,
    _roles: readonly string[],
    _o?: WaitOptions,
  ): Promise<UpdateResult<AccessAssignment>> {
    return this.unsupported('updateAccessAssignment');
  }

  deleteAccessAssignment(relationshipId: string, assignmentId: string, etag: string, options?: CallOptions): Promise<void> {
    this.record('deleteAccessAssignment', relationshipId, assignmentId, etag);
    cancelledIfAborted(options);
    return this.mutate('deleteAccessAssignment', () => {
      const key = `${relationshipId}/${assignmentId}`;
      const a = this.assignments.get(key);
      if (a === undefined) {
        throw notFound(`Access assignment ${key}`);
      }
      if (a.etag !== etag) {
        throw new GdapError({
          kind: 'preconditionFailed',
          status: 412,
          code: 'resourceModified',
          message: 'The resource was changed since it was read.',
        });
      }
      if (this.deleteMode === 'gone') {
        this.assignments.delete(key);
      } else {
        this.assignments.set(key, { ...a, status: 'deleting', etag: this.nextEtag() });
      }
    });
  }

  // ----- operations -----
  listOperations(_relationshipId: string): Promise<RelationshipOperation[]> {
    return this.unsupported('listOperations');
  }

  getOperation(_relationshipId: string, _operationId: string): Promise<RelationshipOperation> {
    return this.unsupported('getOperation');
  }

  // ----- batched reads -----
  listAccessAssignmentsForMany(
    relationshipIds: readonly string[],
    options?: CallOptions,
  ): Promise<Map<string, BatchItemResult<AccessAssignment[]>>> {
    this.record('listAccessAssignmentsForMany', [...relationshipIds]);
    cancelledIfAborted(options);
    this.requestCount += Math.ceil(relationshipIds.length / 20);
    const out = new Map<string, BatchItemResult<AccessAssignment[]>>();
    for (const id of relationshipIds) {
      const fault = this.faults.take(`listAccessAssignmentsForMany:${id}`);
      out.set(
        id,
        fault !== undefined
          ? { ok: false, error: faultError(fault) }
          : { ok: true, value: [...this.assignments.values()].filter((a) => a.relationshipId === id) },
      );
    }
    return Promise.resolve(out);
  }

  getRelationshipsMany(ids: readonly string[], options?: CallOptions): Promise<Map<string, BatchItemResult<Relationship>>> {
    this.record('getRelationshipsMany', [...ids]);
    cancelledIfAborted(options);
    this.requestCount += Math.ceil(ids.length / 20);
    const out = new Map<string, BatchItemResult<Relationship>>();
    for (const id of ids) {
      try {
        out.set(id, { ok: true, value: this.readRelationship(id) });
      } catch (error) {
        out.set(id, { ok: false, error: error as GdapError });
      }
    }
    return Promise.resolve(out);
  }

  getAccessAssignmentsMany(
    targets: readonly { relationshipId: string; assignmentId: string }[],
    options?: CallOptions,
  ): Promise<Map<string, BatchItemResult<AccessAssignment>>> {
    this.record(
      'getAccessAssignmentsMany',
      targets.map((t) => `${t.relationshipId}/${t.assignmentId}`),
    );
    cancelledIfAborted(options);
    this.requestCount += Math.ceil(targets.length / 20);
    const out = new Map<string, BatchItemResult<AccessAssignment>>();
    for (const t of targets) {
      const key = `${t.relationshipId}/${t.assignmentId}`;
      try {
        out.set(key, { ok: true, value: this.readAssignment(t.relationshipId, t.assignmentId) });
      } catch (error) {
        out.set(key, { ok: false, error: error as GdapError });
      }
    }
    return Promise.resolve(out);
  }

  // ----- customers -----
  listCustomers(options?: CallOptions): Promise<DelegatedAdminCustomer[]> {
    this.record('listCustomers');
    cancelledIfAborted(options);
    this.requestCount += Math.max(1, Math.ceil(this.customers.length / 300));
    return Promise.resolve([...this.customers]);
  }

  getCustomer(customerId: string): Promise<DelegatedAdminCustomer> {
    this.record('getCustomer', customerId);
    this.requestCount += 1;
    const c = this.customers.find((x) => x.tenantId === customerId);
    return c === undefined ? Promise.reject(notFound(`Customer ${customerId}`)) : Promise.resolve(c);
  }

  listServiceManagementDetails(_customerId: string): Promise<ServiceManagementDetail[]> {
    return this.unsupported('listServiceManagementDetails');
  }

  private unsupported<T>(method: string): Promise<T> {
    this.record(method);
    return Promise.reject(new GdapError({ kind: 'invalidInput', message: `${method} is not modelled by the fake.` }));
  }
}
