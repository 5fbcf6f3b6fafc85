import type { ItemResult } from '../core/actions/actionTypes';
import { planRemoveAssignments, planRemoveDap, planTerminate } from '../core/actions/plans';
import { removeAccessAssignments } from '../core/actions/removeAccessAssignments';
import { removeDap } from '../core/actions/removeDap';
import { terminateRelationships } from '../core/actions/terminateRelationships';
import type { ParsedCommand } from './args';
import { confirmOnTerminal } from './confirm';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeForResults, type ExitCode } from './exitCodes';
import { renderMutationResults, type MutationPlanItem } from './mutationOutput';
import type { CommandContext } from './run';

type MutationCommand = Extract<ParsedCommand, { command: 'terminate' | 'remove-assignment' | 'remove-dap' }>;

interface PlanLine {
  readonly willAct: boolean;
  readonly reason: string | null;
  readonly error?: unknown;
  readonly line: string;
}

/**
 * The one shape of every mutating command: sign in → plan (reads only) → dry-run prints the plan, or
 * confirm on the terminal unless --yes → run the core action (journal, bounded parallelism, wait) →
 * print `{"results": [...]}`.
 */
export async function runMutation(ctx: CommandContext, parsed: MutationCommand): Promise<ExitCode> {
  const audience = parsed.command === 'remove-dap' ? 'partnerCenter' : 'graph';
  const report = (r: ItemResult): void => ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`);
  const actionCtx = await ctx.actionContext(audience, report);
  const call = { signal: ctx.io.signal };
  const { graph, partnerCenter } = ctx.clients;

  let plan: readonly object[];
  let lines: PlanLine[];
  let order: string[];
  let verb: string;
  switch (parsed.command) {
    case 'terminate': {
      const items = await planTerminate(graph, parsed.ids, call);
      plan = items;
      order = [...parsed.ids];
      verb = 'Terminate';
      lines = items.map((i) => ({
        ...i,
        line: `${i.name ?? i.id} (${i.customerName ?? i.customerTenantId ?? 'no customer yet'}) ${i.id} [${i.status ?? 'unknown'}]`,
      }));
      break;
    }
    case 'remove-assignment': {
      const target = { relationshipId: parsed.relationshipId, assignmentId: parsed.assignmentId };
      const items = await planRemoveAssignments(graph, [target], call);
      plan = items;
      order = [`${parsed.relationshipId}/${parsed.assignmentId}`];
      verb = 'Remove access assignment';
      lines = items.map((i) => ({
        ...i,
        line: `security group ${i.securityGroupId ?? '?'} with ${i.roles.map((r) => r.name).join(', ') || 'no roles'} on ${i.relationshipName ?? i.relationshipId} (${i.customerName ?? i.customerTenantId ?? '?'}) [${i.status ?? 'unknown'}]`,
      }));
      break;
    }
    case 'remove-dap': {
      const items = await planRemoveDap(graph, partnerCenter, parsed.tenantIds, call);
      plan = items;
      order = [...parsed.tenantIds];
      verb = 'Remove DAP from';
      lines = items.map((i) => ({
        ...i,
        line: `${i.companyName ?? i.tenantId} ${i.tenantId}${i.hasActiveGdap === false ? ' — WARNING: no active GDAP relationship, you will lose all admin access' : ''}`,
      }));
      break;
    }
  }

  if (parsed.dryRun) {
    ctx.io.stdout.write(`${JSON.stringify({ dryRun: true, plan }, null, 2)}\n`);
    return lines.some((l) => l.error !== undefined) ? EXIT_FAILED : EXIT_OK;
  }

  const acting = lines.filter((l) => l.willAct);
  if (!parsed.yes && acting.length > 0) {
    const summary = [
      `${verb} ${acting.length} target(s)${ctx.endpoints.emulator !== undefined ? ' in the emulator' : ''}:`,
      ...lines.map((l) => `  ${l.willAct ? '*' : '-'} ${l.line}${l.willAct ? '' : ` — nothing to do: ${l.reason ?? 'not applicable'}`}`),
    ].join('\n');
    const ok = await confirmOnTerminal(ctx.io, summary, `${verb} ${acting.length} target(s)?`);
    if (!ok) {
      ctx.io.stderr.write('gdap: cancelled; nothing was changed.\n');
      return EXIT_USAGE;
    }
  }

  const options = parsed.command === 'remove-dap' ? {} : { wait: parsed.wait, timeoutMs: parsed.timeoutMs };
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
