import type { ActionContext } from '../actions/actionTypes';
import { expiryBuckets, EXPIRY_BUCKETS, type ExpiryReason } from '../actions/expiryBuckets';
import type { Inventory, InventoryRelationship } from '../actions/inventory';
import { autoExtends } from '../actions/relationshipFacts';
import type { GdapApi } from '../graph/gdapApi';
import { scrubTokens } from '../actions/journal';
import { accessRows, groupName, type GroupDirectory } from '../insight/accessRows';
import { runDoctor } from '../insight/doctor';
import { accessImpact, type ImpactTarget } from '../insight/impact';
import { GLOBAL_ADMINISTRATOR_ROLE_ID, BUILT_IN_ROLES } from '../roles/roleCatalog';
import { PAGE_SIZE, parseToolInput, ToolInputError, type ReadToolName, type ToolInput } from './toolSpecs';

/*
 * The read-only tools' answers: compositions of the core queries (inventory, accessRows, expiryBuckets,
 * runDoctor, accessImpact) into compact JSON a model can quote — names first, ids alongside — paged when
 * long. No rule of their own: what a row means is what the query says.
 */

/** What the tools read from; the extension and `gdap mcp` each provide one. */
export interface ToolSource {
  /** The inventory with access assignments, read fresh for each call. */
  loadInventory(signal?: AbortSignal): Promise<Inventory>;
  /** Names of the security groups the inventory names, when the front end can read them. */
  groups?(inventory: Inventory, signal?: AbortSignal): Promise<GroupDirectory>;
  readonly graph: GdapApi;
  /** The action context of a confirmed change (its `origin` says who asked). */
  actionContext(signal?: AbortSignal): Promise<ActionContext>;
  /** Default: the system clock. */
  now?(): Date;
}

/** One tool answer: JSON text, never a token. */
export interface ToolAnswer {
  readonly text: string;
  /** The same answer as an object (the MCP server's structured content). */
  readonly data: Record<string, unknown>;
}

export function answer(data: Record<string, unknown>): ToolAnswer {
  // Everything in an answer comes from the inventory or the service's own texts; a token-shaped string
  // must never reach a model, whatever put it there.
  const text = scrubTokens(JSON.stringify(data));
  return { text, data: JSON.parse(text) as Record<string, unknown> };
}

/** One page of `rows`, with the counts and a note when there is more. */
export function paged<T>(rows: readonly T[], page: number | undefined): Record<string, unknown> {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = page ?? 1;
  if (current > pages) {
    throw new ToolInputError(`page ${current} does not exist: the answer has ${pages} page(s).`);
  }
  const slice = rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE);
  return {
    total: rows.length,
    page: current,
    pages,
    ...(pages > 1
      ? {
          note:
            current < pages
              ? `Paged: ${PAGE_SIZE} per page; this is page ${current} of ${pages}. Ask again with page ${current + 1} for more.`
              : `Paged: ${PAGE_SIZE} per page; this is the last page (${pages}).`,
        }
      : {}),
    items: slice,
  };
}

/** A group whose name the front end could not read (no group-read scope, or the setting is off). */
const NOT_RESOLVED = '(name not resolved)';
const lower = (s: string): string => s.toLowerCase();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const contains = (haystack: string | null | undefined, needle: string): boolean =>
  haystack !== null && haystack !== undefined && lower(haystack).includes(lower(needle));

/** A role name or template id the built-in catalog knows, as its template id; refused otherwise. */
export function roleIdOf(role: string): string {
  const wanted = lower(role.trim());
  if (GUID.test(wanted)) {
    return wanted;
  }
  const found = BUILT_IN_ROLES.find((r) => lower(r.name) === wanted);
  if (found === undefined) {
    throw new ToolInputError(
      `role "${role}" is neither the name nor the template id of a Microsoft Entra built-in role; use the exact name, e.g. "Helpdesk Administrator".`,
    );
  }
  return lower(found.id);
}

function roleNames(r: InventoryRelationship): string[] {
  return r.roles.map((x) => x.name);
}

interface Located {
  readonly relationship: InventoryRelationship;
  readonly customerTenantId: string | null;
  readonly customerName: string | null;
}

function allRelationships(inventory: Inventory): Located[] {
  return [
    ...inventory.customers.flatMap((c) =>
      c.relationships.map((relationship) => ({ relationship, customerTenantId: c.tenantId, customerName: c.displayName || c.tenantId })),
    ),
    ...inventory.pendingRelationships.map((relationship) => ({ relationship, customerTenantId: null, customerName: null })),
  ];
}

/** gdap_inventory: relationships whose own or customer name contains the query, with status and role filters. */
export function inventoryAnswer(inventory: Inventory, input: ToolInput<'gdap_inventory'>): ToolAnswer {
  const roleId = input.role !== undefined ? roleIdOf(input.role) : undefined;
  const query = input.query.trim();
  const rows = allRelationships(inventory)
    .filter(({ relationship: r, customerName }) => query === '' || contains(r.displayName, query) || contains(customerName, query))
    .filter(({ relationship: r }) => input.status === undefined || r.status === input.status)
    .filter(({ relationship: r }) => roleId === undefined || r.roles.some((x) => lower(x.roleDefinitionId) === roleId))
    .map(({ relationship: r, customerTenantId, customerName }) => ({
      customer: customerName ?? '(no customer yet: awaiting approval)',
      customerTenantId,
      relationship: r.displayName,
      relationshipId: r.id,
      status: r.status,
      endDateTime: r.endDateTime,
      autoExtends: autoExtends(r),
      roles: roleNames(r),
      accessAssignments: r.accessAssignments?.filter((a) => a.status === 'active').length ?? null,
    }));
  return answer({ generatedAt: inventory.generatedAt, source: inventory.source, relationships: paged(rows, input.page) });
}

function matchCustomers(inventory: Inventory, text: string | undefined): string[] | undefined {
  if (text === undefined || text.trim() === '') {
    return undefined;
  }
  const t = text.trim();
  const ids = inventory.customers.filter((c) => lower(c.tenantId) === lower(t) || contains(c.displayName, t)).map((c) => c.tenantId);
  if (ids.length === 0) {
    throw new ToolInputError(`No customer's name or tenant id matches "${t}"; gdap_inventory lists the customers.`);
  }
  return ids;
}

/** gdap_access: the access matrix's rows (active relationships' active assignments), filtered. */
export function accessAnswer(inventory: Inventory, groups: GroupDirectory, input: ToolInput<'gdap_access'>): ToolAnswer {
  const customers = matchCustomers(inventory, input.customer);
  const roles = input.role !== undefined ? [roleIdOf(input.role)] : undefined;
  const group = input.group?.trim();
  const rows = accessRows(inventory, { ...(customers ? { customers } : {}), ...(roles ? { roles } : {}) }, { groups })
    .filter((r) => group === undefined || group === '' || lower(r.groupId) === lower(group) || contains(r.groupName, group))
    .map((r) => ({
      customer: r.customerName,
      customerTenantId: r.customerTenantId,
      relationship: r.relationshipName,
      relationshipId: r.relationshipId,
      group: r.groupName ?? NOT_RESOLVED,
      groupId: r.groupId,
      role: r.roleName,
      roleDefinitionId: r.roleDefinitionId,
      privileged: r.privileged,
      endDateTime: r.endDateTime,
      autoExtends: r.autoExtends,
    }));
  const missing = inventory.assignmentErrors ?? [];
  return answer({
    generatedAt: inventory.generatedAt,
    rows: paged(rows, input.page),
    ...(missing.length > 0
      ? { warning: `The access assignments of ${missing.length} relationship(s) could not be read; their rows are missing.` }
      : {}),
  });
}

const REASON_TEXT: Record<ExpiryReason, string> = {
  noAutoExtend: 'auto-extend is off',
  globalAdministrator: 'Global Administrator is among its roles, which blocks auto-extend',
};

/** gdap_expiring: the expiry buckets with the reason each relationship will not extend by itself. */
export function expiringAnswer(inventory: Inventory, input: ToolInput<'gdap_expiring'>, now: Date): ToolAnswer {
  const located = new Map(allRelationships(inventory).map((l) => [l.relationship.id, l]));
  const buckets = expiryBuckets(
    [...located.values()].map((l) => l.relationship),
    now,
    input.days ?? 30,
  );
  const labels: Record<(typeof EXPIRY_BUCKETS)[number], string> = {
    '1': 'endsWithin1Day',
    '7': 'endsWithin7Days',
    '30': 'endsWithin30Days',
    ended30: 'endedInLast30Days',
  };
  const out: Record<string, unknown> = {};
  for (const bucket of EXPIRY_BUCKETS) {
    out[labels[bucket]] = buckets[bucket].map((e) => ({
      customer: located.get(e.id)?.customerName ?? null,
      customerTenantId: located.get(e.id)?.customerTenantId ?? null,
      relationship: e.displayName,
      relationshipId: e.id,
      status: e.status,
      endDateTime: e.endDateTime,
      daysUntilEnd: e.daysUntilEnd,
      reason: e.reason,
      reasonText: REASON_TEXT[e.reason],
    }));
  }
  return answer({ generatedAt: inventory.generatedAt, days: input.days ?? 30, buckets: out });
}

/** gdap_check: the doctor's findings (Partner Center is not read here: its two checks are said to be skipped). */
export function checkAnswer(inventory: Inventory, groups: GroupDirectory, input: ToolInput<'gdap_check'>, now: Date): ToolAnswer {
  const customers = matchCustomers(inventory, input.customer);
  const names = new Map(inventory.customers.map((c) => [lower(c.tenantId), c.displayName || c.tenantId]));
  const findings = runDoctor({ inventory, now, groups })
    .filter((f) => input.severity === undefined || f.severity === input.severity)
    .filter(
      (f) =>
        customers === undefined || (f.customerTenantId !== null && customers.some((c) => lower(c) === lower(f.customerTenantId ?? ''))),
    )
    .map((f) => ({
      severity: f.severity,
      code: f.code,
      customer: f.customerTenantId === null ? null : (names.get(lower(f.customerTenantId)) ?? f.customerTenantId),
      customerTenantId: f.customerTenantId,
      relationshipId: f.relationshipId,
      message: f.message,
    }));
  return answer({
    generatedAt: inventory.generatedAt,
    findings: paged(findings, input.page),
    skipped: 'The checks that need Partner Center (noGdap, dapStillOn) are not run here; `gdap check` runs them.',
  });
}

/** The relationship of each id, or a refusal naming the ids the inventory does not hold. */
export function requireRelationships(inventory: Inventory, ids: readonly string[]): Located[] {
  const byId = new Map(allRelationships(inventory).map((l) => [lower(l.relationship.id), l]));
  const unknown = ids.filter((id) => !byId.has(lower(id)));
  if (unknown.length > 0) {
    throw new ToolInputError(
      `Not in the inventory: ${unknown.join(', ')}. Take relationship ids from gdap_inventory; nothing was read or sent for them.`,
    );
  }
  return ids.map((id) => byId.get(lower(id)) as Located);
}

/** The assignment under its relationship, or a refusal. */
export function requireAssignment(inventory: Inventory, relationshipId: string, assignmentId: string): Located {
  const [located] = requireRelationships(inventory, [relationshipId]);
  const found = located.relationship.accessAssignments?.some((a) => lower(a.id) === lower(assignmentId)) === true;
  if (!found) {
    throw new ToolInputError(
      `The relationship "${located.relationship.displayName}" (${located.relationship.id}) has no access assignment ${assignmentId}; gdap_access lists the groups and gdap_inventory the relationships.`,
    );
  }
  return located;
}

/** gdap_impact: what a terminate / remove-assignment / remove-GA would take away, per customer. */
export function impactAnswer(inventory: Inventory, groups: GroupDirectory, input: ToolInput<'gdap_impact'>): ToolAnswer {
  let targets: ImpactTarget[];
  if (input.action === 'removeAssignment') {
    const relationshipId = input.relationshipIds[0];
    const assignmentId = input.assignmentId as string;
    requireAssignment(inventory, relationshipId, assignmentId);
    targets = [{ kind: 'removeAssignment', relationshipId, assignmentId }];
  } else {
    requireRelationships(inventory, input.relationshipIds);
    targets = input.relationshipIds.map((relationshipId): ImpactTarget =>
      input.action === 'terminate'
        ? { kind: 'terminateRelationship', relationshipId }
        : { kind: 'removeRelationshipRoles', relationshipId, roleDefinitionIds: [GLOBAL_ADMINISTRATOR_ROLE_ID] },
    );
  }
  const impact = accessImpact(inventory, targets, { groups }).map((c) => ({
    customer: c.customerName,
    customerTenantId: c.customerTenantId,
    lost: c.lost.map((l) => ({ group: l.groupName ?? groupName(l.groupId, groups) ?? NOT_RESOLVED, groupId: l.groupId, role: l.roleName })),
    keptThrough: c.keptThrough.map((k) => ({
      group: k.groupName ?? NOT_RESOLVED,
      groupId: k.groupId,
      role: k.roleName,
      relationship: k.relationshipName,
      relationshipId: k.relationshipId,
    })),
  }));
  return answer({
    action: input.action,
    relationshipIds: input.relationshipIds,
    impact,
    ...(impact.length === 0 ? { note: 'These targets grant no active access now, so nothing would be lost.' } : {}),
    changed: 'Nothing; this only weighs the change.',
  });
}

/**
 * Plans a template file of the workspace. The template planner lives elsewhere in core; the front ends
 * hand in this small interface when they have it, and gdap_plan_template says so when they do not.
 */
export interface TemplatePlanner {
  /** The plan for one template (a path the front end resolves and confines to its folder) against the inventory. */
  plan(template: string, inventory: Inventory, signal?: AbortSignal): Promise<Record<string, unknown>>;
}

/** Runs one read-only tool: validated input, a fresh inventory, one core query. */
export async function runReadTool(
  name: ReadToolName,
  input: unknown,
  source: ToolSource,
  signal?: AbortSignal,
  templates?: TemplatePlanner,
): Promise<ToolAnswer> {
  const now = source.now?.() ?? new Date();
  const groupsOf = async (inventory: Inventory): Promise<GroupDirectory> =>
    source.groups !== undefined ? await source.groups(inventory, signal) : {};
  switch (name) {
    case 'gdap_inventory': {
      const parsed = parseToolInput(name, input);
      return inventoryAnswer(await source.loadInventory(signal), parsed);
    }
    case 'gdap_access': {
      const parsed = parseToolInput(name, input);
      const inventory = await source.loadInventory(signal);
      return accessAnswer(inventory, await groupsOf(inventory), parsed);
    }
    case 'gdap_expiring': {
      const parsed = parseToolInput(name, input);
      return expiringAnswer(await source.loadInventory(signal), parsed, now);
    }
    case 'gdap_check': {
      const parsed = parseToolInput(name, input);
      const inventory = await source.loadInventory(signal);
      return checkAnswer(inventory, await groupsOf(inventory), parsed, now);
    }
    case 'gdap_impact': {
      const parsed = parseToolInput(name, input);
      const inventory = await source.loadInventory(signal);
      return impactAnswer(inventory, await groupsOf(inventory), parsed);
    }
    case 'gdap_plan_template': {
      const parsed = parseToolInput(name, input);
      if (templates === undefined) {
        throw new ToolInputError('Template plans are not available in this version of GDAP Explorer; nothing was read.');
      }
      const inventory = await source.loadInventory(signal);
      return answer({ template: parsed.template, plan: await templates.plan(parsed.template, inventory, signal) });
    }
  }
}
