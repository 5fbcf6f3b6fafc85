import type { Inventory, InventoryRelationship } from '../actions/inventory';
import { autoExtends, daysUntilEnd, includesGlobalAdministrator, parseApiDate } from '../actions/relationshipFacts';
import { resolveRole } from '../roles/roleLookup';
import { activeAssignments, grantsAccess, type InsightContext } from './accessRows';
import { findingEnglish, type FindingCode, type FindingFacts, type FindingParamsByCode } from './findingMessages';
import { compareNames } from '../domain/nameOrder';

/*
 * The access doctor: checks over the whole inventory, each finding saying what to do. Pure, `now` a
 * parameter, so the CLI (`gdap check`) and the extension's Problems panel show the same findings.
 * Severities and thresholds are documented in docs/access.md.
 */

export type FindingSeverity = 'error' | 'warning' | 'info';

export type { FindingCode } from './findingMessages';

/**
 * One finding: its code with typed parameters (`params`, rendered in the user's language by the extension)
 * and `message`, the same text in English (`findingEnglish`), as `gdap check` prints it.
 */
export type Finding = FindingFacts & {
  readonly severity: FindingSeverity;
  readonly customerTenantId: string | null;
  readonly relationshipId: string | null;
  readonly message: string;
};

/** A finding from its code and parameters; the English `message` is rendered from them. */
function makeFinding<C extends FindingCode>(
  code: C,
  params: FindingParamsByCode[C],
  where: { severity: FindingSeverity; customerTenantId: string | null; relationshipId: string | null },
): Finding {
  const facts = { code, params } as FindingFacts;
  return { ...facts, ...where, message: findingEnglish(facts) };
}

/** A Partner Center customer as the doctor needs it; `allowDelegatedAccess` null when not read. */
export interface DoctorPartnerCenterCustomer {
  readonly tenantId: string;
  readonly companyName: string | null;
  readonly allowDelegatedAccess: boolean | null;
}

export interface DoctorInput extends InsightContext {
  readonly inventory: Inventory;
  readonly now: Date;
  /**
   * The Partner Center customer list, when it was read: enables `noGdap`, and `dapStillOn` for customers
   * whose DAP state is known. Absent: neither check runs (nothing is assumed).
   */
  readonly partnerCenterCustomers?: readonly DoctorPartnerCenterCustomer[];
}

export const DOCTOR_THRESHOLDS = {
  /** `endsSoon` warns within this many days of the end date… */
  endsSoonDays: 30,
  /** …and is an error within this many. */
  endsSoonErrorDays: 7,
  /** `inviteAging`: an invitation pending longer than this. */
  inviteAgingDays: 14,
  /** Invitations lapse after this many days unapproved (docs/api-notes.md §15). */
  inviteLapseDays: 90,
  /** `inviteLapsing`: within this many days of the lapse. */
  inviteLapsingDays: 10,
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

function assignmentsLoaded(r: InventoryRelationship): boolean {
  return r.accessAssignments !== undefined && r.accessAssignmentsError === undefined;
}

// Long because: the per-relationship checks share one pass over a relationship's facts; each check is a short block.
function relationshipChecks(
  r: InventoryRelationship,
  customerTenantId: string | null,
  customerName: string,
  input: DoctorInput,
): Finding[] {
  const out: Finding[] = [];
  const ref = { relationship: r.displayName, customer: customerTenantId === null ? null : customerName };
  const finding = <C extends FindingCode>(code: C, severity: FindingSeverity, params: FindingParamsByCode[C]): void => {
    out.push(makeFinding(code, params, { severity, customerTenantId, relationshipId: r.id }));
  };

  // Roles no catalog can name: their privilege is unknown, so they are never assumed harmless.
  const unknown = r.roles.filter((role) => !resolveRole(role.roleDefinitionId, input.roles).known).map((role) => role.roleDefinitionId);
  if (unknown.length > 0 && r.status !== 'terminated' && r.status !== 'expired') {
    finding('unknownRole', 'warning', { ...ref, roleIds: unknown });
  }

  if (r.status === 'approvalPending') {
    const created = parseApiDate(r.createdDateTime);
    if (created !== null) {
      const age = (input.now.getTime() - created) / DAY_MS;
      const left = DOCTOR_THRESHOLDS.inviteLapseDays - age;
      if (left <= DOCTOR_THRESHOLDS.inviteLapsingDays) {
        // Rounded up while it is still open ("lapses in 1 day" for hours left), 0 or less once past.
        finding('inviteLapsing', 'warning', { ...ref, daysLeft: Math.ceil(left), windowDays: DOCTOR_THRESHOLDS.inviteLapseDays });
      } else if (age > DOCTOR_THRESHOLDS.inviteAgingDays) {
        finding('inviteAging', 'info', { ...ref, days: Math.floor(age) });
      }
    }
    return out;
  }

  if (!grantsAccess(r)) {
    return out;
  }

  const ga = includesGlobalAdministrator(r);
  if (ga) {
    finding('gaBlocksAutoExtend', 'warning', ref);
  }
  if (!autoExtends(r)) {
    const days = daysUntilEnd(r, input.now);
    if (days !== null && days <= DOCTOR_THRESHOLDS.endsSoonDays) {
      finding('endsSoon', days <= DOCTOR_THRESHOLDS.endsSoonErrorDays ? 'error' : 'warning', { ...ref, days, globalAdministrator: ga });
    }
  }

  if (!assignmentsLoaded(r)) {
    return out;
  }
  const active = activeAssignments(r);
  for (const a of r.accessAssignments ?? []) {
    if (a.status === 'error') {
      finding('assignmentError', 'error', { ...ref, assignmentId: a.id, groupId: a.accessContainer.accessContainerId });
    }
  }
  if (active.length === 0) {
    finding('noActiveAssignments', 'warning', ref);
  }
  const notFound = input.groups?.notFound;
  if (notFound !== undefined) {
    for (const a of active) {
      if (notFound.has(a.accessContainer.accessContainerId)) {
        finding('groupNotFound', 'error', { ...ref, assignmentId: a.id, groupId: a.accessContainer.accessContainerId });
      }
    }
  }
  const used = new Set(active.flatMap((a) => a.roles.map((role) => role.roleDefinitionId.toLowerCase())));
  for (const role of r.roles) {
    const resolved = resolveRole(role.roleDefinitionId, input.roles);
    if (resolved.privilege === 'privileged' && !used.has(role.roleDefinitionId.toLowerCase())) {
      finding('privilegedRoleUnused', 'warning', { ...ref, role: resolved.name });
    }
  }
  return out;
}

function roleSetKey(r: InventoryRelationship): string {
  return [...new Set(r.roles.map((x) => x.roleDefinitionId.toLowerCase()))].sort().join(',');
}

/** Every finding over the inventory, errors first, then by customer and relationship. */
// Long because: gathers each customer's facts once and runs every check over them.
export function runDoctor(input: DoctorInput): Finding[] {
  const findings: Finding[] = [];
  const { inventory } = input;
  const covered = new Set<string>();
  const served = new Set<string>();

  for (const customer of inventory.customers) {
    const name = customer.displayName || customer.tenantId;
    for (const r of customer.relationships) {
      findings.push(...relationshipChecks(r, customer.tenantId, name, input));
    }
    const active = customer.relationships.filter(grantsAccess);
    if (active.length > 0) {
      served.add(customer.tenantId.toLowerCase());
    }
    if (active.some((r) => activeAssignments(r).length > 0)) {
      covered.add(customer.tenantId.toLowerCase());
    }
    const bySet = new Map<string, InventoryRelationship[]>();
    for (const r of active) {
      const key = roleSetKey(r);
      if (key !== '') {
        bySet.set(key, [...(bySet.get(key) ?? []), r]);
      }
    }
    for (const same of bySet.values()) {
      if (same.length > 1) {
        findings.push(
          makeFinding(
            'duplicateRoles',
            { customer: name, relationships: same.map((r) => r.displayName) },
            { severity: 'info', customerTenantId: customer.tenantId, relationshipId: same[0].id },
          ),
        );
      }
    }
  }
  for (const r of inventory.pendingRelationships) {
    findings.push(...relationshipChecks(r, null, '', input));
  }

  for (const pc of input.partnerCenterCustomers ?? []) {
    const key = pc.tenantId.toLowerCase();
    const name = pc.companyName ?? pc.tenantId;
    if (!served.has(key)) {
      findings.push(
        makeFinding('noGdap', { customer: name }, { severity: 'warning', customerTenantId: pc.tenantId, relationshipId: null }),
      );
    }
    if (pc.allowDelegatedAccess === true && covered.has(key)) {
      findings.push(
        makeFinding(
          'dapStillOn',
          { customer: name, tenantId: pc.tenantId },
          { severity: 'warning', customerTenantId: pc.tenantId, relationshipId: null },
        ),
      );
    }
  }

  const customerNames = new Map(inventory.customers.map((c) => [c.tenantId.toLowerCase(), c.displayName || c.tenantId]));
  // Relationships without a customer yet come after every customer's.
  const customerKey = (f: Finding): [number, string] =>
    f.customerTenantId === null ? [1, ''] : [0, customerNames.get(f.customerTenantId.toLowerCase()) ?? f.customerTenantId];
  return findings.sort((a, b) => {
    const [ka, na] = customerKey(a);
    const [kb, nb] = customerKey(b);
    return (
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      ka - kb ||
      compareNames(na, nb) ||
      compareNames(a.relationshipId ?? '', b.relationshipId ?? '') ||
      a.code.localeCompare(b.code)
    );
  });
}

/** True when any finding is an error (the CLI exits 4). */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
