import { loadInventory, type Inventory } from '../../core/actions/inventory';
import { RoleDefinitionsClient } from '../../core/graph/roleDefinitionsClient';
import { redact } from '../../core/http/redact';
import { createHttpTransport } from '../../core/http/transport';
import type { LiveRoleCatalog } from '../../core/roles/roleLookup';
import { accessRows, assignmentGroupIds, type AccessRow, type GroupDirectory } from '../../core/insight/accessRows';
import { BUILT_IN_ROLES } from '../../core/roles/roleCatalog';
import { isGuid, type GlobalOptions, type OutputFormat, type TerminalFacts } from '../args';
import { toCsv } from '../csv';
import { EXIT_FAILED, EXIT_OK, type ExitCode } from '../exitCodes';
import { tableDate } from '../inventoryOutput';
import type { CommandContext } from '../run';
import { renderTable, type TableColumn } from '../table';
import { UsageError } from '../usageError';
import { ACCESS_EXPORT_COLUMNS } from '../../core/insight/accessExport';

export interface AccessCommand {
  readonly command: 'access';
  readonly global: GlobalOptions;
  readonly customers: readonly string[];
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly liveRoles: boolean;
  readonly format: OutputFormat;
}

export const ACCESS_OPTIONS = {
  customer: { type: 'string', multiple: true },
  group: { type: 'string', multiple: true },
  role: { type: 'string', multiple: true },
  'live-roles': { type: 'boolean' },
  format: { type: 'string' },
} as const;

export const ACCESS_HELP = `Usage: gdap access [--customer TENANT_ID]... [--group GROUP_ID]... [--role ROLE]... [--live-roles] [--format table|json|csv]

Who can do what: one row per customer, relationship, security group and role, from the active access
assignments of active relationships.

  --customer TENANT_ID   Only this customer (repeat for more)
  --group GROUP_ID       Only this security group (repeat for more)
  --role ROLE            Only this role: a template id or a name, e.g. "Helpdesk Administrator"
                         (repeat for more)
  --live-roles           Name roles from the partner directory (needs RoleManagement.Read.Directory);
                         without it, from the built-in list
  --format FORMAT        table, json or csv (default: table on a terminal, json otherwise)
`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function strings(values: Values, key: string): string[] {
  const v = values[key];
  if (v === undefined) {
    return [];
  }
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

/** The read commands' format, as `inventory` chooses it: table on a terminal, JSON when piped. */
export function readFormat(value: string | undefined, terminal: TerminalFacts): OutputFormat {
  if (value === undefined) {
    return terminal.stdoutIsTTY === true ? 'table' : 'json';
  }
  if (value === 'json' || value === 'csv' || value === 'table') {
    return value;
  }
  throw new UsageError(`--format must be json or csv (for scripts) or table (got "${value}").`);
}

const roleNames = new Set(BUILT_IN_ROLES.map((r) => r.name.toLowerCase()));

export function parseAccess(positionals: readonly string[], values: Values, global: GlobalOptions, terminal: TerminalFacts): AccessCommand {
  if (positionals.length > 0) {
    throw new UsageError(`"gdap access" takes no arguments (got "${positionals[0]}").`);
  }
  const customers = strings(values, 'customer');
  for (const c of customers) {
    if (!isGuid(c)) {
      throw new UsageError(`--customer must be a customer tenant id (GUID) (got "${c}").`);
    }
  }
  const groups = strings(values, 'group');
  for (const g of groups) {
    if (!isGuid(g)) {
      throw new UsageError(`--group must be a security group id (GUID) (got "${g}").`);
    }
  }
  const roles = strings(values, 'role').map((r) => r.trim());
  for (const r of roles) {
    // A name must be one the catalog knows, or the filter would silently match nothing.
    if (!isGuid(r) && !roleNames.has(r.toLowerCase())) {
      throw new UsageError(`--role "${r}" is neither a role template id (GUID) nor the name of a Microsoft Entra built-in role.`);
    }
  }
  return {
    command: 'access',
    global,
    customers: customers.map((c) => c.toLowerCase()),
    groups: groups.map((g) => g.toLowerCase()),
    roles,
    liveRoles: values['live-roles'] === true,
    format: readFormat(typeof values.format === 'string' ? values.format : undefined, terminal),
  };
}

/**
 * The inventory with assignments, and what the directory says about the groups they name: names, and
 * which groups are gone (404). Names are a convenience: without a group-read scope they stay unresolved.
 */
export async function loadWithGroups(
  ctx: CommandContext,
  customerTenantId?: string,
): Promise<{ inventory: Inventory; groups: GroupDirectory }> {
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const inventory = await loadInventory(ctx.clients.graph, {
    includeAssignments: true,
    ...(customerTenantId !== undefined ? { customerTenantId } : {}),
    signal: ctx.io.signal,
    source: ctx.endpoints.emulator !== undefined ? 'emulator' : `graph:${ctx.endpoints.cloud}`,
    onProgress: (p) => ctx.progress(`inventory: ${p.phase} ${p.loaded}${p.total !== undefined ? `/${p.total}` : ''}`),
  });
  const ids = assignmentGroupIds(inventory);
  const notFound = new Set<string>();
  let names: Map<string, string> | undefined;
  if (ids.length > 0 && ctx.clients.graph.getGroupNames !== undefined) {
    names = await ctx.clients.graph.getGroupNames(ids, {
      signal: ctx.io.signal,
      onUnresolved: (id, error) => {
        if (error.kind === 'notFound') {
          notFound.add(id);
        }
      },
    });
  }
  return { inventory, groups: { ...(names !== undefined ? { names } : {}), ...(names !== undefined ? { notFound } : {}) } };
}

/**
 * The live role catalog when asked for (--live-roles); undefined, with a notice, when it cannot be read,
 * e.g. without the RoleManagement.Read.Directory consent: the built-in list then names the roles.
 */
export async function readLiveRoles(ctx: CommandContext, wanted: boolean): Promise<LiveRoleCatalog | undefined> {
  if (!wanted) {
    return undefined;
  }
  const transport = createHttpTransport({ endpoints: ctx.endpoints });
  try {
    return await new RoleDefinitionsClient({ endpoints: ctx.endpoints, tokens: ctx.auth.tokens, transport }).catalog({
      signal: ctx.io.signal,
    });
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e)).split('\n')[0];
    ctx.io.stderr.write(`gdap: notice: the live role catalog could not be read (${message}); roles are named from the built-in list.\n`);
    return undefined;
  } finally {
    transport.close();
  }
}

/** The CSV columns: the same as the extension's export (docs/access.md). */
export const ACCESS_CSV_COLUMNS = ACCESS_EXPORT_COLUMNS;

function privilegedText(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

export function accessToCsv(rows: readonly AccessRow[]): string {
  return toCsv(
    ACCESS_CSV_COLUMNS,
    rows.map((r) => ACCESS_CSV_COLUMNS.map((c) => (c === 'privileged' ? (r.privileged === null ? 'unknown' : r.privileged) : r[c]))),
  );
}

export const ACCESS_COLUMNS: readonly TableColumn<AccessRow>[] = [
  { header: 'CUSTOMER', value: (r) => r.customerName, minWidth: 12 },
  { header: 'RELATIONSHIP', value: (r) => r.relationshipName, minWidth: 14 },
  { header: 'GROUP', value: (r) => r.groupName ?? r.groupId, minWidth: 13 },
  { header: 'ROLE', value: (r) => r.roleName, minWidth: 14 },
  { header: 'PRIVILEGED', value: (r) => privilegedText(r.privileged), minWidth: 7 },
  { header: 'ENDS', value: (r) => tableDate(r.endDateTime), minWidth: 10 },
  { header: 'EXTENDS', value: (r) => (r.autoExtends ? 'yes' : 'no'), minWidth: 7 },
];

export function accessToTable(rows: readonly AccessRow[], width: number | undefined): string {
  if (rows.length === 0) {
    return 'No access matches.\n';
  }
  return `${renderTable(ACCESS_COLUMNS, rows, { width })}${rows.length} row${rows.length === 1 ? '' : 's'}\n`;
}

export async function runAccess(ctx: CommandContext, parsed: AccessCommand): Promise<ExitCode> {
  // One customer: the relationship read is filtered at the service; more: filtered here.
  const only = parsed.customers.length === 1 ? parsed.customers[0] : undefined;
  const { inventory, groups } = await loadWithGroups(ctx, only);
  const live = await readLiveRoles(ctx, parsed.liveRoles);
  const rows = accessRows(
    inventory,
    { customers: parsed.customers, groups: parsed.groups, roles: parsed.roles },
    { groups, ...(live !== undefined ? { roles: live } : {}) },
  );
  switch (parsed.format) {
    case 'csv':
      ctx.io.stdout.write(accessToCsv(rows));
      break;
    case 'table':
      ctx.io.stdout.write(accessToTable(rows, ctx.io.stdoutColumns));
      break;
    default:
      ctx.io.stdout.write(`${JSON.stringify({ generatedAt: inventory.generatedAt, source: inventory.source, rows }, null, 2)}\n`);
  }
  const errors = inventory.assignmentErrors ?? [];
  if (errors.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: the access assignments of ${errors.length} relationship(s) could not be loaded, so their rows are missing (first: ${errors[0].relationshipId})\n`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
