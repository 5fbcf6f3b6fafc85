import {
  removeGlobalAdministratorStrategy,
  type RemoveGlobalAdministratorPlanItem,
} from '../../core/actions/strategies/removeGlobalAdministrator';
import type { GlobalOptions, TerminalFacts } from '../args';
import type { ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import {
  MUTATION_OPTIONS_HELP,
  parseWaitingRelationshipsCommand,
  relationshipLine,
  requireConfirmation,
  runStrategyCommand,
  WAITING_MUTATION_OPTIONS,
  type OptionValues,
  type WaitingRelationshipsCommand,
} from './strategyCommand';

export type RemoveGaCommand = WaitingRelationshipsCommand<'remove-ga'>;

export const REMOVE_GA_OPTIONS = WAITING_MUTATION_OPTIONS;

export const REMOVE_GA_HELP = `Usage: gdap remove-ga <relationshipId>... [--yes] [--dry-run] [--no-wait] [--timeout SECONDS] [--format json|table]

Removes Global Administrator from active relationships (the service runs it as an operation, which is
followed to its end). The plan names every access assignment that grants Global Administrator and what
happens to it. Relationships without it are never touched.

${MUTATION_OPTIONS_HELP}
  --no-wait              Do not wait for a removal that is already under way
  --timeout SECONDS      Per-relationship wait limit (default 600)
`;

export function parseRemoveGa(
  positionals: readonly string[],
  values: OptionValues,
  global: GlobalOptions,
  terminal: TerminalFacts = {},
): RemoveGaCommand {
  return parseWaitingRelationshipsCommand('remove-ga', positionals, values, global, terminal);
}

/** "Contoso GDAP (…) <id> [active] — GA granted by group g1 (keeps Helpdesk…), g2 (grants nothing after)". */
export function gaLine(p: RemoveGlobalAdministratorPlanItem): string {
  const assignments = p.globalAdministratorAssignments.map((a) => `group ${a.groupId}: ${a.description}`);
  const known = p.assignmentsError !== null ? ` (access assignments could not be read: ${p.assignmentsError})` : '';
  return `${relationshipLine(p)}${assignments.length > 0 ? `\n      ${assignments.join('\n      ')}` : ''}${known}`;
}

export function runRemoveGa(ctx: CommandContext, parsed: RemoveGaCommand): Promise<ExitCode> {
  requireConfirmation(ctx, parsed, 'remove Global Administrator');
  return runStrategyCommand(ctx, parsed.ids, {
    name: 'remove-ga',
    global: parsed.global,
    flags: parsed,
    options: { wait: parsed.wait, timeoutMs: parsed.timeoutMs },
    strategy: removeGlobalAdministratorStrategy,
    what: 'remove Global Administrator',
    verb: 'Remove Global Administrator from',
    line: gaLine,
  });
}
