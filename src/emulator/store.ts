import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../core/roles/roleCatalog';
import { ApiError } from './apiTypes';
import type {
  AssignmentRecord,
  CustomerRecord,
  DirectoryUser,
  OperationRecord,
  RelationshipRecord,
  RelationshipStatus,
  RequestAction,
  RequestRecord,
  SecurityGroup,
} from './model';
import { renderAssignment } from './model';
import type { EmulatorPreset } from './options';
import { ServiceClock } from './clock';
import { CustomerIndex } from './customerIndex';
import { QueryCache } from './odata';
import { SeededRandom } from './random';
import { PRESET_CUSTOMERS, generateDataset, generateDirectory } from './seedData';
import { EtagFactory, isoTime } from './stamps';
import {
  GUIDISH,
  allowOnly,
  asObject,
  checkAutoExtendWithGa,
  checkIfMatch,
  checkSubset,
  durationDays,
  requireReseller,
  requireStatus,
  sameSet,
  validAutoExtend,
  validDuration,
  validRoles,
} from './validation';

export { checkIfMatch, durationDays } from './validation';

/**
 * Durations (seconds at --time-scale 1) of the service's own progress. Kept short so tests and demos are
 * snappy; divide by the time scale for wall-clock time.
 */
export const PROGRESS_SECONDS = {
  /** terminate: terminationRequested → terminating */
  terminationStart: 1,
  /** terminating → terminated (so 3 s in total) */
  terminationFinish: 2,
  /** lockForApproval / approve / reject request: created → succeeded */
  requestComplete: 1,
  /** customer approval: approved → activating → active (1 s each) */
  approvalStep: 1,
  /** access assignment: pending → active */
  assignmentActivation: 2,
  /** access assignment: deleting → gone (404) */
  assignmentDeletion: 1,
  /** operation: notStarted → running */
  operationStart: 1,
  /** running → succeeded (applied), 3 s in total */
  operationFinish: 2,
  /** approvalPending → expired when nobody approves: "GDAP relationship requests expire after 90 days" */
  invitationLapse: 90 * 86_400,
} as const;

const DAY = 86_400_000;
/** Statuses in which the system keeps a delegatedAdminCustomer for the tenant (docs/api-notes.md §2.3). */
const CUSTOMER_VISIBLE: ReadonlySet<RelationshipStatus> = new Set([
  'approved',
  'activating',
  'active',
  'expiring',
  'terminationRequested',
  'terminating',
]);

export interface ResetOptions {
  preset: EmulatorPreset;
  seed: number;
  customers?: number;
}

export type PatchOutcome<T> = { kind: 'ok'; entity: T } | { kind: 'accepted'; operation: OperationRecord };

/** Emulated service state with the docs/api-notes.md §4 state machine; time-driven steps run lazily on access. */
export class EmulatorStore {
  public partnerTenantId = '';
  public partnerDomain = '';
  public securityGroups: SecurityGroup[] = [];
  /** Users in each security group (by group id), as `transitiveMembers` lists them. */
  public groupMembers = new Map<string, DirectoryUser[]>();
  public readonly relationships = new Map<string, RelationshipRecord>();
  public readonly customers = new Map<string, CustomerRecord>();
  private etags: EtagFactory;
  private ids: SeededRandom;
  public readonly clock: ServiceClock;
  /** Recent filtered lists of the Graph routes, valid while `version` is unchanged. */
  public readonly queryCache = new QueryCache();
  /** Relationships by customer: one customer's `$filter` must not scan them all. */
  private readonly byCustomer = new CustomerIndex();
  private removals = 0;
  private listCache: { version: number; relationships: RelationshipRecord[]; customers: CustomerRecord[] } | undefined;

  public constructor(timeScale: number, reset: ResetOptions) {
    this.clock = new ServiceClock(timeScale);
    this.etags = new EtagFactory(reset.seed);
    this.ids = new SeededRandom(reset.seed ^ 0x5bd1e995);
    this.reset(reset);
  }

  public reset(r: ResetOptions): void {
    this.etags = new EtagFactory(r.seed);
    this.ids = new SeededRandom((r.seed ^ 0x5bd1e995) >>> 0);
    this.clock.clear();
    this.queryCache.clear();
    this.listCache = undefined;
    this.relationships.clear();
    this.customers.clear();
    const count = r.customers ?? PRESET_CUSTOMERS[r.preset];
    const data = generateDataset(r.seed, count, this.etags, this.clock.now(), r.preset === 'xl');
    this.partnerTenantId = data.partnerTenantId;
    this.partnerDomain = data.partnerDomain;
    this.securityGroups = data.securityGroups;
    this.groupMembers = generateDirectory(r.seed, data.securityGroups, data.partnerDomain);
    for (const c of data.customers) {
      this.customers.set(c.tenantId, c);
    }
    this.byCustomer.clear();
    const now = this.clock.now();
    for (const rel of data.relationships) {
      this.relationships.set(rel.id, rel);
      this.byCustomer.add(rel);
      if (rel.status === 'approvalPending') {
        this.scheduleLapse(rel, Date.parse(rel.lastModifiedDateTime), now);
      }
    }
    this.removals++;
  }

  /** Changes whenever any entity changes (each change issues an ETag) or is removed. */
  public get version(): number {
    return this.etags.count + this.removals;
  }

  /** Every relationship in insertion order; the array is shared until the next change (do not mutate). */
  public relationshipList(): readonly RelationshipRecord[] {
    return this.lists().relationships;
  }

  /** Every Partner Center customer in insertion order (shared array, do not mutate). */
  public customerList(): readonly CustomerRecord[] {
    return this.lists().customers;
  }

  /** Relationships whose customer is this tenant (case-insensitive). */
  public relationshipsOfCustomer(tenantId: string): readonly RelationshipRecord[] {
    return this.byCustomer.of(tenantId);
  }

  private lists(): { relationships: RelationshipRecord[]; customers: CustomerRecord[] } {
    if (this.listCache?.version !== this.version) {
      this.listCache = { version: this.version, relationships: [...this.relationships.values()], customers: [...this.customers.values()] };
    }
    return this.listCache;
  }

  // ---- clock -------------------------------------------------------------------------------------

  /** Runs every scheduled step that is due; called before each request is served. */
  public advance(): void {
    this.clock.advance();
  }

  private schedule(fromMs: number, seconds: number, run: (atMs: number) => void): number {
    return this.clock.after(fromMs, seconds, run);
  }

  /**
   * An invitation nobody approves lapses 90 days after it became approvalPending; the time still left is
   * divided by the time scale (so seeded invitations keep their head start). The end status is a guess.
   */
  private scheduleLapse(rel: RelationshipRecord, pendingSince: number, now = pendingSince): void {
    const leftMs = Math.max(0, pendingSince + PROGRESS_SECONDS.invitationLapse * 1000 - now);
    this.clock.at(now + leftMs / this.clock.timeScale, (at) => {
      if (rel.status === 'approvalPending') {
        rel.status = 'expired';
        rel.endDateTime = isoTime(at);
        if (rel.reseller) {
          rel.isPartnerConsentPending = false;
        }
        this.touch(rel, at);
      }
    });
  }

  private touch(entity: { etag: string; lastModifiedDateTime: string }, atMs: number): void {
    entity.etag = this.etags.next();
    entity.lastModifiedDateTime = isoTime(atMs);
  }

  public newGuid(): string {
    return this.ids.guid();
  }

  // ---- lookups -----------------------------------------------------------------------------------

  public relationship(id: string): RelationshipRecord {
    const r = this.relationships.get(id);
    if (r === undefined) {
      throw new ApiError(404, 'itemNotFound', `The delegatedAdminRelationship '${id}' was not found.`);
    }
    return r;
  }

  public assignment(rel: RelationshipRecord, id: string): AssignmentRecord {
    const a = rel.assignments.find((x) => x.id === id);
    if (a === undefined) {
      throw new ApiError(404, 'itemNotFound', `The delegatedAdminAccessAssignment '${id}' was not found.`);
    }
    return a;
  }

  /** Tenants with at least one relationship that still grants access (docs/api-notes.md §2.3). */
  public delegatedAdminCustomers(): CustomerRecord[] {
    return this.customerList().filter((c) => this.isDelegatedAdminCustomer(c.tenantId));
  }

  /** One delegatedAdminCustomer by tenant id, or undefined when the tenant has no relationship granting access. */
  public delegatedAdminCustomer(tenantId: string): CustomerRecord | undefined {
    const c = this.customers.get(tenantId);
    return c !== undefined && this.isDelegatedAdminCustomer(c.tenantId) ? c : undefined;
  }

  private isDelegatedAdminCustomer(tenantId: string): boolean {
    return this.relationshipsOfCustomer(tenantId).some((r) => CUSTOMER_VISIBLE.has(r.status));
  }

  // ---- relationships -----------------------------------------------------------------------------

  public createRelationship(body: unknown): RelationshipRecord {
    const b = asObject(body);
    allowOnly(b, ['displayName', 'duration', 'customer', 'accessDetails', 'autoExtendDuration']);
    const displayName = this.validDisplayName(b.displayName, undefined);
    const duration = validDuration(b.duration);
    const roles = validRoles(b.accessDetails);
    const autoExtend = b.autoExtendDuration === undefined ? 'PT0S' : validAutoExtend(b.autoExtendDuration);
    checkAutoExtendWithGa(roles, autoExtend);
    const customer = b.customer === undefined || b.customer === null ? null : this.validCustomer(b.customer);
    const now = this.clock.now();
    const id = `${this.newGuid()}-${this.partnerTenantId}`;
    const rel: RelationshipRecord = {
      reseller: false,
      id,
      etag: this.etags.next(),
      displayName,
      duration,
      customer,
      roles,
      status: 'created',
      autoExtendDuration: autoExtend,
      createdDateTime: isoTime(now),
      lastModifiedDateTime: isoTime(now),
      activatedDateTime: '',
      endDateTime: isoTime(now + durationDays(duration) * DAY),
      assignments: [],
      operations: [],
      requests: [],
    };
    this.relationships.set(id, rel);
    this.byCustomer.add(rel);
    return rel;
  }

  public patchRelationship(id: string, ifMatch: string | undefined, body: unknown): PatchOutcome<RelationshipRecord> {
    const rel = this.relationship(id);
    checkIfMatch(ifMatch, rel.etag);
    const b = asObject(body);
    allowOnly(b, ['displayName', 'duration', 'customer', 'accessDetails', 'autoExtendDuration']);
    const now = this.clock.now();
    if (rel.status === 'created') {
      const next = {
        displayName: b.displayName === undefined ? rel.displayName : this.validDisplayName(b.displayName, rel.id),
        duration: b.duration === undefined ? rel.duration : validDuration(b.duration),
        roles: b.accessDetails === undefined ? rel.roles : validRoles(b.accessDetails),
        autoExtend: b.autoExtendDuration === undefined ? rel.autoExtendDuration : validAutoExtend(b.autoExtendDuration),
        customer: b.customer === undefined ? rel.customer : b.customer === null ? null : this.validCustomer(b.customer),
      };
      checkAutoExtendWithGa(next.roles, next.autoExtend);
      rel.displayName = next.displayName;
      rel.duration = next.duration;
      rel.roles = next.roles;
      rel.autoExtendDuration = next.autoExtend;
      this.byCustomer.remove(rel);
      rel.customer = next.customer;
      this.byCustomer.add(rel);
      rel.endDateTime = isoTime(Date.parse(rel.createdDateTime) + durationDays(rel.duration) * DAY);
      this.touch(rel, now);
      return { kind: 'ok', entity: rel };
    }
    if (rel.status !== 'active') {
      throw new ApiError(
        400,
        'badRequest',
        `The relationship is in status '${rel.status}'; it can be updated only when it is 'created' (or 'active' for autoExtendDuration and removing Global Administrator).`,
      );
    }
    return this.patchActiveRelationship(rel, b, now);
  }

  /** Active: only autoExtendDuration, or accessDetails minus Global Administrator (a 202 operation). */
  private patchActiveRelationship(rel: RelationshipRecord, b: Record<string, unknown>, now: number): PatchOutcome<RelationshipRecord> {
    for (const k of ['displayName', 'duration', 'customer']) {
      if (b[k] !== undefined) {
        throw new ApiError(400, 'badRequest', `The property '${k}' can be updated only while the relationship is in status 'created'.`);
      }
    }
    if (b.accessDetails !== undefined) {
      const requested = validRoles(b.accessDetails);
      if (b.autoExtendDuration !== undefined) {
        throw new ApiError(
          400,
          'badRequest',
          'Update autoExtendDuration and accessDetails of an active relationship in separate requests.',
        );
      }
      if (sameSet(requested, rel.roles)) {
        // docs/api-notes.md §3.4: a PATCH that does not remove Global Administrator returns 200 and the original object.
        return { kind: 'ok', entity: rel };
      }
      const withoutGa = rel.roles.filter((r) => r !== GLOBAL_ADMINISTRATOR_ROLE_ID);
      if (!rel.roles.includes(GLOBAL_ADMINISTRATOR_ROLE_ID) || !sameSet(requested, withoutGa)) {
        throw new ApiError(
          400,
          'badRequest',
          'On an active relationship accessDetails can only change by removing the Global Administrator role.',
        );
      }
      const op = this.startOperation(
        rel,
        // Rendered unknownFutureValue unless the caller opts in with Prefer (model.ts renderOperation).
        'delegatedAdminRelationshipUpdate',
        () =>
          JSON.stringify({
            id: rel.id,
            accessDetails: { unifiedRoles: withoutGa.map((roleDefinitionId) => ({ roleDefinitionId })) },
            status: 'active',
          }),
        (at) => {
          if (rel.status !== 'active') {
            return false;
          }
          rel.roles = rel.roles.filter((r) => r !== GLOBAL_ADMINISTRATOR_ROLE_ID);
          this.touch(rel, at);
          return true;
        },
      );
      return { kind: 'accepted', operation: op };
    }
    if (b.autoExtendDuration !== undefined) {
      const v = validAutoExtend(b.autoExtendDuration);
      checkAutoExtendWithGa(rel.roles, v);
      rel.autoExtendDuration = v;
      this.touch(rel, now);
    }
    return { kind: 'ok', entity: rel };
  }

  public deleteRelationship(id: string, ifMatch: string | undefined): void {
    const rel = this.relationship(id);
    checkIfMatch(ifMatch, rel.etag);
    if (rel.status !== 'created') {
      throw new ApiError(400, 'badRequest', `A relationship can only be deleted in status 'created'; it is '${rel.status}'.`);
    }
    this.relationships.delete(id);
    this.byCustomer.remove(rel);
    this.removals++;
  }

  /** Simulates the customer approving in the admin center: approvalPending → approved → activating → active. */
  public approveByCustomer(id: string): RelationshipRecord {
    const rel = this.relationship(id);
    if (rel.status !== 'approvalPending') {
      throw new ApiError(400, 'badRequest', `Only an approvalPending relationship can be approved; it is '${rel.status}'.`);
    }
    if (rel.customer?.tenantId === undefined) {
      // An "any customer" invitation: the first customer without a relationship accepts it (else the first one).
      const list = this.customerList();
      const c = list.find((x) => this.relationshipsOfCustomer(x.tenantId).length === 0) ?? list[0];
      rel.customer =
        c === undefined
          ? { tenantId: this.newGuid(), displayName: 'Approving customer' }
          : { tenantId: c.tenantId, displayName: c.displayName };
      this.byCustomer.add(rel);
    }
    this.activate(rel, this.clock.now());
    return rel;
  }

  /** Simulates the customer declining an invitation: approvalPending → terminated (a guess, docs/emulator.md). */
  public rejectByCustomer(id: string): RelationshipRecord {
    const rel = this.relationship(id);
    if (rel.status !== 'approvalPending') {
      throw new ApiError(400, 'badRequest', `Only an approvalPending relationship can be rejected; it is '${rel.status}'.`);
    }
    const now = this.clock.now();
    rel.status = 'terminated';
    rel.endDateTime = isoTime(now);
    if (rel.reseller) {
      rel.isPartnerConsentPending = false;
    }
    this.touch(rel, now);
    return rel;
  }

  /** Simulates a failed provisioning: the access assignment shows `error` (until deleted). */
  public failAssignment(relId: string, assignmentId: string): AssignmentRecord {
    const a = this.assignment(this.relationship(relId), assignmentId);
    if (a.status === 'deleting' || a.status === 'deleted') {
      throw new ApiError(400, 'badRequest', `The access assignment is '${a.status}'; it cannot fail any more.`);
    }
    a.status = 'error';
    this.touch(a, this.clock.now());
    return a;
  }

  /** Removes a security group from the partner tenant; assignments naming it keep its id (a dangling container). */
  public deleteGroup(groupId: string): SecurityGroup {
    const g = this.securityGroups.find((x) => x.id.toLowerCase() === groupId.toLowerCase());
    if (g === undefined) {
      throw new ApiError(404, 'Request_ResourceNotFound', `The group '${groupId}' does not exist.`);
    }
    this.securityGroups = this.securityGroups.filter((x) => x !== g);
    this.groupMembers.delete(g.id);
    this.removals++;
    return g;
  }

  /**
   * Simulates a concurrent change by someone else (another admin, the portal): the relationship or one
   * of its access assignments gets a new ETag and lastModifiedDateTime and nothing else, so a client
   * still holding the old ETag gets 412 on its next If-Match write.
   */
  public touchByOther(relId: string, assignmentId?: string): void {
    const rel = this.relationship(relId);
    this.touch(assignmentId === undefined ? rel : this.assignment(rel, assignmentId), this.clock.now());
  }

  private activate(rel: RelationshipRecord, from: number): void {
    rel.status = 'approved';
    rel.isPartnerConsentPending = rel.reseller ? false : rel.isPartnerConsentPending;
    this.touch(rel, from);
    const t1 = this.schedule(from, PROGRESS_SECONDS.approvalStep, (at) => {
      if (rel.status === 'approved') {
        rel.status = 'activating';
        this.touch(rel, at);
      }
    });
    this.schedule(t1, PROGRESS_SECONDS.approvalStep, (at) => {
      if (rel.status === 'activating') {
        rel.status = 'active';
        rel.activatedDateTime = isoTime(at);
        rel.endDateTime = isoTime(at + durationDays(rel.duration) * DAY);
        this.touch(rel, at);
      }
    });
  }

  // ---- requests ----------------------------------------------------------------------------------

  public createRequest(relId: string, body: unknown): RequestRecord {
    const rel = this.relationship(relId);
    const b = asObject(body);
    allowOnly(b, ['action']);
    const action = b.action;
    if (action !== 'lockForApproval' && action !== 'terminate' && action !== 'approve' && action !== 'reject') {
      throw new ApiError(
        400,
        'badRequest',
        `Unknown or missing action '${String(action)}'. Use lockForApproval, terminate, approve or reject.`,
      );
    }
    const now = this.clock.now();
    const gate: Record<RequestAction, () => void> = {
      lockForApproval: () => requireStatus(rel, 'created', action),
      terminate: () => requireStatus(rel, 'active', action),
      approve: () => requireReseller(rel, action),
      reject: () => requireReseller(rel, action),
    };
    gate[action]();
    const req: RequestRecord = {
      id: this.newGuid(),
      etag: this.etags.next(),
      action,
      status: 'created',
      createdDateTime: isoTime(now),
      lastModifiedDateTime: isoTime(now),
    };
    rel.requests.push(req);
    const finish = (at: number): void => {
      req.status = 'succeeded';
      this.touch(req, at);
    };
    if (action === 'lockForApproval') {
      rel.status = 'approvalPending';
      // "" is the create example's value; past created the list example shows null (docs/emulator.md).
      rel.activatedDateTime = null;
      this.touch(rel, now);
      this.scheduleLapse(rel, now);
      this.schedule(now, PROGRESS_SECONDS.requestComplete, finish);
    } else if (action === 'approve') {
      this.activate(rel, now);
      this.schedule(now, PROGRESS_SECONDS.requestComplete, finish);
    } else if (action === 'reject') {
      // Undocumented outcome; the emulator ends a rejected relationship as terminated (docs/emulator.md).
      rel.status = 'terminated';
      rel.isPartnerConsentPending = false;
      rel.endDateTime = isoTime(now);
      this.touch(rel, now);
      this.schedule(now, PROGRESS_SECONDS.requestComplete, finish);
    } else {
      rel.status = 'terminationRequested';
      this.touch(rel, now);
      const t1 = this.schedule(now, PROGRESS_SECONDS.terminationStart, (at) => {
        rel.status = 'terminating';
        this.touch(rel, at);
        req.status = 'pending';
        this.touch(req, at);
      });
      this.schedule(t1, PROGRESS_SECONDS.terminationFinish, (at) => {
        rel.status = 'terminated';
        rel.endDateTime = isoTime(at);
        this.touch(rel, at);
        for (const a of rel.assignments) {
          if (a.status !== 'deleted') {
            a.status = 'deleted';
            this.touch(a, at);
          }
        }
        finish(at);
      });
    }
    return req;
  }

  // ---- access assignments ------------------------------------------------------------------------

  public createAssignment(relId: string, body: unknown): AssignmentRecord {
    const rel = this.relationship(relId);
    const b = asObject(body);
    allowOnly(b, ['accessContainer', 'accessDetails']);
    if (rel.status !== 'active') {
      throw new ApiError(400, 'badRequest', `Access assignments can be created only on an active relationship; it is '${rel.status}'.`);
    }
    const container = asObject(b.accessContainer, 'accessContainer');
    allowOnly(container, ['accessContainerId', 'accessContainerType']);
    const containerId = container.accessContainerId;
    if (typeof containerId !== 'string' || !GUIDISH.test(containerId)) {
      throw new ApiError(400, 'badRequest', 'accessContainer.accessContainerId must be a security group id.');
    }
    if (container.accessContainerType !== 'securityGroup') {
      throw new ApiError(400, 'badRequest', "accessContainer.accessContainerType must be 'securityGroup'.");
    }
    const roles = validRoles(b.accessDetails);
    checkSubset(roles, rel.roles);
    if (rel.assignments.some((a) => a.containerId === containerId && a.status !== 'deleted' && a.status !== 'deleting')) {
      throw new ApiError(409, 'conflict', 'An access assignment for this security group already exists on the relationship.');
    }
    const now = this.clock.now();
    const a: AssignmentRecord = {
      id: this.newGuid(),
      etag: this.etags.next(),
      status: 'pending',
      createdDateTime: isoTime(now),
      lastModifiedDateTime: isoTime(now),
      containerId,
      roles,
    };
    rel.assignments.push(a);
    this.schedule(now, PROGRESS_SECONDS.assignmentActivation, (at) => {
      if (a.status === 'pending') {
        a.status = 'active';
        this.touch(a, at);
      }
    });
    return a;
  }

  public patchAssignment(relId: string, id: string, ifMatch: string | undefined, body: unknown): PatchOutcome<AssignmentRecord> {
    const rel = this.relationship(relId);
    const a = this.assignment(rel, id);
    checkIfMatch(ifMatch, a.etag);
    const b = asObject(body);
    allowOnly(b, ['accessDetails']);
    if (b.accessDetails === undefined) {
      throw new ApiError(400, 'badRequest', 'Only accessDetails can be updated on an access assignment.');
    }
    if (rel.status !== 'active' || a.status !== 'active') {
      throw new ApiError(
        400,
        'badRequest',
        `The access assignment can be updated only while it and its relationship are active (assignment '${a.status}', relationship '${rel.status}').`,
      );
    }
    const roles = validRoles(b.accessDetails);
    checkSubset(roles, rel.roles);
    if (sameSet(roles, a.roles)) {
      return { kind: 'ok', entity: a };
    }
    const op = this.startOperation(
      rel,
      'delegatedAdminAccessAssignmentUpdate',
      () => {
        const view = renderAssignment({ ...a, roles });
        return JSON.stringify({ id: a.id, accessContainer: view.accessContainer, accessDetails: view.accessDetails, status: 'active' });
      },
      (at) => {
        if (a.status !== 'active' || !rel.assignments.includes(a)) {
          return false;
        }
        a.roles = roles;
        this.touch(a, at);
        return true;
      },
    );
    return { kind: 'accepted', operation: op };
  }

  public deleteAssignment(relId: string, id: string, ifMatch: string | undefined): void {
    const rel = this.relationship(relId);
    const a = this.assignment(rel, id);
    checkIfMatch(ifMatch, a.etag);
    if (a.status === 'deleting' || a.status === 'deleted') {
      throw new ApiError(400, 'badRequest', `The access assignment is already '${a.status}'.`);
    }
    const now = this.clock.now();
    a.status = 'deleting';
    this.touch(a, now);
    this.schedule(now, PROGRESS_SECONDS.assignmentDeletion, () => {
      rel.assignments = rel.assignments.filter((x) => x !== a);
      this.removals++;
    });
  }

  private startOperation(
    rel: RelationshipRecord,
    operationType: string,
    data: () => string,
    apply: (at: number) => boolean,
  ): OperationRecord {
    const now = this.clock.now();
    const op: OperationRecord = {
      id: this.newGuid(),
      etag: this.etags.next(),
      operationType,
      data: data(),
      status: 'notStarted',
      createdDateTime: isoTime(now),
      lastModifiedDateTime: isoTime(now),
    };
    rel.operations.push(op);
    const t1 = this.schedule(now, PROGRESS_SECONDS.operationStart, (at) => {
      op.status = 'running';
      this.touch(op, at);
    });
    this.schedule(t1, PROGRESS_SECONDS.operationFinish, (at) => {
      op.status = apply(at) ? 'succeeded' : 'failed';
      this.touch(op, at);
    });
    return op;
  }

  // ---- Partner Center ----------------------------------------------------------------------------

  public removeDap(tenantId: string): CustomerRecord {
    const c = this.customers.get(tenantId);
    if (c === undefined) {
      throw new ApiError(404, '60003', 'Tenant not found');
    }
    if (c.allowDelegatedAccess) {
      c.allowDelegatedAccess = false;
      c.etag = this.etags.next();
    }
    return c;
  }

  // ---- validation helpers bound to state ---------------------------------------------------------

  private validDisplayName(v: unknown, selfId: string | undefined): string {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > 50) {
      throw new ApiError(400, 'badRequest', 'displayName is required and must be 1 to 50 characters.');
    }
    const lower = v.toLowerCase();
    for (const r of this.relationships.values()) {
      if (r.id !== selfId && r.displayName.toLowerCase() === lower) {
        throw new ApiError(409, 'nameAlreadyExists', `A delegated admin relationship named '${v}' already exists.`);
      }
    }
    return v;
  }

  private validCustomer(v: unknown): { tenantId?: string; displayName?: string } {
    const c = asObject(v, 'customer');
    allowOnly(c, ['tenantId', 'displayName']);
    if (c.tenantId !== undefined && (typeof c.tenantId !== 'string' || !GUIDISH.test(c.tenantId))) {
      throw new ApiError(400, 'badRequest', 'customer.tenantId must be a tenant id.');
    }
    if (c.displayName !== undefined && typeof c.displayName !== 'string') {
      throw new ApiError(400, 'badRequest', 'customer.displayName must be a string.');
    }
    const tenantId = c.tenantId;
    // The system owns customer.displayName (R-cp): use the tenant's name when it is known.
    const known = tenantId === undefined ? undefined : this.customers.get(tenantId);
    const displayName = known?.displayName ?? c.displayName;
    const out: { tenantId?: string; displayName?: string } = {};
    if (tenantId !== undefined) {
      out.tenantId = tenantId;
    }
    if (displayName !== undefined) {
      out.displayName = displayName;
    }
    return out;
  }
}
