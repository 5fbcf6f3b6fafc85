import type { ServiceClientOptions } from '../http/serviceClientOptions';
import { gdapErrorOf } from '../http/gdapError';
import { msg } from '../messages';
import type { ThrottleGate } from '../http/throttleGate';
import { type BatchSettings, GraphBatchReads } from './batchReads';
import type {
  BatchResults,
  StreamedReadOptions,
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
import { GraphPager, pageSizeOf } from './graphPager';
import { GraphRequester } from './graphRequester';
import { type GroupMember, listGroupMembers } from './groupMembers';
import { type FoundGroup, searchSecurityGroups } from './groupSearch';
import { GroupsClient } from './groupsClient';
import { LongRunningWaits, type WaitSettings } from './longRunning';
import type {
  AccessAssignment,
  DelegatedAdminCustomer,
  Relationship,
  RelationshipOperation,
  RelationshipRequest,
  RequestAction,
  ServiceManagementDetail,
} from './models';
import {
  normaliseAccessAssignment,
  normaliseCustomer,
  normaliseOperation,
  normaliseRelationship,
  normaliseRequest,
  normaliseServiceManagementDetail,
} from './normalise';
import {
  assertCanDelete,
  assertCanLockForApproval,
  assertCanTerminate,
  assertEtag,
  assertGuid,
  assertOpaqueId,
  odataString,
  validateCreateAccessAssignmentInput,
  validateCreateRelationshipInput,
  validateUpdateRelationshipInput,
} from './preconditions';
import { createAccessAssignmentBody, createRelationshipBody, updateAccessAssignmentBody, updateRelationshipBody } from './requestBodies';

export interface GdapClientOptions extends ServiceClientOptions, BatchSettings, WaitSettings {
  /** Page size, ≤ 300 (docs/api-notes.md §3.1). Default 300. */
  readonly pageSize?: number;
}

const REQUEST_ACTIONS: readonly string[] = ['lockForApproval', 'approve', 'terminate', 'reject'];

/**
 * Microsoft Graph GDAP client (docs/api-notes.md §3): a thin facade over its parts — the requester
 * (pipeline, errors, JSON), the pager (`$top`, nextLink), the long-running waits (202 + Location,
 * status polls), the batched reads (`$batch` engine) and the groups client. This class validates
 * input, builds URLs and bodies, and picks the part. Throws only GdapError.
 */
export class GdapClient implements GdapApi {
  private readonly requester: GraphRequester;
  private readonly pager: GraphPager;
  private readonly waits: LongRunningWaits;
  private readonly batch: GraphBatchReads;
  private readonly groups: GroupsClient;

  constructor(options: GdapClientOptions) {
    this.requester = new GraphRequester(options);
    this.pager = new GraphPager(this.requester, pageSizeOf(options.pageSize));
    this.waits = new LongRunningWaits(this.requester, options);
    this.batch = new GraphBatchReads(this.requester, this.pager, options);
    this.groups = new GroupsClient(this.batch);
  }

  /** The shared throttle gate (for callers that run their own workers). */
  get throttleGate(): ThrottleGate {
    return this.requester.gate;
  }

  private relUrl(id: string): string {
    return this.requester.relationshipUrl(id);
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
        throw gdapErrorOf('invalidInput', msg('Unknown relationship status filter "{0}".', options.status));
      }
      filters.push(`status eq ${odataString(options.status)}`);
    }
    const query = [`$top=${pageSizeOf(options.top, this.pager.pageSize)}`];
    if (filters.length > 0) {
      query.push(`$filter=${encodeURIComponent(filters.join(' and '))}`);
    }
    const url = `${this.requester.base}/tenantRelationships/delegatedAdminRelationships?${query.join('&')}`;
    return this.pager.pages(url, msg('relationships'), normaliseRelationship, options.signal, options.readAll === true);
  }

  async listAllRelationships(options: ListRelationshipsOptions = {}): Promise<Relationship[]> {
    const out: Relationship[] = [];
    for await (const r of this.listRelationships({ ...options, readAll: true })) {
      out.push(r);
    }
    return out;
  }

  async getRelationship(id: string, options: CallOptions = {}): Promise<Relationship> {
    assertOpaqueId(id, 'The relationship id');
    return this.requester.getOne(this.relUrl(id), msg('a relationship'), normaliseRelationship, options.signal);
  }

  async createRelationship(input: CreateRelationshipInput, options: CallOptions = {}): Promise<Relationship> {
    validateCreateRelationshipInput(input);
    // A plain POST: re-sent only on 429/503; an ambiguous failure surfaces with `ambiguous: true`.
    const response = await this.requester.call('POST', `${this.requester.base}/tenantRelationships/delegatedAdminRelationships`, {
      body: createRelationshipBody(input),
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseRelationship(this.requester.json(response, msg('the created relationship')));
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
    const response = await this.requester.call('PATCH', this.relUrl(id), {
      body: updateRelationshipBody(input),
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [200, 202],
      noReplay: options.reconcileByReading === true,
    });
    if (response.status === 202) {
      return { kind: 'operation', operation: await this.waits.followOperation(response, id, options) };
    }
    return { kind: 'updated', value: normaliseRelationship(this.requester.json(response, msg('the updated relationship'))) };
  }

  async deleteRelationship(id: string, etag: string, options: MutationOptions = {}): Promise<void> {
    assertOpaqueId(id, 'The relationship id');
    assertEtag(etag);
    await this.checkState(id, options, assertCanDelete);
    await this.requester.call('DELETE', this.relUrl(id), {
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [204, 200],
      noReplay: options.reconcileByReading === true,
    });
  }

  /** The state precondition of a mutation, from the caller's last read when given, else from a fresh read. */
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
    return this.waits.waitForRelationship(() => this.getRelationship(id, options), done, options);
  }

  // ---------------------------------------------------------------- requests

  async createRequest(relationshipId: string, action: RequestAction, options: MutationOptions = {}): Promise<RelationshipRequest> {
    assertOpaqueId(relationshipId, 'The relationship id');
    if (!REQUEST_ACTIONS.includes(action)) {
      throw gdapErrorOf('invalidInput', msg('Unknown request action "{0}".', String(action)));
    }
    if (action === 'terminate') {
      await this.checkState(relationshipId, options, assertCanTerminate);
    } else if (action === 'lockForApproval') {
      await this.checkState(relationshipId, options, assertCanLockForApproval);
    }
    const response = await this.requester.call('POST', `${this.relUrl(relationshipId)}/requests`, {
      body: { action },
      // Without it `reject` comes back as `unknownFutureValue` (docs/api-notes.md §12.6).
      headers: { Prefer: 'include-unknown-enum-members' },
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseRequest(this.requester.json(response, msg('the created request')), relationshipId);
  }

  async listRequests(relationshipId: string, options: CallOptions = {}): Promise<RelationshipRequest[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    // No documented $top maximum for requests (docs/api-notes.md §3.6): let the service page.
    const url = `${this.relUrl(relationshipId)}/requests`;
    return this.pager.collect(url, msg('requests'), (raw) => normaliseRequest(raw, relationshipId), options.signal);
  }

  async getRequest(relationshipId: string, requestId: string, options: CallOptions = {}): Promise<RelationshipRequest> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(requestId, 'The request id');
    const url = `${this.relUrl(relationshipId)}/requests/${encodeURIComponent(requestId)}`;
    return this.requester.getOne(url, msg('a request'), (raw) => normaliseRequest(raw, relationshipId), options.signal);
  }

  // ---------------------------------------------------------------- access assignments

  async listAccessAssignments(relationshipId: string, options: CallOptions = {}): Promise<AccessAssignment[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    const url = this.pager.withTop(`${this.relUrl(relationshipId)}/accessAssignments`);
    return this.pager.collect(url, msg('access assignments'), (raw) => normaliseAccessAssignment(raw, relationshipId), options.signal);
  }

  async getAccessAssignment(relationshipId: string, assignmentId: string, options: CallOptions = {}): Promise<AccessAssignment> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(assignmentId, 'The access assignment id');
    const url = this.requester.assignmentUrl(relationshipId, assignmentId);
    return this.requester.getOne(url, msg('an access assignment'), (raw) => normaliseAccessAssignment(raw, relationshipId), options.signal);
  }

  async createAccessAssignment(
    relationshipId: string,
    input: CreateAccessAssignmentInput,
    options: CallOptions = {},
  ): Promise<AccessAssignment> {
    assertOpaqueId(relationshipId, 'The relationship id');
    validateCreateAccessAssignmentInput(input);
    const response = await this.requester.call('POST', `${this.relUrl(relationshipId)}/accessAssignments`, {
      body: createAccessAssignmentBody(input),
      signal: options.signal,
      expect: [200, 201],
    });
    return normaliseAccessAssignment(this.requester.json(response, msg('the created access assignment')), relationshipId);
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
    const response = await this.requester.call('PATCH', this.requester.assignmentUrl(relationshipId, assignmentId), {
      body: updateAccessAssignmentBody(roleDefinitionIds),
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [200, 202],
      noReplay: options.reconcileByReading === true,
    });
    if (response.status === 202) {
      return { kind: 'operation', operation: await this.waits.followOperation(response, relationshipId, options) };
    }
    return {
      kind: 'updated',
      value: normaliseAccessAssignment(this.requester.json(response, msg('the access assignment')), relationshipId),
    };
  }

  async deleteAccessAssignment(relationshipId: string, assignmentId: string, etag: string, options: CallOptions = {}): Promise<void> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(assignmentId, 'The access assignment id');
    assertEtag(etag);
    await this.requester.call('DELETE', this.requester.assignmentUrl(relationshipId, assignmentId), {
      headers: { 'If-Match': etag },
      signal: options.signal,
      expect: [204, 200, 202],
      noReplay: options.reconcileByReading === true,
    });
  }

  // ---------------------------------------------------------------- operations

  async listOperations(relationshipId: string, options: CallOptions = {}): Promise<RelationshipOperation[]> {
    assertOpaqueId(relationshipId, 'The relationship id');
    const url = this.pager.withTop(`${this.relUrl(relationshipId)}/operations`);
    return this.pager.collect(url, msg('operations'), (raw) => normaliseOperation(raw, relationshipId), options.signal);
  }

  async getOperation(relationshipId: string, operationId: string, options: CallOptions = {}): Promise<RelationshipOperation> {
    assertOpaqueId(relationshipId, 'The relationship id');
    assertOpaqueId(operationId, 'The operation id');
    const url = `${this.relUrl(relationshipId)}/operations/${encodeURIComponent(operationId)}`;
    return this.requester.getOne(url, msg('an operation'), (raw) => normaliseOperation(raw, relationshipId), options.signal);
  }

  // ---------------------------------------------------------------- customers

  async listCustomers(options: CallOptions = {}): Promise<DelegatedAdminCustomer[]> {
    const url = this.pager.withTop(`${this.requester.base}/tenantRelationships/delegatedAdminCustomers`);
    return this.pager.collect(url, msg('customers'), normaliseCustomer, options.signal);
  }

  async getCustomer(customerId: string, options: CallOptions = {}): Promise<DelegatedAdminCustomer> {
    assertGuid(customerId, 'The customer id');
    const url = `${this.requester.base}/tenantRelationships/delegatedAdminCustomers/${customerId}`;
    return this.requester.getOne(url, msg('a customer'), normaliseCustomer, options.signal);
  }

  async listServiceManagementDetails(customerId: string, options: CallOptions = {}): Promise<ServiceManagementDetail[]> {
    assertGuid(customerId, 'The customer id');
    // "does not support OData query parameters" (docs/api-notes.md §3.18): no $top.
    const url = `${this.requester.base}/tenantRelationships/delegatedAdminCustomers/${customerId}/serviceManagementDetails`;
    return this.pager.collect(url, msg('service management details'), normaliseServiceManagementDetail, options.signal);
  }

  // ---------------------------------------------------------------- batched reads and group names

  listAccessAssignmentsForMany(relationshipIds: readonly string[], options: CallOptions = {}): Promise<BatchResults<AccessAssignment[]>> {
    return this.batch.listAccessAssignmentsForMany(relationshipIds, options);
  }

  listAccessAssignmentsForManyStreamed(
    relationshipIds: AsyncIterable<readonly string[]>,
    options: StreamedReadOptions<AccessAssignment[]> = {},
  ): Promise<BatchResults<AccessAssignment[]>> {
    return this.batch.listAccessAssignmentsForManyStreamed(relationshipIds, options);
  }

  getRelationshipsMany(ids: readonly string[], options: CallOptions = {}): Promise<BatchResults<Relationship>> {
    return this.batch.getRelationshipsMany(ids, options);
  }

  getAccessAssignmentsMany(
    targets: readonly { relationshipId: string; assignmentId: string }[],
    options: CallOptions = {},
  ): Promise<BatchResults<AccessAssignment>> {
    return this.batch.getAccessAssignmentsMany(targets, options);
  }

  getGroupNames(ids: readonly string[], options: GroupNameOptions = {}): Promise<Map<string, string>> {
    return this.groups.getGroupNames(ids, options);
  }

  searchSecurityGroups(prefix: string, options: CallOptions = {}): Promise<FoundGroup[]> {
    return searchSecurityGroups(this.requester, prefix, options);
  }

  listGroupMembers(groupId: string, options: CallOptions = {}): Promise<GroupMember[]> {
    return listGroupMembers(this.pager, this.requester.base, groupId, options);
  }
}
