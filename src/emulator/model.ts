/**
 * The emulator's own records and how they are rendered on the wire (docs/api-notes.md §2, examples/*.json).
 * Written independently of the client's models (docs/architecture.md §1).
 */
export type RelationshipStatus =
  | 'created'
  | 'approvalPending'
  | 'approved'
  | 'activating'
  | 'active'
  | 'expiring'
  | 'expired'
  | 'terminationRequested'
  | 'terminating'
  | 'terminated';

export type AssignmentStatus = 'pending' | 'active' | 'deleting' | 'deleted' | 'error';
export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';
export type RequestStatus = 'created' | 'pending' | 'succeeded' | 'failed';
export type RequestAction = 'lockForApproval' | 'approve' | 'terminate' | 'reject';

export interface AssignmentRecord {
  id: string;
  etag: string;
  status: AssignmentStatus;
  createdDateTime: string;
  lastModifiedDateTime: string;
  containerId: string;
  roles: string[];
}

export interface OperationRecord {
  id: string;
  etag: string;
  operationType: string;
  data: string;
  status: OperationStatus;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface RequestRecord {
  id: string;
  etag: string;
  action: RequestAction;
  status: RequestStatus;
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface RelationshipRecord {
  reseller: boolean;
  id: string;
  etag: string;
  displayName: string;
  duration: string;
  /** null = created "for approval by any customer" (no customer chosen yet). */
  customer: { tenantId?: string; displayName?: string } | null;
  roles: string[];
  status: RelationshipStatus;
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  /** "" before activation for partner-created drafts (as in the create example, docs/api-notes.md §12.1). */
  activatedDateTime: string | null;
  endDateTime: string | null;
  isPartnerConsentPending?: boolean;
  indirectProviderTenantId?: string;
  assignments: AssignmentRecord[];
  operations: OperationRecord[];
  requests: RequestRecord[];
}

export interface CustomerRecord {
  tenantId: string;
  displayName: string;
  domain: string;
  /** ETag of the Graph delegatedAdminCustomer entity. */
  etag: string;
  allowDelegatedAccess: boolean;
  commerceId: string;
  billingProfileId: string;
  city: string;
  country: string;
  firstName: string;
  lastName: string;
}

export interface SecurityGroup {
  id: string;
  displayName: string;
}

/** A user of the partner tenant (a member of its security groups). */
export interface DirectoryUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export const GRAPH_TYPE = '#microsoft.graph.';

type Json = Record<string, unknown>;

function roleList(roles: readonly string[]): Json {
  return { unifiedRoles: roles.map((roleDefinitionId) => ({ roleDefinitionId })) };
}

/** Property order follows the list example; annotations first. */
export function renderRelationship(r: RelationshipRecord): Json {
  const out: Json = {
    '@odata.type': GRAPH_TYPE + (r.reseller ? 'resellerDelegatedAdminRelationship' : 'delegatedAdminRelationship'),
    '@odata.etag': r.etag,
    id: r.id,
    displayName: r.displayName,
    duration: r.duration,
    customer: r.customer === null ? null : { ...r.customer },
    accessDetails: roleList(r.roles),
    status: r.status,
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.lastModifiedDateTime,
    activatedDateTime: r.activatedDateTime,
    endDateTime: r.endDateTime,
  };
  if (r.reseller) {
    out.isPartnerConsentPending = r.isPartnerConsentPending ?? false;
    out.indirectProviderTenantId = r.indirectProviderTenantId ?? null;
  }
  return out;
}

export function renderAssignment(a: AssignmentRecord): Json {
  return {
    '@odata.type': GRAPH_TYPE + 'delegatedAdminAccessAssignment',
    '@odata.etag': a.etag,
    id: a.id,
    status: a.status,
    createdDateTime: a.createdDateTime,
    lastModifiedDateTime: a.lastModifiedDateTime,
    accessContainer: { accessContainerId: a.containerId, accessContainerType: 'securityGroup' },
    accessDetails: roleList(a.roles),
  };
}

/** Operation types that are evolvable-enum members after unknownFutureValue: hidden unless the caller opts in. */
const LATE_OPERATION_TYPES = new Set(['delegatedAdminRelationshipUpdate']);

/**
 * The Global Administrator removal is a `delegatedAdminRelationshipUpdate`, a member after the enum's
 * unknownFutureValue sentinel: sent as unknownFutureValue unless `Prefer: include-unknown-enum-members`.
 */
export function renderOperation(o: OperationRecord, includeUnknownEnumMembers = false): Json {
  return {
    '@odata.type': GRAPH_TYPE + 'delegatedAdminRelationshipOperation',
    '@odata.etag': o.etag,
    id: o.id,
    operationType: LATE_OPERATION_TYPES.has(o.operationType) && !includeUnknownEnumMembers ? 'unknownFutureValue' : o.operationType,
    data: o.data,
    status: o.status,
    createdDateTime: o.createdDateTime,
    lastModifiedDateTime: o.lastModifiedDateTime,
  };
}

/** `reject` is sent as unknownFutureValue unless the caller opted in (docs/api-notes.md §2.7, §12.6). */
export function renderRequest(q: RequestRecord, includeUnknownEnumMembers: boolean): Json {
  return {
    '@odata.type': GRAPH_TYPE + 'delegatedAdminRelationshipRequest',
    '@odata.etag': q.etag,
    id: q.id,
    action: q.action === 'reject' && !includeUnknownEnumMembers ? 'unknownFutureValue' : q.action,
    status: q.status,
    createdDateTime: q.createdDateTime,
    lastModifiedDateTime: q.lastModifiedDateTime,
  };
}

export function renderCustomer(c: CustomerRecord): Json {
  return {
    '@odata.type': GRAPH_TYPE + 'delegatedAdminCustomer',
    '@odata.etag': c.etag,
    id: c.tenantId,
    tenantId: c.tenantId,
    displayName: c.displayName,
  };
}

/** Deterministic per customer; ids derived from the tenant id so they are stable across calls. */
export function renderServiceManagementDetails(c: CustomerRecord): Json[] {
  const services: [string, string][] = [
    ['Azure Active Directory', `https://aad.portal.azure.com/${c.domain}`],
    ['Microsoft 365 Lighthouse', 'https://lighthouse.microsoft.com'],
    ['Dynamics 365 Business Central', `https://businesscentral.dynamics.com/${c.tenantId}/admin`],
    ['Teams', `https://admin.teams.microsoft.com/?delegatedOrg=${c.domain}`],
  ];
  return services.map(([serviceName, serviceManagementUrl], i) => ({
    '@odata.type': GRAPH_TYPE + 'delegatedAdminServiceManagementDetail',
    id: `${c.tenantId.slice(0, 24)}${(i + 1).toString(16).padStart(12, '0')}`,
    serviceManagementUrl,
    serviceName,
  }));
}

function pcLink(uri: string): Json {
  return { uri, method: 'GET', headers: [] };
}

/** Partner Center list item: no allowDelegatedAccess (docs/api-notes.md §8.3). */
export function renderPcCustomerListItem(c: CustomerRecord): Json {
  return {
    id: c.tenantId,
    commerceId: c.commerceId,
    companyProfile: {
      tenantId: c.tenantId,
      domain: c.domain,
      companyName: c.displayName,
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: 'reseller',
    links: { self: pcLink(`/customers/${c.tenantId}`) },
    attributes: { objectType: 'Customer' },
  };
}

/** GET by id: the full shape of the documented example, with allowDelegatedAccess. */
export function renderPcCustomer(c: CustomerRecord): Json {
  const address = {
    country: c.country,
    region: '',
    city: c.city,
    addressLine1: '1 Main Street',
    postalCode: '10001',
    phoneNumber: '5550100',
  };
  return {
    id: c.tenantId,
    commerceId: c.commerceId,
    companyProfile: {
      tenantId: c.tenantId,
      domain: c.domain,
      companyName: c.displayName,
      address,
      email: `admin@${c.domain}`,
      links: { self: pcLink(`/customers/${c.tenantId}/profiles/company`) },
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    billingProfile: {
      id: c.billingProfileId,
      firstName: c.firstName,
      lastName: c.lastName,
      email: `billing@${c.domain}`,
      culture: 'en-US',
      language: 'en',
      companyName: c.displayName,
      defaultAddress: {
        country: c.country,
        city: c.city,
        state: '',
        addressLine1: '1 Main Street',
        postalCode: '10001',
        firstName: c.firstName,
        lastName: c.lastName,
        phoneNumber: '5550100',
      },
      links: { self: pcLink(`/customers/${c.tenantId}/profiles/billing`) },
      attributes: { etag: c.etag.replace(/[^0-9]/g, '').slice(0, 19) || '1', objectType: 'CustomerBillingProfile' },
    },
    relationshipToPartner: 'reseller',
    allowDelegatedAccess: c.allowDelegatedAccess,
    customDomains: [c.domain],
    links: { self: pcLink(`/customers/${c.tenantId}`) },
    attributes: { objectType: 'Customer' },
  };
}
