import { makeRenewableStrategy } from '../../core/actions/strategies/makeRenewable';
import type { GlobalOptions, MutationFlags, TerminalFacts } from '../args';
import type { ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { gaLine } from './removeGa';
import {
  MUTATION_OPTIONS,
  MUTATION_OPTIONS_HELP,
  mutationFlags,
  relationshipIds,
  requireConfirmation,
  runStrategyCommand,
  waitFlags,
  type OptionValues,
  type WaitFlags,
} from './strategyCommand';

export type MakeRenewableCommand = {
  readonly command: 'make-renewable';
  readonly global: GlobalOptions;
  readonly ids: readonly string[];
} & MutationFlags &
  WaitFlags;

export const MAKE_RENEWABLE_OPTIONS = {
  ...MUTATION_OPTIONS,
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

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
  return {
    command: 'make-renewable',
    global,
    ids: relationshipIds('make-renewable', positionals, true),
    ...mutationFlags(values, terminal),
    ...waitFlags(values),
  };
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
