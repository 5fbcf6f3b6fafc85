import { readFile } from 'node:fs/promises';
import { readTemplateState } from '../../core/templates/applyTemplate';
import { planTemplate, type TemplatePlan } from '../../core/templates/planner';
import { changeLine, planJson, summaryText } from '../../core/templates/planOutput';
import { parseTemplate, type GdapTemplate } from '../../core/templates/templateModel';
import type { GlobalOptions, TerminalFacts } from '../args';
import type { CliIo } from '../cliIo';
import { EXIT_FINDINGS, EXIT_OK, type ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { terminalSafe } from '../table';
import { UsageError } from '../usageError';

/*
 * `gdap plan FILE`: the `terraform plan` of a GDAP template (docs/templates.md). One inventory read, no
 * change sent; exit 0 when nothing is to change, 4 when something is, 2 on an invalid file.
 */

export interface PlanCommand {
  readonly command: 'plan';
  readonly global: GlobalOptions;
  readonly file: string;
  readonly format: 'json' | 'text';
}

export const PLAN_OPTIONS = { format: { type: 'string' } } as const;

export const PLAN_HELP = `Usage: gdap plan FILE [--format json|text]

Compares a GDAP template (*.gdap.json) with the live relationships and access assignments and prints
the changes that "gdap apply" would make. Sends no change. One read of the inventory, whatever the
number of customers.

Output (json): {"changes": [{"action", "customerTenantId", "relationshipId", "groupId", "before",
"after", "reason"}], "summary": {action: count}, "drift": [...], "waiting": [...]}. A change with a
"reason" cannot be made (e.g. a customer that is not yours). "drift": assignments the template does not
list, left in place unless the entry is "exclusive". "waiting": relationships awaiting approval.

Exit codes: 0 nothing to change, 4 changes to make, 2 invalid file (every problem with its JSON path),
1 failure.

  --format json|text     JSON (default when piped) or one line per change (default on a terminal)
`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function textOrJson(value: string | boolean | (string | boolean)[] | undefined, terminal: TerminalFacts): 'json' | 'text' {
  if (value === undefined) {
    return terminal.stdoutIsTTY === true ? 'text' : 'json';
  }
  if (value === 'json' || value === 'text') {
    return value;
  }
  throw new UsageError(`--format must be json or text (got "${String(value)}").`);
}

export function templateFileArgument(command: string, positionals: readonly string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(`Name one template file: gdap ${command} FILE (e.g. customers.gdap.json).`);
  }
  return positionals[0];
}

export function parsePlan(positionals: readonly string[], values: Values, global: GlobalOptions, terminal: TerminalFacts): PlanCommand {
  return { command: 'plan', global, file: templateFileArgument('plan', positionals), format: textOrJson(values.format, terminal) };
}

/**
 * Reads and validates a template file. An unreadable or invalid file lists every problem (file, JSON path,
 * message) on stderr — and as JSON on stdout for `json` — and throws a UsageError (exit 2).
 */
export async function loadTemplateFile(io: CliIo, file: string, format: 'json' | 'text'): Promise<GdapTemplate> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the template "${file}" (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const parsed = parseTemplate(text);
  if (parsed.ok) {
    return parsed.template;
  }
  for (const p of parsed.problems) {
    io.stderr.write(`gdap: ${file}: ${p.path}: ${terminalSafe(p.message)}\n`);
  }
  if (format === 'json') {
    io.stdout.write(
      `${JSON.stringify({ problems: parsed.problems.map((p) => ({ path: p.path, code: p.code, message: p.message })) }, null, 2)}\n`,
    );
  }
  throw new UsageError(`The template "${file}" has ${parsed.problems.length} problem(s); nothing was read or changed.`);
}

export function writePlan(io: CliIo, plan: TemplatePlan, format: 'json' | 'text'): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(planJson(plan), null, 2)}\n`);
    return;
  }
  const lines = plan.changes.map(
    (c) =>
      `  ${c.reason !== null ? '!' : c.action === 'unassign' ? '-' : c.action === 'create' || c.action === 'assign' ? '+' : '~'} ${terminalSafe(changeLine(c))}`,
  );
  const head =
    plan.changes.length === 0
      ? 'No changes: the live state matches the template.'
      : `${plan.changes.length} change(s): ${summaryText(plan.summary)}${plan.blocked > 0 ? `; ${plan.blocked} cannot be made` : ''}.`;
  const drift = plan.drift.map(
    (d) => `  ? [${d.entry}] ${d.customerTenantId}: group ${d.groupId} (${d.roles.join(', ')}) on ${d.relationshipId} — ${d.message}`,
  );
  const waiting = plan.waiting.map(
    (w) => `  … [${w.entry}] ${w.customerTenantId}: "${terminalSafe(w.name)}" ${w.relationshipId} is ${w.status}`,
  );
  io.stdout.write(
    [
      head,
      ...lines,
      ...(drift.length > 0 ? ['Drift (left in place):', ...drift] : []),
      ...(waiting.length > 0 ? ['Waiting for approval:', ...waiting] : []),
      '',
    ].join('\n'),
  );
}

export async function runPlan(ctx: CommandContext, parsed: PlanCommand): Promise<ExitCode> {
  // The file is checked before signing in: an invalid one costs no request.
  const template = await loadTemplateFile(ctx.io, parsed.file, parsed.format);
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const inventory = await readTemplateState(ctx.clients.graph, { signal: ctx.io.signal });
  const plan = planTemplate(template, inventory);
  writePlan(ctx.io, plan, parsed.format);
  return plan.changes.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
