import {
  removeGlobalAdministratorStrategy,
  type RemoveGlobalAdministratorPlanItem,
} from '../../core/actions/strategies/removeGlobalAdministrator';
import type { GlobalOptions, MutationFlags, TerminalFacts } from '../args';
import type { ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import {
  MUTATION_OPTIONS,
  MUTATION_OPTIONS_HELP,
  mutationFlags,
  relationshipIds,
  relationshipLine,
  requireConfirmation,
  runStrategyCommand,
  waitFlags,
  type OptionValues,
  type WaitFlags,
} from './strategyCommand';

export type RemoveGaCommand = {
  readonly command: 'remove-ga';
  readonly global: GlobalOptions;
  readonly ids: readonly string[];
} & MutationFlags &
  WaitFlags;

export const REMOVE_GA_OPTIONS = {
  ...MUTATION_OPTIONS,
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

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
  return {
    command: 'remove-ga',
    global,
    ids: relationshipIds('remove-ga', positionals, true),
    ...mutationFlags(values, terminal),
    ...waitFlags(values),
  };
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
