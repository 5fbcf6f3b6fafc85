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
} from '../args';
import { confirmOnTerminal, requireConfirmationPossible } from '../confirm';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeForResults, type ExitCode } from '../exitCodes';
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

export function mutationFlags(values: OptionValues): MutationFlags {
  return { yes: values.yes === true, dryRun: values['dry-run'] === true, format: values.format === 'table' ? 'table' : 'json' };
}

export function waitFlags(values: OptionValues): WaitFlags {
  const timeout = typeof values.timeout === 'string' ? values.timeout : String(DEFAULT_TIMEOUT_SECONDS);
  return { wait: values['no-wait'] !== true, timeoutMs: parseIntegerOption('timeout', timeout, 1, MAX_TIMEOUT_SECONDS) * 1000 };
}

/** The options of a mutating command over relationships: confirmation and plan. */
export const MUTATION_OPTIONS = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
} as const;

/** …and of one that follows a long-running change to its end. */
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
): WaitingRelationshipsCommand<Name> {
  return { command, global, ids: relationshipIds(command, positionals, true), ...mutationFlags(values), ...waitFlags(values) };
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
}

/** Checked before sign-in: without --yes and without a terminal there is no one to confirm. */
export function requireConfirmation(ctx: CommandContext, flags: MutationFlags, what: string): void {
  requireConfirmationPossible(ctx.io, flags.yes, flags.dryRun, what);
}

export async function runStrategyCommand<S, P extends PlanItemBase & { readonly id: string }, C>(
  ctx: CommandContext,
  ids: readonly string[],
  command: StrategyCommand<S, P, C>,
): Promise<ExitCode> {
  const report = (r: ItemResult): void => ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`);
  const actionCtx = await ctx.actionContext('graph', report);
  const call = { signal: ctx.io.signal };
  // With --yes there is no one to show a plan to: the run decides from its own fresh reads.
  const plan =
    ids.length > 0 && (command.flags.dryRun || !command.flags.yes) ? await planMutation(actionCtx, command.strategy, ids, call) : [];
  if (command.flags.dryRun) {
    ctx.io.stdout.write(`${JSON.stringify({ dryRun: true, plan }, null, 2)}\n`);
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
  const extra = command.extra;
  if (extra === undefined) {
    ctx.io.stdout.write(formatResults(results, ids));
  } else {
    // Read once more so each line says where things stand now (e.g. the successor and its approval link).
    const after = new Map((await planMutation(actionCtx, command.strategy, ids, call)).map((p) => [p.id.toLowerCase(), p]));
    const lines = (JSON.parse(formatResults(results, ids)) as { results: ResultLine[] }).results.map((line) => {
      const item = after.get(line.id.toLowerCase());
      return { ...line, ...(item !== undefined ? extra(item) : {}) };
    });
    ctx.io.stdout.write(`${JSON.stringify({ results: lines }, null, 2)}\n`);
  }
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: ${failed.length} of ${results.length} relationship(s) failed (first: ${failed[0].id}: ${failed[0].error ?? 'unknown error'})\n`,
    );
  }
  return exitCodeForResults(results);
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
