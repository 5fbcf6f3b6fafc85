import { hasErrors, runDoctor, type DoctorPartnerCenterCustomer, type Finding } from '../../core/insight/doctor';
import type { Inventory } from '../../core/actions/inventory';
import { redact } from '../../core/http/redact';
import { readDoctorCustomers } from '../../core/insight/partnerCenterCustomers';
import type { GlobalOptions, OutputFormat, TerminalFacts } from '../args';
import { toCsv } from '../csv';
import { EXIT_FINDINGS, EXIT_OK, type ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { renderTable, type TableColumn } from '../table';
import { UsageError } from '../usageError';
import { loadWithGroups, readFormat, readLiveRoles } from './access';

export interface CheckCommand {
  readonly command: 'check';
  readonly global: GlobalOptions;
  readonly partnerCenter: boolean;
  readonly liveRoles: boolean;
  readonly format: OutputFormat;
}

export const CHECK_OPTIONS = {
  'no-partner-center': { type: 'boolean' },
  'live-roles': { type: 'boolean' },
  format: { type: 'string' },
} as const;

export const CHECK_HELP = `Usage: gdap check [--no-partner-center] [--live-roles] [--format table|json|csv]

The access doctor: checks every relationship and access assignment and says what to do about each
finding (ending without auto-extend, Global Administrator blocking auto-extend, relationships that give
no group any role, assignments in error or to deleted groups, ageing and lapsing invitations, duplicate
relationships, unused privileged roles, unknown roles, legacy DAP still on, Partner Center customers
without GDAP). Exit 4 when a finding has severity error, 0 otherwise.

  --no-partner-center    Do not read Partner Center (skips the noGdap and dapStillOn checks)
  --live-roles           Name roles and their privilege from the partner directory (needs
                         RoleManagement.Read.Directory); without it, from the built-in list
  --format FORMAT        table, json or csv (default: table on a terminal, json otherwise)
`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function parseCheck(positionals: readonly string[], values: Values, global: GlobalOptions, terminal: TerminalFacts): CheckCommand {
  if (positionals.length > 0) {
    throw new UsageError(`"gdap check" takes no arguments (got "${positionals[0]}").`);
  }
  return {
    command: 'check',
    global,
    partnerCenter: values['no-partner-center'] !== true,
    liveRoles: values['live-roles'] === true,
    format: readFormat(typeof values.format === 'string' ? values.format : undefined, terminal),
  };
}

/** Partner Center requests in flight at once for the DAP state (one GET per customer GDAP covers). */

/**
 * The Partner Center customer list, and the DAP state of the customers GDAP serves (the list does not carry
 * it, docs/api-notes.md §8.3). undefined when Partner Center cannot be read: the two checks that need it are
 * skipped and the user is told, the rest still run.
 */
async function readPartnerCenter(ctx: CommandContext, inventory: Inventory): Promise<DoctorPartnerCenterCustomer[] | undefined> {
  try {
    await ctx.auth.tokens.getToken('partnerCenter', { signal: ctx.io.signal });
    return await readDoctorCustomers(ctx.clients.partnerCenter, inventory, ctx.io.signal);
  } catch (e) {
    const message = redact(e instanceof Error ? e.message : String(e)).split('\n')[0];
    ctx.io.stderr.write(
      `gdap: notice: Partner Center could not be read (${message}); the noGdap and dapStillOn checks were skipped. Sign in for Partner Center, or pass --no-partner-center.\n`,
    );
    return undefined;
  }
}

const CSV_COLUMNS = ['code', 'severity', 'customerTenantId', 'relationshipId', 'message'] as const;

export function findingsToCsv(findings: readonly Finding[]): string {
  return toCsv(
    CSV_COLUMNS,
    findings.map((f) => CSV_COLUMNS.map((c) => f[c])),
  );
}

export function findingsToTable(
  findings: readonly Finding[],
  customerNames: ReadonlyMap<string, string>,
  width: number | undefined,
): string {
  if (findings.length === 0) {
    return 'No findings.\n';
  }
  const columns: TableColumn<Finding>[] = [
    { header: 'SEVERITY', value: (f) => f.severity, minWidth: 7 },
    { header: 'CODE', value: (f) => f.code, minWidth: 10 },
    {
      header: 'CUSTOMER',
      value: (f) => (f.customerTenantId === null ? '' : (customerNames.get(f.customerTenantId.toLowerCase()) ?? f.customerTenantId)),
      minWidth: 12,
    },
    { header: 'MESSAGE', value: (f) => f.message, minWidth: 30 },
  ];
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  return `${renderTable(columns, findings, { width })}${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info\n`;
}

export async function runCheck(ctx: CommandContext, parsed: CheckCommand): Promise<ExitCode> {
  const { inventory, groups } = await loadWithGroups(ctx);
  const partnerCenterCustomers = parsed.partnerCenter ? await readPartnerCenter(ctx, inventory) : undefined;
  const live = await readLiveRoles(ctx, parsed.liveRoles);
  const findings = runDoctor({
    inventory,
    now: new Date(),
    groups,
    ...(live !== undefined ? { roles: live } : {}),
    ...(partnerCenterCustomers !== undefined ? { partnerCenterCustomers } : {}),
  });
  const names = new Map(inventory.customers.map((c) => [c.tenantId.toLowerCase(), c.displayName || c.tenantId]));
  for (const c of partnerCenterCustomers ?? []) {
    if (!names.has(c.tenantId.toLowerCase()) && c.companyName !== null) {
      names.set(c.tenantId.toLowerCase(), c.companyName);
    }
  }
  switch (parsed.format) {
    case 'csv':
      ctx.io.stdout.write(findingsToCsv(findings));
      break;
    case 'table':
      ctx.io.stdout.write(findingsToTable(findings, names, ctx.io.stdoutColumns));
      break;
    default:
      ctx.io.stdout.write(
        `${JSON.stringify(
          {
            findings: findings.map((f) => ({
              code: f.code,
              severity: f.severity,
              customerTenantId: f.customerTenantId,
              relationshipId: f.relationshipId,
              message: f.message,
            })),
          },
          null,
          2,
        )}\n`,
      );
  }
  for (const e of inventory.assignmentErrors ?? []) {
    ctx.io.stderr.write(
      `gdap: notice: the access assignments of ${e.relationshipId} could not be loaded; its assignment checks were skipped.\n`,
    );
  }
  return hasErrors(findings) ? EXIT_FINDINGS : EXIT_OK;
}
