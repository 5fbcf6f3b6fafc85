import type { Inventory, InventoryRelationship } from '../actions/inventory';
import { autoExtends, daysUntilEnd, includesGlobalAdministrator, parseApiDate } from '../actions/relationshipFacts';
import { resolveRole } from '../roles/roleLookup';
import { activeAssignments, grantsAccess, type InsightContext } from './accessRows';

/*
 * The access doctor: checks over the whole inventory, each finding saying what to do. Pure, `now` a
 * parameter, so the CLI (`gdap check`) and the extension's Problems panel show the same findings.
 * Severities and thresholds are documented in docs/access.md.
 */

export type FindingSeverity = 'error' | 'warning' | 'info';

export type FindingCode =
  | 'endsSoon'
  | 'gaBlocksAutoExtend'
  | 'noActiveAssignments'
  | 'assignmentError'
  | 'groupNotFound'
  | 'inviteAging'
  | 'inviteLapsing'
  | 'duplicateRoles'
  | 'privilegedRoleUnused'
  | 'unknownRole'
  | 'dapStillOn'
  | 'noGdap';

export interface Finding {
  readonly code: FindingCode;
  readonly severity: FindingSeverity;
  readonly customerTenantId: string | null;
  readonly relationshipId: string | null;
  readonly message: string;
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
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function quoted(r: InventoryRelationship): string {
  return `"${r.displayName}"`;
}

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
  const at = customerTenantId === null ? '' : ` at ${customerName}`;
  const finding = (code: FindingCode, severity: FindingSeverity, message: string): void => {
    out.push({ code, severity, customerTenantId, relationshipId: r.id, message });
  };

  // Roles no catalog can name: their privilege is unknown, so they are never assumed harmless.
  const unknown = r.roles.filter((role) => !resolveRole(role.roleDefinitionId, input.roles).known).map((role) => role.roleDefinitionId);
  if (unknown.length > 0 && r.status !== 'terminated' && r.status !== 'expired') {
    finding(
      'unknownRole',
      'warning',
      `Relationship ${quoted(r)}${at} carries ${plural(unknown.length, 'role')} no catalog names (${unknown.join(', ')}); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.`,
    );
  }

  if (r.status === 'approvalPending') {
    const created = parseApiDate(r.createdDateTime);
    if (created !== null) {
      const age = (input.now.getTime() - created) / DAY_MS;
      const left = DOCTOR_THRESHOLDS.inviteLapseDays - age;
      if (left <= DOCTOR_THRESHOLDS.inviteLapsingDays) {
        finding(
          'inviteLapsing',
          'warning',
          left > 0
            ? `Invitation ${quoted(r)}${at} lapses in ${plural(Math.ceil(left), 'day')} if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.`
            : `Invitation ${quoted(r)}${at} is past the ${DOCTOR_THRESHOLDS.inviteLapseDays}-day approval window: create a new relationship and send its approval link.`,
        );
      } else if (age > DOCTOR_THRESHOLDS.inviteAgingDays) {
        finding(
          'inviteAging',
          'info',
          `Invitation ${quoted(r)}${at} has waited ${plural(Math.floor(age), 'day')} for the customer's approval: remind the customer and send the approval link again.`,
        );
      }
    }
    return out;
  }

  if (!grantsAccess(r)) {
    return out;
  }

  const ga = includesGlobalAdministrator(r);
  if (ga) {
    finding(
      'gaBlocksAutoExtend',
      'warning',
      `Relationship ${quoted(r)}${at} includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.`,
    );
  }
  if (!autoExtends(r)) {
    const days = daysUntilEnd(r, input.now);
    if (days !== null && days <= DOCTOR_THRESHOLDS.endsSoonDays) {
      finding(
        'endsSoon',
        days <= DOCTOR_THRESHOLDS.endsSoonErrorDays ? 'error' : 'warning',
        `Relationship ${quoted(r)}${at} ends ${days <= 0 ? 'today' : `in ${plural(days, 'day')}`} and will not auto-extend: ${ga ? 'remove Global Administrator and turn auto-extend on, or renew it' : 'turn auto-extend on, or renew it'}.`,
      );
    }
  }

  if (!assignmentsLoaded(r)) {
    return out;
  }
  const active = activeAssignments(r);
  for (const a of r.accessAssignments ?? []) {
    if (a.status === 'error') {
      finding(
        'assignmentError',
        'error',
        `Access assignment ${a.id} of ${quoted(r)}${at} (group ${a.accessContainer.accessContainerId}) is in status error: remove it and assign the group again.`,
      );
    }
  }
  if (active.length === 0) {
    finding(
      'noActiveAssignments',
      'warning',
      `Relationship ${quoted(r)}${at} is active but gives no security group any role: assign a group, or terminate the relationship if it is no longer needed.`,
    );
  }
  const notFound = input.groups?.notFound;
  if (notFound !== undefined) {
    for (const a of active) {
      if (notFound.has(a.accessContainer.accessContainerId)) {
        finding(
          'groupNotFound',
          'error',
          `Access assignment ${a.id} of ${quoted(r)}${at} gives its roles to group ${a.accessContainer.accessContainerId}, which no longer exists: nobody has these roles. Remove the assignment and assign an existing group.`,
        );
      }
    }
  }
  const used = new Set(active.flatMap((a) => a.roles.map((role) => role.roleDefinitionId.toLowerCase())));
  for (const role of r.roles) {
    const resolved = resolveRole(role.roleDefinitionId, input.roles);
    if (resolved.privilege === 'privileged' && !used.has(role.roleDefinitionId.toLowerCase())) {
      finding(
        'privilegedRoleUnused',
        'warning',
        `Relationship ${quoted(r)}${at} carries the privileged role ${resolved.name}, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.`,
      );
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
        const [first, ...rest] = same;
        findings.push({
          code: 'duplicateRoles',
          severity: 'info',
          customerTenantId: customer.tenantId,
          relationshipId: first.id,
          message: `${name} has ${same.length} active relationships granting the same roles (${same.map(quoted).join(', ')}): keep one and terminate ${rest.length === 1 ? 'the other' : 'the others'} once its groups are assigned on the one kept.`,
        });
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
      findings.push({
        code: 'noGdap',
        severity: 'warning',
        customerTenantId: pc.tenantId,
        relationshipId: null,
        message: `${name} is a Partner Center customer with no active GDAP relationship: create one (and have it approved) if you still administer this customer.`,
      });
    }
    if (pc.allowDelegatedAccess === true && covered.has(key)) {
      findings.push({
        code: 'dapStillOn',
        severity: 'warning',
        customerTenantId: pc.tenantId,
        relationshipId: null,
        message: `${name} still has legacy DAP enabled although GDAP covers it: check that your people work through the GDAP groups, then remove DAP (gdap remove-dap ${pc.tenantId}).`,
      });
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
      collator.compare(na, nb) ||
      collator.compare(a.relationshipId ?? '', b.relationshipId ?? '') ||
      a.code.localeCompare(b.code)
    );
  });
}

/** True when any finding is an error (the CLI exits 4). */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
