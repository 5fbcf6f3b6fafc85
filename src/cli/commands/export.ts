import { readTemplateState } from '../../core/templates/applyTemplate';
import { exportTemplate } from '../../core/templates/exportTemplate';
import type { GlobalOptions } from '../args';
import { EXIT_OK, type ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { UsageError } from '../usageError';

/*
 * `gdap export`: a template (on stdout) that reproduces the selected active relationships and their
 * assignments, so planning it right away finds nothing to change (docs/templates.md).
 */

export interface ExportCommand {
  readonly command: 'export';
  readonly global: GlobalOptions;
  readonly customers: readonly string[];
  readonly relationships: readonly string[];
}

export const EXPORT_OPTIONS = {
  customer: { type: 'string', multiple: true },
  relationship: { type: 'string', multiple: true },
} as const;

export const EXPORT_HELP = `Usage: gdap export [--customer TENANT_ID]... [--relationship ID]...

Writes a GDAP template (*.gdap.json) on stdout that reproduces the active relationships of the given
customers, or the given relationships (all active relationships when neither is given): names, roles,
duration, auto-extend and access assignments. Customers whose relationships export alike share an entry.

  --customer TENANT_ID   A customer's active relationships (repeatable)
  --relationship ID      One relationship (repeatable)
`;

// Local patterns: args.ts imports this module's options at load time, so this module imports no values from it.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isGuid = (v: string): boolean => GUID.test(v);
/** A GUID, or two GUIDs joined by "-" (docs/api-notes.md §2.1). */
const isRelationshipId = (v: string): boolean =>
  GUID.test(v) || (v.length === 73 && GUID.test(v.slice(0, 36)) && v[36] === '-' && GUID.test(v.slice(37)));

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function strings(value: Values[string]): string[] {
  return value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(String);
}

export function parseExport(positionals: readonly string[], values: Values, global: GlobalOptions): ExportCommand {
  if (positionals.length > 0) {
    throw new UsageError(`"gdap export" takes no arguments (got "${positionals[0]}"); use --customer or --relationship.`);
  }
  const customers = strings(values.customer);
  const relationships = strings(values.relationship);
  for (const c of customers) {
    if (!isGuid(c)) {
      throw new UsageError(`--customer must be a customer tenant id (GUID) (got "${c}").`);
    }
  }
  for (const r of relationships) {
    if (!isRelationshipId(r)) {
      throw new UsageError(`"${r}" is not a relationship id (a GUID, or two GUIDs joined by "-").`);
    }
  }
  return { command: 'export', global, customers, relationships };
}

export async function runExport(ctx: CommandContext, parsed: ExportCommand): Promise<ExitCode> {
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const inventory = await readTemplateState(ctx.clients.graph, { signal: ctx.io.signal });
  const file = exportTemplate(inventory, { customers: parsed.customers, relationships: parsed.relationships });
  ctx.io.stdout.write(`${JSON.stringify(file, null, 2)}\n`);
  if (file.relationships.length === 0) {
    ctx.progress('export: no active relationship matched; the template is empty.');
  }
  return EXIT_OK;
}
