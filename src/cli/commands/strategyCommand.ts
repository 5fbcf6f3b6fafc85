import type { ItemResult, MutationOptions } from '../../core/actions/actionTypes';
import { planMutation, runMutation } from '../../core/actions/mutationPipeline';
import type { MutationStrategy, PlanItemBase } from '../../core/actions/mutationStrategy';
// Only functions are used from args (never at load time), so the registration of these commands in args.ts
// does not make a load-order cycle.
import {
  DEFAULT_TIMEOUT_SECONDS,
  isRelationshipId,
  MAX_TIMEOUT_SECONDS,
  parseIntegerOption,
  type GlobalOptions,
  type MutationFlags,
  type TerminalFacts,
} from '../args';
import { confirmOnTerminal, requireConfirmationPossible } from '../confirm';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeForResults, type ExitCode } from '../exitCodes';
import { renderMutationResults, type LabelledPlanItem, type MutationCommandName } from '../mutationOutput';
import { formatResults, type ResultLine } from '../results';
import type { CommandContext } from '../run';
import { UsageError } from '../usageError';

/*
 * The shape every renewal command shares (as the other mutating commands): plan from fresh reads →
 * --dry-run prints it and sends nothing → confirm on the terminal unless --yes → run the strategy on the
 * pipeline (journal, reconcile, wait) → `{"results": [...]}` on stdout.
 */

export interface WaitFlags {
  readonly wait: boolean;
  readonly timeoutMs: number;
}

/** The parsed values every renewal command reads (node:util parseArgs output). */
export type OptionValues = Record<string, string | boolean | undefined>;

/** The options every mutating command takes: --yes, --dry-run, --format json|table. */
export const MUTATION_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
} as const;

/** The help lines of MUTATION_OPTIONS. */
export const MUTATION_OPTIONS_HELP = `  -y, --yes              Do not ask for confirmation (required without a terminal)
  --dry-run              Print the plan and change nothing
  --format json|table    Results as JSON, or one line per target (default: table on a terminal,
                         json otherwise)`;

/**
 * --yes, --dry-run and the results' format: one line per target when a person reads stdout (a terminal),
 * the JSON results when it goes to a pipe or file, so scripts see what they always saw.
 */
export function mutationFlags(values: OptionValues, terminal: { readonly stdoutIsTTY?: boolean } = {}): MutationFlags {
  const format = values.format;
  if (format !== undefined && format !== 'json' && format !== 'table') {
    throw new UsageError(`--format must be json or table here (got "${String(format)}").`);
  }
  return {
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    format: format ?? (terminal.stdoutIsTTY === true ? 'table' : 'json'),
  };
}

export function waitFlags(values: OptionValues): WaitFlags {
  const timeout = typeof values.timeout === 'string' ? values.timeout : String(DEFAULT_TIMEOUT_SECONDS);
  return { wait: values['no-wait'] !== true, timeoutMs: parseIntegerOption('timeout', timeout, 1, MAX_TIMEOUT_SECONDS) * 1000 };
}

/** The options of a mutating command that follows a long-running change to its end. */
export const WAITING_MUTATION_OPTIONS = {
  ...MUTATION_OPTIONS,
  'no-wait': { type: 'boolean' },
  timeout: { type: 'string' },
} as const;

/** A mutating command over relationship ids that waits for the change (remove-ga, make-renewable). */
export type WaitingRelationshipsCommand<Name extends string> = {
  readonly command: Name;
  readonly global: GlobalOptions;
  readonly ids: readonly string[];
} & MutationFlags &
  WaitFlags;

export function parseWaitingRelationshipsCommand<Name extends string>(
  command: Name,
  positionals: readonly string[],
  values: OptionValues,
  global: GlobalOptions,
  terminal: TerminalFacts = {},
): WaitingRelationshipsCommand<Name> {
  return { command, global, ids: relationshipIds(command, positionals, true), ...mutationFlags(values, terminal), ...waitFlags(values) };
}

/** Relationship ids from the command line: each validated, repeats dropped (case-insensitive). */
export function relationshipIds(command: string, positionals: readonly string[], required: boolean): string[] {
  if (required && positionals.length === 0) {
    throw new UsageError(`Name at least one relationship id: gdap ${command} <relationshipId>...`);
  }
  for (const id of positionals) {
    if (!isRelationshipId(id)) {
      throw new UsageError(`"${id}" is not a relationship id (a GUID, or two GUIDs joined by "-").`);
    }
  }
  const seen = new Set<string>();
  return positionals.filter((id) => {
    const key = id.toLowerCase();
    const fresh = !seen.has(key);
    seen.add(key);
    return fresh;
  });
}

export interface StrategyCommand<S, P extends PlanItemBase, C> {
  /** The command as its result lines name it (the words of each outcome). */
  readonly name: MutationCommandName;
  readonly global: GlobalOptions;
  readonly flags: MutationFlags;
  readonly options: MutationOptions;
  readonly strategy: MutationStrategy<string, S, P, C>;
  /** "turn auto-extend on for relationships": the refusal without a terminal. */
  readonly what: string;
  /** "Turn auto-extend on for": the confirmation's verb. */
  readonly verb: string;
  /** One confirmation line per plan item. */
  line(item: P): string;
  /** Extra fields of each result line (e.g. a successor), from a plan read after the run. */
  readonly extra?: (item: P) => Record<string, unknown>;
  /** What a person needs next after a success (e.g. the approval link), from a plan read after the run. */
  readonly detail?: (item: P) => string | undefined;
}

/** Checked before sign-in: without --yes and without a terminal there is no one to confirm. */
export function requireConfirmation(ctx: CommandContext, flags: MutationFlags, what: string): void {
  requireConfirmationPossible(ctx.io, flags.yes, flags.dryRun, what);
}

type StrategyPlanItem = PlanItemBase & LabelledPlanItem & { readonly id: string };

export async function runStrategyCommand<S, P extends StrategyPlanItem, C>(
  ctx: CommandContext,
  ids: readonly string[],
  command: StrategyCommand<S, P, C>,
): Promise<ExitCode> {
  const report = (r: ItemResult): void => ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`);
  const actionCtx = await ctx.actionContext('graph', report);
  const call = { signal: ctx.io.signal };
  // With --yes and JSON out there is no one to show a plan to: the run decides from its own fresh reads. On a
  // terminal the plan's reads name each target (relationship and customer) in the result lines.
  const read = command.flags.dryRun || !command.flags.yes || command.flags.format === 'table';
  const plan = ids.length > 0 && read ? await planMutation(actionCtx, command.strategy, ids, call) : [];
  if (command.flags.dryRun) {
    // `reasonMessage` (the reason for a translating face) stays out of the CLI's JSON, as in src/cli/mutations.ts.
    const printed = plan.map(({ reasonMessage: _reasonMessage, ...item }) => item);
    ctx.io.stdout.write(`${JSON.stringify({ dryRun: true, plan: printed }, null, 2)}\n`);
    return plan.some((p) => p.error !== undefined) ? EXIT_FAILED : EXIT_OK;
  }
  const acting = plan.filter((p) => p.willAct);
  if (!command.flags.yes && acting.length > 0) {
    const summary = [
      `${command.verb} ${acting.length} relationship(s)${ctx.endpoints.emulator !== undefined ? ' in the emulator' : ''}:`,
      ...plan.map(
        (p) => `  ${p.willAct ? '*' : '-'} ${command.line(p)}${p.willAct ? '' : ` — nothing to do: ${p.reason ?? 'not applicable'}`}`,
      ),
    ].join('\n');
    if (!(await confirmOnTerminal(ctx.io, summary, `${command.verb} ${acting.length} relationship(s)?`))) {
      ctx.io.stderr.write('gdap: cancelled; nothing was changed.\n');
      return EXIT_USAGE;
    }
  }
  const results = ids.length > 0 ? await runMutation(actionCtx, command.strategy, ids, command.options) : [];
  const after = (): Promise<P[]> => planMutation(actionCtx, command.strategy, ids, call);
  ctx.io.stdout.write(await printedResults(command, ids, plan, results, after));
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: ${failed.length} of ${results.length} relationship(s) failed (first: ${failed[0].id}: ${failed[0].error ?? 'unknown error'})\n`,
    );
  }
  return exitCodeForResults(results);
}

/**
 * The results on stdout: one line per target for a person, else the JSON contract (with `extra` fields).
 * `after` reads the plan once more so a line can say where things stand now (a successor, its approval link).
 */
async function printedResults<S, P extends StrategyPlanItem, C>(
  command: StrategyCommand<S, P, C>,
  ids: readonly string[],
  plan: readonly P[],
  results: readonly ItemResult[],
  after: () => Promise<P[]>,
): Promise<string> {
  const { extra, detail } = command;
  if (command.flags.format === 'table') {
    const now = detail !== undefined && ids.length > 0 ? await after() : plan;
    const details = new Map<string, string>();
    for (const item of detail !== undefined ? now : []) {
      const text = detail?.(item);
      if (text !== undefined) {
        details.set(item.id, text);
      }
    }
    return renderMutationResults(command.name, results, ids, 'table', now, details);
  }
  if (extra === undefined) {
    return formatResults(results, ids);
  }
  const byId = new Map((await after()).map((p) => [p.id.toLowerCase(), p]));
  const lines = (JSON.parse(formatResults(results, ids)) as { results: ResultLine[] }).results.map((line) => {
    const item = byId.get(line.id.toLowerCase());
    return { ...line, ...(item !== undefined ? extra(item) : {}) };
  });
  return `${JSON.stringify({ results: lines }, null, 2)}\n`;
}

/** "Contoso GDAP (Contoso Ltd) <id> [active]" */
export function relationshipLine(p: {
  readonly id: string;
  readonly name: string | null;
  readonly customerName: string | null;
  readonly customerTenantId: string | null;
  readonly status: string | null;
}): string {
  return `${p.name ?? p.id} (${p.customerName ?? p.customerTenantId ?? 'no customer'}) ${p.id} [${p.status ?? 'unknown'}]`;
}
