import type { DomainAccessAssignment, DomainRelationship } from '../domain/model';
import { domainRoles } from '../domain/roles';
import { isRelationshipStatusIn } from '../domain/status';
import { MAX_DISPLAY_NAME_LENGTH } from '../graph/preconditions';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../roles/roleCatalog';
import type { Inventory } from '../actions/inventory';
import { AUTO_EXTEND_ON, isAutoExtendOn } from '../actions/relationshipFacts';
import { GONE_ASSIGNMENT_STATUSES, sameRoleSet } from '../actions/strategies/grantCommon';
import { because, english, msg, type Message } from '../messages';
import type { GdapTemplate, TemplateAssignment, TemplateEntry } from './templateModel';

/*
 * The planner (docs/templates.md): pure, from one inventory read (customers, relationships and their
 * access assignments) and a template, the list of changes that makes the live state match. Each change
 * is one target of an existing strategy on the mutation pipeline; apply never sends anything itself.
 * Same input, same output, same order.
 */

export const TEMPLATE_ACTIONS = ['create', 'removeGa', 'autoExtendOn', 'autoExtendOff', 'setRoles', 'assign', 'unassign'] as const;
export type TemplateAction = (typeof TEMPLATE_ACTIONS)[number];

/** What apply needs to run a change (ids, never names), kept apart from what people read. */
export type ChangeOperation =
  | {
      readonly kind: 'create';
      readonly displayName: string;
      readonly customerTenantId: string;
      readonly duration: string;
      readonly roleDefinitionIds: readonly string[];
      readonly autoExtendDuration: 'P180D' | null;
      readonly assignments: readonly TemplateAssignment[];
    }
  | { readonly kind: 'relationship'; readonly relationshipId: string }
  | {
      readonly kind: 'setRoles';
      readonly relationshipId: string;
      readonly assignmentId: string;
      readonly roleDefinitionIds: readonly string[];
      readonly currentRoleDefinitionIds: readonly string[];
    }
  | { readonly kind: 'assign'; readonly relationshipId: string; readonly groupId: string; readonly roleDefinitionIds: readonly string[] }
  | { readonly kind: 'unassign'; readonly relationshipId: string; readonly assignmentId: string; readonly etag: string | null }
  | { readonly kind: 'none' };

export interface TemplateChange {
  readonly action: TemplateAction;
  readonly customerTenantId: string;
  readonly customerName: string | null;
  /** The template entry's name. */
  readonly entry: string;
  readonly relationshipId: string | null;
  readonly groupId: string | null;
  readonly assignmentId?: string | null;
  readonly before: unknown;
  readonly after: unknown;
  /** Why this change cannot be made (it is listed, never applied); null when it can. */
  readonly reason: string | null;
  /** `reason` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly reasonMessage?: Message | null;
  /** A create that replaces this relationship (its roles cannot change in place). */
  readonly successorOf?: string;
  /** Roles the partner loses in this customer through this change: nothing else grants them afterwards. */
  readonly lostRoles?: readonly string[];
  readonly warning?: string;
  /** `warning` as a code with parameters, for a face that translates it. */
  readonly warningMessage?: Message;
  readonly operation: ChangeOperation;
}

/** An extra assignment an entry does not list and (without `exclusive`) leaves in place. */
export interface TemplateDrift {
  readonly customerTenantId: string;
  readonly entry: string;
  readonly relationshipId: string;
  readonly groupId: string;
  readonly assignmentId: string;
  readonly roles: readonly string[];
  /** Why it is listed, in English (the CLI's text and JSON). */
  readonly message: string;
  /** `message` as a code with parameters, for a face that translates it (src/core/messages.ts); never in the JSON. */
  readonly messageCode: Message;
}

/** A relationship of the entry still on its way (draft, awaiting the customer): nothing is created again. */
export interface TemplateWaiting {
  readonly customerTenantId: string;
  readonly entry: string;
  readonly relationshipId: string;
  readonly name: string;
  readonly status: string;
}

export interface TemplatePlan {
  readonly changes: readonly TemplateChange[];
  readonly summary: Readonly<Partial<Record<TemplateAction, number>>>;
  /** Changes that cannot be made, with their reason. */
  readonly blocked: number;
  readonly drift: readonly TemplateDrift[];
  readonly waiting: readonly TemplateWaiting[];
}

/** A change's warning in English and as a message (src/core/messages.ts). */
const warned = (message: Message): { readonly warning: string; readonly warningMessage: Message } => ({
  warning: english(message),
  warningMessage: message,
});

/** A drift's reason in English and as a message. */
const driftReason = (message: Message): { readonly message: string; readonly messageCode: Message } => ({
  message: english(message),
  messageCode: message,
});

const roleNames = (ids: readonly string[]): string[] => domainRoles([...ids].sort()).map((r) => r.name);
const roleIds = (roles: readonly { readonly roleDefinitionId: string }[]): string[] => roles.map((r) => r.roleDefinitionId.toLowerCase());
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Newest first: activation (else creation) time, then id, so the choice never depends on read order. */
function newestFirst(a: DomainRelationship, b: DomainRelationship): number {
  const ta = a.activatedDateTime ?? a.createdDateTime ?? '';
  const tb = b.activatedDateTime ?? b.createdDateTime ?? '';
  return byString(tb, ta) || byString(b.id, a.id);
}

/** The matching rule: the relationship's display name starts with the entry's name (case-insensitive). */
export function matchesEntry(relationshipName: string, entryName: string): boolean {
  return relationshipName.trim().toLowerCase().startsWith(entryName.trim().toLowerCase());
}

/** The relationship an entry manages for a customer: the newest `active` one whose name starts with the entry's name. */
export function managedRelationship(relationships: readonly DomainRelationship[], entryName: string): DomainRelationship | undefined {
  return relationships.filter((r) => r.status === 'active' && matchesEntry(r.displayName, entryName)).sort(newestFirst)[0];
}

/**
 * The name of a relationship an entry creates for a customer: `<name> (<first 8 of the tenant id>)`, and
 * `-2`, `-3`… after it while that is taken (compared case-insensitively with every relationship of the
 * partner and every name this plan already chose). Undefined when it would exceed 50 characters.
 */
export function createdName(entryName: string, tenantId: string, taken: ReadonlySet<string>): string | undefined {
  const tag = tenantId.slice(0, 8).toLowerCase();
  for (let n = 1; n < 1000; n += 1) {
    const name = `${entryName.trim()} (${tag}${n === 1 ? '' : `-${n}`})`;
    if (name.length > MAX_DISPLAY_NAME_LENGTH) {
      return undefined;
    }
    if (!taken.has(name.toLowerCase())) {
      return name;
    }
  }
  return undefined;
}

const liveAssignments = (r: DomainRelationship): DomainAccessAssignment[] =>
  (r.accessAssignments ?? []).filter((a) => !GONE_ASSIGNMENT_STATUSES.includes(a.status));

interface CustomerView {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly relationships: readonly DomainRelationship[];
}

interface Context {
  readonly taken: Set<string>;
}

function groupsOf(entry: TemplateEntry): { group: string; roles: string[] }[] {
  return entry.assignments.map((a) => ({ group: a.groupId, roles: roleNames(a.roleDefinitionIds) }));
}

// Long because: the create decision names each case it refuses (unknown customer, name too long) next to the change it builds.
function createChange(
  entry: TemplateEntry,
  customer: CustomerView | undefined,
  tenantId: string,
  ctx: Context,
  old?: DomainRelationship,
): TemplateChange {
  const autoExtend = entry.autoExtend === true;
  const name = createdName(entry.name, tenantId, ctx.taken);
  const after = {
    name: name ?? null,
    roles: roleNames(entry.roleDefinitionIds),
    duration: entry.duration,
    autoExtend,
    assignments: groupsOf(entry),
  };
  const before = old === undefined ? null : { relationshipId: old.id, name: old.displayName, roles: roleNames(roleIds(old.roles)) };
  const base = {
    action: 'create' as const,
    customerTenantId: tenantId,
    customerName: customer?.displayName ?? null,
    entry: entry.name,
    relationshipId: null,
    groupId: null,
    before,
    after,
    ...(old !== undefined ? { successorOf: old.id } : {}),
  };
  if (customer === undefined) {
    return {
      ...base,
      ...because(msg('{0} is not one of your customers (no relationship and not in the customer list); check the tenant id.', tenantId)),
      operation: { kind: 'none' },
    };
  }
  if (name === undefined) {
    return {
      ...base,
      ...because(
        msg(
          'No unique name of at most {0} characters can be made from "{1}"; shorten the entry\'s name to {2} characters or fewer.',
          String(MAX_DISPLAY_NAME_LENGTH),
          entry.name,
          String(MAX_DISPLAY_NAME_LENGTH - 11),
        ),
      ),
      operation: { kind: 'none' },
    };
  }
  ctx.taken.add(name.toLowerCase());
  return {
    ...base,
    reason: null,
    ...(old !== undefined
      ? warned(
          msg(
            'Roles cannot change on an existing relationship: a successor is created; "{0}" keeps its access until it ends or is terminated.',
            old.displayName,
          ),
        )
      : {}),
    operation: {
      kind: 'create',
      displayName: name,
      customerTenantId: tenantId,
      duration: entry.duration,
      roleDefinitionIds: entry.roleDefinitionIds,
      autoExtendDuration: autoExtend ? AUTO_EXTEND_ON : null,
      assignments: entry.assignments,
    },
  };
}

// Long because: the per-relationship comparison (roles, auto-extend, each group, extra groups) in the order apply runs it.
function relationshipChanges(
  entry: TemplateEntry,
  customer: CustomerView,
  r: DomainRelationship,
  drift: TemplateDrift[],
): TemplateChange[] {
  const changes: TemplateChange[] = [];
  const common = { customerTenantId: customer.tenantId, customerName: customer.displayName, entry: entry.name, relationshipId: r.id };
  const live = roleIds(r.roles);
  const hasGa = live.includes(GLOBAL_ADMINISTRATOR_ROLE_ID);
  const wantsGa = entry.roleDefinitionIds.includes(GLOBAL_ADMINISTRATOR_ROLE_ID);
  if (hasGa && !wantsGa) {
    changes.push({
      ...common,
      action: 'removeGa',
      groupId: null,
      before: { roles: roleNames(live) },
      after: { roles: roleNames(live.filter((id) => id !== GLOBAL_ADMINISTRATOR_ROLE_ID)) },
      reason: null,
      operation: { kind: 'relationship', relationshipId: r.id },
    });
  }
  const autoOn = isAutoExtendOn(r);
  if (entry.autoExtend === true && !autoOn) {
    changes.push({
      ...common,
      action: 'autoExtendOn',
      groupId: null,
      before: r.autoExtendDuration,
      after: AUTO_EXTEND_ON,
      reason: null,
      operation: { kind: 'relationship', relationshipId: r.id },
    });
  } else if (entry.autoExtend === false && autoOn) {
    changes.push({
      ...common,
      action: 'autoExtendOff',
      groupId: null,
      before: r.autoExtendDuration,
      after: 'PT0S',
      reason: null,
      operation: { kind: 'relationship', relationshipId: r.id },
    });
  }
  if (r.accessAssignmentsError !== undefined || r.accessAssignments === undefined) {
    changes.push({
      ...common,
      action: 'assign',
      groupId: null,
      before: null,
      after: null,
      ...because(
        r.accessAssignmentsError !== undefined
          ? msg('The access assignments of this relationship could not be read ({0}); plan again.', r.accessAssignmentsError.message)
          : msg('The access assignments of this relationship could not be read (not loaded); plan again.'),
      ),
      operation: { kind: 'none' },
    });
    return changes;
  }
  const assignments = liveAssignments(r);
  const byGroup = new Map(assignments.map((a) => [a.accessContainer.accessContainerId.toLowerCase(), a]));
  const setRoles: TemplateChange[] = [];
  const assign: TemplateChange[] = [];
  for (const wanted of [...entry.assignments].sort((a, b) => byString(a.groupId, b.groupId))) {
    const current = byGroup.get(wanted.groupId);
    if (current === undefined) {
      assign.push({
        ...common,
        action: 'assign',
        groupId: wanted.groupId,
        before: null,
        after: { roles: roleNames(wanted.roleDefinitionIds) },
        reason: null,
        operation: { kind: 'assign', relationshipId: r.id, groupId: wanted.groupId, roleDefinitionIds: wanted.roleDefinitionIds },
      });
    } else if (!sameRoleSet(roleIds(current.roles), wanted.roleDefinitionIds)) {
      const blocked =
        current.status !== 'active'
          ? because(msg('The assignment is "{0}"; roles can be changed only on an active one. Plan again later.', current.status))
          : null;
      setRoles.push({
        ...common,
        action: 'setRoles',
        groupId: wanted.groupId,
        assignmentId: current.id,
        before: { roles: roleNames(roleIds(current.roles)) },
        after: { roles: roleNames(wanted.roleDefinitionIds) },
        ...(blocked ?? { reason: null }),
        operation:
          blocked === null
            ? {
                kind: 'setRoles',
                relationshipId: r.id,
                assignmentId: current.id,
                roleDefinitionIds: wanted.roleDefinitionIds,
                currentRoleDefinitionIds: roleIds(current.roles),
              }
            : { kind: 'none' },
      });
    }
  }
  const listed = new Set(entry.assignments.map((a) => a.groupId));
  const extra = assignments
    .filter((a) => !listed.has(a.accessContainer.accessContainerId.toLowerCase()))
    .sort(
      (a, b) =>
        byString(a.accessContainer.accessContainerId.toLowerCase(), b.accessContainer.accessContainerId.toLowerCase()) ||
        byString(a.id, b.id),
    );
  const unassign: TemplateChange[] = [];
  for (const a of extra) {
    const groupId = a.accessContainer.accessContainerId.toLowerCase();
    if (!entry.exclusive) {
      drift.push({
        customerTenantId: customer.tenantId,
        entry: entry.name,
        relationshipId: r.id,
        groupId,
        assignmentId: a.id,
        roles: roleNames(roleIds(a.roles)),
        ...driftReason(msg('Not in the template; left in place (set "exclusive": true on the entry to remove it).')),
      });
      continue;
    }
    const blocked =
      a.status !== 'active'
        ? because(msg('The assignment is "{0}"; only an active one can be removed. Plan again later.', a.status))
        : null;
    unassign.push({
      ...common,
      action: 'unassign',
      groupId,
      assignmentId: a.id,
      before: { roles: roleNames(roleIds(a.roles)) },
      after: null,
      ...(blocked ?? { reason: null }),
      operation: blocked === null ? { kind: 'unassign', relationshipId: r.id, assignmentId: a.id, etag: a.etag ?? null } : { kind: 'none' },
    });
  }
  return [...changes, ...setRoles, ...assign, ...unassign];
}

/** Roles granted in a customer by its active relationships' active assignments, after `changes`. */
function grantedRoles(customer: CustomerView, changes: readonly TemplateChange[], skip?: TemplateChange): Set<string> {
  const removed = new Set<string>();
  const replaced = new Map<string, readonly string[]>();
  const added: string[] = [];
  for (const c of changes) {
    if (c === skip || c.reason !== null) {
      continue;
    }
    const op = c.operation;
    if (op.kind === 'unassign') {
      removed.add(op.assignmentId);
    } else if (op.kind === 'setRoles') {
      replaced.set(op.assignmentId, op.roleDefinitionIds);
    } else if (op.kind === 'assign') {
      added.push(...op.roleDefinitionIds);
    }
  }
  const roles = new Set<string>(added);
  for (const r of customer.relationships) {
    if (r.status !== 'active') {
      continue;
    }
    for (const a of r.accessAssignments ?? []) {
      if (a.status !== 'active' || removed.has(a.id)) {
        continue;
      }
      for (const id of replaced.get(a.id) ?? roleIds(a.roles)) {
        roles.add(id);
      }
    }
  }
  return roles;
}

/** Calls out removals that take the partner's last access to a role in the customer. */
function callOutLastAccess(customer: CustomerView, changes: TemplateChange[]): TemplateChange[] {
  const after = grantedRoles(customer, changes);
  return changes.map((c) => {
    if (c.reason !== null || (c.operation.kind !== 'unassign' && c.operation.kind !== 'setRoles')) {
      return c;
    }
    const op = c.operation;
    const lostHere =
      op.kind === 'unassign'
        ? roleIds(customer.relationships.flatMap((r) => r.accessAssignments ?? []).find((a) => a.id === op.assignmentId)?.roles ?? [])
        : op.currentRoleDefinitionIds.filter((id) => !op.roleDefinitionIds.includes(id));
    const lost = lostHere.filter((id) => !after.has(id));
    if (lost.length === 0) {
      return c;
    }
    const names = roleNames(lost);
    return {
      ...c,
      lostRoles: names,
      ...warned(msg("This removes the partner's last access to {0} in {1}.", names.join(', '), customer.displayName ?? customer.tenantId)),
    };
  });
}

function customerViews(inventory: Inventory): Map<string, CustomerView> {
  return new Map(
    inventory.customers.map((c) => [
      c.tenantId.toLowerCase(),
      { tenantId: c.tenantId.toLowerCase(), displayName: c.displayName, relationships: c.relationships },
    ]),
  );
}

/** The customers an entry covers, sorted by tenant id. `*`: every customer with an active relationship. */
function entryCustomers(entry: TemplateEntry, customers: ReadonlyMap<string, CustomerView>): string[] {
  const ids =
    entry.customers === '*'
      ? [...customers.values()].filter((c) => c.relationships.some((r) => r.status === 'active')).map((c) => c.tenantId)
      : [...entry.customers];
  return ids.sort(byString);
}

/** The plan: every change that makes the inventory match the template, in a stable order. */
export function planTemplate(template: GdapTemplate, inventory: Inventory): TemplatePlan {
  const customers = customerViews(inventory);
  const ctx: Context = {
    taken: new Set(
      [...inventory.customers.flatMap((c) => c.relationships), ...inventory.pendingRelationships].map((r) =>
        r.displayName.trim().toLowerCase(),
      ),
    ),
  };
  const perCustomer = new Map<string, TemplateChange[]>();
  const drift: TemplateDrift[] = [];
  const waiting: TemplateWaiting[] = [];
  const order: { customer: string; changes: TemplateChange[] }[] = [];
  for (const entry of template.relationships) {
    for (const tenantId of entryCustomers(entry, customers)) {
      const customer = customers.get(tenantId);
      const changes: TemplateChange[] = [];
      const pending = (customer?.relationships ?? [])
        .filter((r) => isRelationshipStatusIn('pending', r.status) && matchesEntry(r.displayName, entry.name))
        .sort(newestFirst)[0];
      const managed = customer === undefined ? undefined : managedRelationship(customer.relationships, entry.name);
      if (pending !== undefined) {
        waiting.push({
          customerTenantId: tenantId,
          entry: entry.name,
          relationshipId: pending.id,
          name: pending.displayName,
          status: pending.status,
        });
      } else if (managed === undefined) {
        changes.push(createChange(entry, customer, tenantId, ctx));
      } else if (!rolesMatch(managed, entry)) {
        changes.push(createChange(entry, customer, tenantId, ctx, managed));
      }
      // A relationship about to be replaced by a successor is left as it is: the successor gets the assignments.
      if (managed !== undefined && customer !== undefined && rolesMatch(managed, entry)) {
        changes.push(...relationshipChanges(entry, customer, managed, drift));
      }
      const list = perCustomer.get(tenantId) ?? [];
      list.push(...changes);
      perCustomer.set(tenantId, list);
      order.push({ customer: tenantId, changes });
    }
  }
  // The last-access call-out looks at the whole customer, across entries.
  const calledOut = new Map<TemplateChange, TemplateChange>();
  for (const [tenantId, list] of perCustomer) {
    const customer = customers.get(tenantId);
    if (customer === undefined) {
      continue;
    }
    callOutLastAccess(customer, list).forEach((c, i) => calledOut.set(list[i], c));
  }
  const changes = order.flatMap((o) => o.changes.map((c) => calledOut.get(c) ?? c));
  return { changes, summary: summarise(changes), blocked: changes.filter((c) => c.reason !== null).length, drift, waiting };
}

/**
 * The relationship already has the entry's roles, or will after Global Administrator is removed (the
 * one role that can be taken off an active relationship, docs/api-notes.md §4.1).
 */
function rolesMatch(r: DomainRelationship, entry: TemplateEntry): boolean {
  const live = roleIds(r.roles);
  if (sameRoleSet(live, entry.roleDefinitionIds)) {
    return true;
  }
  return (
    !entry.roleDefinitionIds.includes(GLOBAL_ADMINISTRATOR_ROLE_ID) &&
    live.includes(GLOBAL_ADMINISTRATOR_ROLE_ID) &&
    sameRoleSet(
      live.filter((id) => id !== GLOBAL_ADMINISTRATOR_ROLE_ID),
      entry.roleDefinitionIds,
    )
  );
}

export function summarise(changes: readonly TemplateChange[]): Partial<Record<TemplateAction, number>> {
  const summary: Partial<Record<TemplateAction, number>> = {};
  for (const action of TEMPLATE_ACTIONS) {
    const n = changes.filter((c) => c.action === action).length;
    if (n > 0) {
      summary[action] = n;
    }
  }
  return summary;
}

/** A change's identity across plans: what it acts on, not what it says. */
export function changeKey(c: Pick<TemplateChange, 'action' | 'customerTenantId' | 'relationshipId' | 'groupId' | 'entry'>): string {
  return [c.action, c.customerTenantId, c.entry.toLowerCase(), c.relationshipId ?? '', c.groupId ?? ''].join('|');
}
