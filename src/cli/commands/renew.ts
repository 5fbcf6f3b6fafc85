import * as path from 'node:path';
import { FilePlannedAssignmentStore } from '../../core/actions/plannedAssignments';
import { renewStrategy } from '../../core/actions/strategies/renewRelationship';
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
  type OptionValues,
} from './strategyCommand';

export type RenewCommand = {
  readonly command: 'renew';
  readonly global: GlobalOptions;
  readonly ids: readonly string[];
  readonly withoutGlobalAdministrator: boolean;
} & MutationFlags;

export const RENEW_OPTIONS = {
  ...MUTATION_OPTIONS,
  'without-ga': { type: 'boolean' },
} as const;

export const RENEW_HELP = `Usage: gdap renew <relationshipId>... [--without-ga] [--yes] [--dry-run] [--format json|table]

Renews relationships that have ended or are about to: creates a successor for the same customer with the
same roles and duration under a derived unique name ("<name> (renewal)"), locks it for approval and prints
its id and the customer's approval link. The old relationship's access assignments are kept as planned
assignments (planned-assignments.json next to the journal) to grant once the customer approves.

  --without-ga           Leave Global Administrator out of the successor (it then auto-extends)
${MUTATION_OPTIONS_HELP}
`;

export function parseRenew(
  positionals: readonly string[],
  values: OptionValues,
  global: GlobalOptions,
  terminal: TerminalFacts = {},
): RenewCommand {
  return {
    command: 'renew',
    global,
    ids: relationshipIds('renew', positionals, true),
    withoutGlobalAdministrator: values['without-ga'] === true,
    ...mutationFlags(values, terminal),
  };
}

/** The planned-assignment store of the CLI: a JSON file next to the journal. */
export function plannedAssignmentsFile(journalPath: string): string {
  return path.join(path.dirname(journalPath), 'planned-assignments.json');
}

export function runRenew(ctx: CommandContext, parsed: RenewCommand): Promise<ExitCode> {
  requireConfirmation(ctx, parsed, 'renew relationships');
  const store = new FilePlannedAssignmentStore(plannedAssignmentsFile(ctx.journalPath));
  return runStrategyCommand(ctx, parsed.ids, {
    name: 'renew',
    global: parsed.global,
    flags: parsed,
    options: {},
    strategy: renewStrategy({ store, withoutGlobalAdministrator: parsed.withoutGlobalAdministrator }),
    what: 'renew relationships',
    verb: 'Renew',
    line: (p) =>
      `${relationshipLine(p)} → "${p.successorName ?? '?'}" with ${p.successorRoles.map((r) => r.name).join(', ') || 'no roles'}, ${p.duration ?? '?'}; ${p.plannedAssignments.length} access assignment(s) planned${p.plannedAssignmentsNote !== null ? ` (${p.plannedAssignmentsNote})` : ''}`,
    extra: (p) => ({
      successorId: p.successorId,
      successorName: p.successorName,
      successorStatus: p.successorStatus,
      approvalLink: p.approvalLink,
    }),
    detail: (p) =>
      p.successorName === null
        ? undefined
        : `successor '${p.successorName}'${p.approvalLink !== null ? `, the customer approves at ${p.approvalLink}` : ''}`,
  });
}
