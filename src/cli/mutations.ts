import type { ItemResult } from '../core/actions/actionTypes';
import {
  removeAssignmentConfirmation,
  removeDapConfirmation,
  terminateConfirmation,
  type Confirmation,
} from '../core/actions/confirmations';
import type { PlanItemBase } from '../core/actions/mutationStrategy';
import { planRemoveAssignments, planRemoveDap, planTerminate } from '../core/actions/plans';
import { removeAccessAssignments } from '../core/actions/removeAccessAssignments';
import { removeDap } from '../core/actions/removeDap';
import { terminateRelationships } from '../core/actions/terminateRelationships';
import type { ParsedCommand } from './args';
import { confirmOnTerminal } from './confirm';
import { EXIT_AUTH, EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeForResults, type ExitCode } from './exitCodes';
import { renderMutationResults, type MutationPlanItem } from './mutationOutput';
import type { CommandContext } from './run';

type MutationCommand = Extract<ParsedCommand, { command: 'terminate' | 'remove-assignment' | 'remove-dap' }>;

/**
 * The one shape of every mutating command: sign in → plan (reads only, the strategies' own decisions) →
 * dry-run prints the plan, or confirm on the terminal unless --yes, listing the plan items through the
 * same renderer as the extension's modals → run the core action (journal, bounded parallelism, wait) →
 * print `{"results": [...]}`.
 */
// Long because: plan, confirm, run and print for the mutation commands, one straight sequence shared by all of them.
export async function runMutation(ctx: CommandContext, parsed: MutationCommand): Promise<ExitCode> {
  const audience = parsed.command === 'remove-dap' ? 'partnerCenter' : 'graph';
  const report = (r: ItemResult): void => ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`);
  const actionCtx = await ctx.actionContext(audience, report);
  const call = { signal: ctx.io.signal };
  const { graph, partnerCenter } = ctx.clients;

  let plan: readonly PlanItemBase[];
  let confirmation: Confirmation;
  let order: string[];
  let verb: string;
  switch (parsed.command) {
    case 'terminate': {
      const items = await planTerminate(graph, parsed.ids, call);
      plan = items;
      confirmation = terminateConfirmation(items);
      order = [...parsed.ids];
      verb = 'Terminate';
      break;
    }
    case 'remove-assignment': {
      const target = { relationshipId: parsed.relationshipId, assignmentId: parsed.assignmentId };
      const items = await planRemoveAssignments(graph, [target], call);
      plan = items;
      confirmation = removeAssignmentConfirmation(items);
      order = [`${parsed.relationshipId}/${parsed.assignmentId}`];
      verb = 'Remove access assignment';
      break;
    }
    case 'remove-dap': {
      const items = await planRemoveDap(graph, partnerCenter, parsed.tenantIds, call);
      plan = items;
      confirmation = removeDapConfirmation(items);
      order = [...parsed.tenantIds];
      verb = 'Remove DAP from';
      break;
    }
  }
  if (ctx.auth.pendingClaimsChallenge?.() !== undefined) {
    // Partner Center asked for MFA while planning: nothing is sent; the caller signs in again or says so.
    return EXIT_AUTH;
  }

  if (parsed.dryRun) {
    // The English `reason` is the CLI's; `reasonMessage` (the same reason for a translating face) stays out of its JSON.
    const printed = plan.map(({ reasonMessage: _reasonMessage, ...item }) => item);
    ctx.io.stdout.write(`${JSON.stringify({ dryRun: true, plan: printed }, null, 2)}\n`);
    return plan.some((p) => p.error !== undefined) ? EXIT_FAILED : EXIT_OK;
  }

  if (!parsed.yes && confirmation.acting > 0) {
    const summary = [
      `${verb} ${confirmation.acting} target(s)${ctx.endpoints.emulator !== undefined ? ' in the emulator' : ''}:`,
      ...confirmation.items.map(
        (i) =>
          `  ${i.willAct ? '*' : '-'} ${i.text} ${i.id} [${i.status ?? 'unknown'}]${i.willAct ? '' : ` — nothing to do: ${i.reason ?? 'not applicable'}`}`,
      ),
      '',
      confirmation.consequence,
      ...(confirmation.impact !== undefined ? ['', confirmation.impact] : []),
    ].join('\n');
    const ok = await confirmOnTerminal(ctx.io, summary, confirmation.message);
    if (!ok) {
      ctx.io.stderr.write('gdap: cancelled; nothing was changed.\n');
      return EXIT_USAGE;
    }
  }

  // The intent records keep what each confirmed plan item said the change costs (docs/access.md).
  const confirmed = new Map(order.map((id, i) => [id, plan[i] ?? {}]));
  const options =
    parsed.command === 'remove-dap'
      ? { confirmedPlan: confirmed }
      : { wait: parsed.wait, timeoutMs: parsed.timeoutMs, confirmedPlan: confirmed };
  let results: ItemResult[];
  switch (parsed.command) {
    case 'terminate':
      results = await terminateRelationships(actionCtx, parsed.ids, options);
      break;
    case 'remove-assignment':
      results = await removeAccessAssignments(
        actionCtx,
        [{ relationshipId: parsed.relationshipId, assignmentId: parsed.assignmentId }],
        options,
      );
      break;
    case 'remove-dap':
      results = await removeDap(actionCtx, parsed.tenantIds, options);
      break;
  }
  ctx.io.stdout.write(renderMutationResults(parsed.command, results, order, parsed.format, plan as readonly MutationPlanItem[]));
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: ${failed.length} of ${results.length} target(s) failed (first: ${failed[0].id}: ${failed[0].error ?? 'unknown error'})\n`,
    );
  }
  return exitCodeForResults(results);
}
