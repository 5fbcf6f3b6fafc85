import * as path from 'node:path';
import { FilePlannedAssignmentStore } from '../../core/actions/plannedAssignments';
import { applyTemplate, readTemplateState, type TemplateApplyItem } from '../../core/templates/applyTemplate';
import { planTemplate, type TemplatePlan } from '../../core/templates/planner';
import { applyResultJson, changeLine, summaryText } from '../../core/templates/planOutput';
import type { GlobalOptions, TerminalFacts } from '../args';
import { confirmOnTerminal, requireConfirmationPossible } from '../confirm';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { terminalSafe } from '../table';
import { loadTemplateFile, templateFileArgument, textOrJson, writePlan } from './plan';

/*
 * `gdap apply FILE`: re-read, re-plan, confirm, then run every change as a target of its strategy on the
 * mutation pipeline (docs/templates.md). A change that differs from what was confirmed is reported, not
 * applied; a second apply right after a successful one finds nothing to change.
 */

export interface ApplyCommand {
  readonly command: 'apply';
  readonly global: GlobalOptions;
  readonly file: string;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly format: 'json' | 'text';
}

export const APPLY_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
} as const;

export const APPLY_HELP = `Usage: gdap apply FILE [--yes] [--dry-run] [--format json|text]

Makes the live GDAP state match a template (*.gdap.json): reads everything once, plans (as "gdap plan"),
asks for confirmation on the terminal, then applies: creates relationships (locked for approval, their
assignments planned until the customer approves), removes Global Administrator, turns auto-extend on or
off, changes assignment roles, assigns groups, and removes unlisted assignments of "exclusive" entries.
Each change is journalled and reconciled by reading like every other change; a change whose target
moved since the plan is reported and not applied.

Output (json): {"results": [{"action", "customerTenantId", "relationshipId", "groupId", "outcome",
"status", "error"}]}. Exit 0 when every change is done, 1 when one failed or could not be made.

  -y, --yes              Do not ask for confirmation (required without a terminal)
  --dry-run              Print the plan (as "gdap plan --format json") and change nothing
  --format json|text     Results as JSON (default when piped) or one line per change
`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export function parseApply(positionals: readonly string[], values: Values, global: GlobalOptions, terminal: TerminalFacts): ApplyCommand {
  return {
    command: 'apply',
    global,
    file: templateFileArgument('apply', positionals),
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    format: values['dry-run'] === true && values.format === undefined ? 'json' : textOrJson(values.format, terminal),
  };
}

function writeResults(ctx: CommandContext, items: readonly TemplateApplyItem[], format: 'json' | 'text'): void {
  if (format === 'json') {
    ctx.io.stdout.write(`${JSON.stringify({ results: items.map(applyResultJson) }, null, 2)}\n`);
    return;
  }
  const mark = (o: TemplateApplyItem['outcome']): string => (o === 'done' || o === 'alreadyDone' ? '✓' : o === 'failed' ? '✗' : '–');
  const lines = items.map(
    (i) => `${mark(i.outcome)} ${i.outcome} ${terminalSafe(changeLine(i.change))}${i.error !== null ? ` (${terminalSafe(i.error)})` : ''}`,
  );
  ctx.io.stdout.write(lines.length === 0 ? 'No changes: the live state matches the template.\n' : `${lines.join('\n')}\n`);
}

async function confirm(ctx: CommandContext, plan: TemplatePlan): Promise<boolean> {
  const acting = plan.changes.filter((c) => c.reason === null);
  const summary = [
    `Apply ${acting.length} change(s)${ctx.endpoints.emulator !== undefined ? ' in the emulator' : ''}: ${summaryText(plan.summary)}`,
    ...plan.changes.map((c) => `  ${c.reason === null ? '*' : '-'} ${terminalSafe(changeLine(c))}`),
  ].join('\n');
  return confirmOnTerminal(ctx.io, summary, `Apply ${acting.length} change(s)?`);
}

export async function runApply(ctx: CommandContext, parsed: ApplyCommand): Promise<ExitCode> {
  requireConfirmationPossible(ctx.io, parsed.yes, parsed.dryRun, 'apply a template');
  const template = await loadTemplateFile(ctx.io, parsed.file, parsed.format);
  const actionCtx = await ctx.actionContext('graph', (r) =>
    ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`),
  );
  let confirmed: TemplatePlan | undefined;
  if (parsed.dryRun || !parsed.yes) {
    confirmed = planTemplate(template, await readTemplateState(ctx.clients.graph, { signal: ctx.io.signal }));
    if (parsed.dryRun) {
      writePlan(ctx.io, confirmed, parsed.format);
      return EXIT_OK;
    }
    if (confirmed.changes.some((c) => c.reason === null) && !(await confirm(ctx, confirmed))) {
      ctx.io.stderr.write('gdap: cancelled; nothing was changed.\n');
      return EXIT_USAGE;
    }
  }
  const report = await applyTemplate(actionCtx, template, {
    // The same file as "gdap create --assign" and "gdap renew" use, so "gdap grant-planned" grants them.
    store: new FilePlannedAssignmentStore(path.join(path.dirname(ctx.journalPath), 'planned-assignments.json')),
    ...(confirmed !== undefined ? { confirmed } : {}),
    onPhase: (action, count) => ctx.progress(`apply: ${action} ${count}`),
  });
  writeResults(ctx, report.items, parsed.format);
  const notDone = report.items.filter((i) => i.outcome !== 'done' && i.outcome !== 'alreadyDone');
  if (notDone.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: ${notDone.length} of ${report.items.length} change(s) not done (first: ${notDone[0].change.action} ${notDone[0].change.customerTenantId}: ${terminalSafe(notDone[0].error ?? notDone[0].outcome)})\n`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
