import { makeRenewableStrategy } from '../../core/actions/strategies/makeRenewable';
import type { GlobalOptions, TerminalFacts } from '../args';
import type { ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { gaLine } from './removeGa';
import {
  MUTATION_OPTIONS_HELP,
  parseWaitingRelationshipsCommand,
  requireConfirmation,
  runStrategyCommand,
  WAITING_MUTATION_OPTIONS,
  type OptionValues,
  type WaitingRelationshipsCommand,
} from './strategyCommand';

export type MakeRenewableCommand = WaitingRelationshipsCommand<'make-renewable'>;

export const MAKE_RENEWABLE_OPTIONS = WAITING_MUTATION_OPTIONS;

export const MAKE_RENEWABLE_HELP = `Usage: gdap make-renewable <relationshipId>... [--yes] [--dry-run] [--timeout SECONDS] [--format json|table]

Makes active relationships renew themselves: removes Global Administrator where present, waits for the
service's operation, then turns auto-extend on. The plan lists the steps and every access assignment that
grants Global Administrator.

${MUTATION_OPTIONS_HELP}
  --no-wait              Do not wait for a removal that is already under way
  --timeout SECONDS      Per-relationship wait limit (default 600)
`;

export function parseMakeRenewable(
  positionals: readonly string[],
  values: OptionValues,
  global: GlobalOptions,
  terminal: TerminalFacts = {},
): MakeRenewableCommand {
  return parseWaitingRelationshipsCommand('make-renewable', positionals, values, global, terminal);
}

export function runMakeRenewable(ctx: CommandContext, parsed: MakeRenewableCommand): Promise<ExitCode> {
  requireConfirmation(ctx, parsed, 'make relationships renewable');
  return runStrategyCommand(ctx, parsed.ids, {
    name: 'make-renewable',
    global: parsed.global,
    flags: parsed,
    options: { wait: parsed.wait, timeoutMs: parsed.timeoutMs },
    strategy: makeRenewableStrategy,
    what: 'make relationships renewable',
    verb: 'Make renewable',
    line: (p) => `${gaLine(p)}${p.steps.length > 0 ? `\n      steps: ${p.steps.join(' → ')}` : ''}`,
  });
}
