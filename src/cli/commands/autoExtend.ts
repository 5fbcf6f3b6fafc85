import { isExpiring } from '../../core/actions/relationshipFacts';
import { autoExtendStrategy, type AutoExtendPlanItem } from '../../core/actions/strategies/autoExtend';
import { MAX_DAYS, parseIntegerOption, type GlobalOptions, type MutationFlags, type TerminalFacts } from '../args';
import type { ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { UsageError } from '../usageError';
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

export type AutoExtendCommand = {
  readonly command: 'auto-extend';
  readonly global: GlobalOptions;
  readonly on: boolean;
  readonly ids: readonly string[];
  /** --all-expiring DAYS: also every active relationship ending within DAYS that will not auto-extend. */
  readonly allExpiringDays?: number;
} & MutationFlags;

export const AUTO_EXTEND_OPTIONS = {
  ...MUTATION_OPTIONS,
  'all-expiring': { type: 'string' },
} as const;

export const AUTO_EXTEND_HELP = `Usage: gdap auto-extend on|off <relationshipId>... [--all-expiring DAYS] [--yes] [--dry-run]
                  [--format json|table]

Turns auto-extend (180 days at each end date) on or off for active relationships. "on" refuses a
relationship with Global Administrator (reason globalAdministrator): remove it first (gdap make-renewable).

  --all-expiring DAYS    Also every active relationship ending within DAYS (0-730) without auto-extend
${MUTATION_OPTIONS_HELP}
`;

export function parseAutoExtend(
  positionals: readonly string[],
  values: OptionValues,
  global: GlobalOptions,
  terminal: TerminalFacts = {},
): AutoExtendCommand {
  const [mode, ...rest] = positionals;
  if (mode !== 'on' && mode !== 'off') {
    throw new UsageError(`Say on or off first: gdap auto-extend on|off <relationshipId>...${mode !== undefined ? ` (got "${mode}")` : ''}`);
  }
  const all =
    typeof values['all-expiring'] === 'string' ? parseIntegerOption('all-expiring', values['all-expiring'], 0, MAX_DAYS) : undefined;
  if (rest.length === 0 && all === undefined) {
    throw new UsageError(`Name at least one relationship id, or --all-expiring DAYS: gdap auto-extend ${mode} <relationshipId>...`);
  }
  return {
    command: 'auto-extend',
    global,
    on: mode === 'on',
    ids: relationshipIds('auto-extend', rest, false),
    ...(all !== undefined ? { allExpiringDays: all } : {}),
    ...mutationFlags(values, terminal),
  };
}

export async function runAutoExtend(ctx: CommandContext, parsed: AutoExtendCommand): Promise<ExitCode> {
  const word = parsed.on ? 'on' : 'off';
  requireConfirmation(ctx, parsed, `turn auto-extend ${word}`);
  let ids = [...parsed.ids];
  if (parsed.allExpiringDays !== undefined) {
    await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
    const now = new Date();
    const days = parsed.allExpiringDays;
    const active = await ctx.clients.graph.listAllRelationships({ status: 'active', signal: ctx.io.signal });
    const known = new Set(ids.map((id) => id.toLowerCase()));
    ids = [...ids, ...active.filter((r) => isExpiring(r, days, now) && !known.has(r.id.toLowerCase())).map((r) => r.id)];
    ctx.progress(`auto-extend: ${ids.length} relationship(s) selected`);
  }
  return runStrategyCommand(ctx, ids, {
    name: parsed.on ? 'auto-extend on' : 'auto-extend off',
    global: parsed.global,
    flags: parsed,
    options: {},
    strategy: autoExtendStrategy(parsed.on),
    what: `turn auto-extend ${word}`,
    verb: `Turn auto-extend ${word} for`,
    line: (p: AutoExtendPlanItem) => relationshipLine(p),
  });
}
