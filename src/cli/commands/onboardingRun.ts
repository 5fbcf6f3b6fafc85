import * as path from 'node:path';
import type { ItemResult, MutationOptions } from '../../core/actions/actionTypes';
import { planMutation } from '../../core/actions/mutationPipeline';
import type { MutationApis, MutationStrategy, PlanItemBase } from '../../core/actions/mutationStrategy';
import {
  assignGroups,
  createAndLock,
  deleteDrafts,
  grantPlanned,
  lockForApproval,
  pendingInvitations,
  relationshipHistory,
  setAssignmentRoles,
} from '../../core/actions/onboarding';
import { FilePlannedAssignmentStore } from '../../core/actions/plannedAssignments';
import { approvalLink } from '../../core/actions/relationshipFacts';
import { createAccessAssignmentStrategy } from '../../core/actions/strategies/createAccessAssignment';
import { createRelationshipStrategy } from '../../core/actions/strategies/createRelationship';
import { deleteDraftStrategy } from '../../core/actions/strategies/deleteDraft';
import { lockForApprovalStrategy } from '../../core/actions/strategies/lockForApproval';
import { setAssignmentRolesStrategy } from '../../core/actions/strategies/setAssignmentRoles';
import type { ParsedCommand } from '../args';
import { confirmOnTerminal, requireConfirmationPossible } from '../confirm';
import { toCsv } from '../csv';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeForResults, type ExitCode } from '../exitCodes';
import { invitesToTable } from '../invitesOutput';
import { renderMutationResults, type LabelledPlanItem } from '../mutationOutput';
import { formatResults } from '../results';
import type { CommandContext } from '../run';
import { ONBOARDING_COMMANDS, type OnboardingCommandName } from './onboardingArgs';

type OnboardingParsed = Extract<ParsedCommand, { command: OnboardingCommandName }>;
type Mutating = Exclude<OnboardingParsed, { command: 'history' | 'invites' }>;

export function isOnboardingCommand(parsed: { readonly command: string }): parsed is OnboardingParsed {
  return (ONBOARDING_COMMANDS as readonly string[]).includes(parsed.command);
}

/** Planned assignments live next to the journal (same folder, same owner-only rights). */
export function plannedStorePath(journalPath: string): string {
  return path.join(path.dirname(journalPath), 'planned-assignments.json');
}

const VERBS: Record<Mutating['command'], string> = {
  create: 'Create relationship',
  lock: 'Lock for approval',
  delete: 'Delete draft',
  assign: 'Assign group',
  'set-roles': 'Set roles of',
  'grant-planned': 'Grant planned assignments on',
};

function describe(item: PlanItemBase): string {
  const i = item as PlanItemBase & { id?: string; name?: string | null; relationshipId?: string; groupId?: string | null };
  return [i.name ?? undefined, i.id ?? i.relationshipId, i.groupId !== undefined && i.groupId !== null ? `group ${i.groupId}` : undefined]
    .filter((x) => x !== undefined)
    .join(' ');
}

/** What planning decided: stop with an exit code, or go on and run (the plan names the targets in the results). */
type Planned<P> = { readonly stop: ExitCode } | { readonly stop?: undefined; readonly plan: readonly P[] };

/** Plan → dry-run prints it, or the terminal confirms it unless --yes. */
async function planAndConfirm<T, S, P extends PlanItemBase>(
  ctx: CommandContext,
  parsed: Mutating,
  strategy: MutationStrategy<T, S, P>,
  targets: readonly T[],
  extra: Record<string, unknown> = {},
): Promise<Planned<P>> {
  const apis: MutationApis = { graph: ctx.clients.graph, partnerCenter: ctx.clients.partnerCenter };
  const plan = await planMutation(apis, strategy, targets, { signal: ctx.io.signal });
  if (parsed.dryRun) {
    // `reasonMessage` (the reason for a translating face) stays out of the CLI's JSON, as in src/cli/mutations.ts.
    const printed = plan.map(({ reasonMessage: _reasonMessage, ...item }) => item);
    ctx.io.stdout.write(`${JSON.stringify({ dryRun: true, plan: printed, ...extra }, null, 2)}\n`);
    const refused = plan.some(
      (p) => p.error !== undefined || (p.reason !== null && !p.willAct && strategy.action === 'createRelationship'),
    );
    return { stop: refused ? EXIT_FAILED : EXIT_OK };
  }
  const acting = plan.filter((p) => p.willAct).length;
  if (!parsed.yes && acting > 0) {
    const summary = [
      `${VERBS[parsed.command]} (${acting} target(s))${ctx.endpoints.emulator !== undefined ? ' in the emulator' : ''}:`,
      ...plan.map(
        (p) => `  ${p.willAct ? '*' : '-'} ${describe(p)}${p.willAct ? '' : ` — nothing to do: ${p.reason ?? 'not applicable'}`}`,
      ),
    ].join('\n');
    if (!(await confirmOnTerminal(ctx.io, summary, 'Proceed?'))) {
      ctx.io.stderr.write('gdap: cancelled; nothing was changed.\n');
      return { stop: EXIT_USAGE };
    }
  }
  return { plan };
}

/** What a person reads on a terminal besides the result lines: the plan's names, and per target what comes next. */
interface HumanFacts {
  readonly plan: readonly LabelledPlanItem[];
  /** By target id, e.g. the approval link of a locked relationship. */
  readonly details?: ReadonlyMap<string, string>;
}

/** "the customer approves at <link>" per locked relationship with a link. */
function approvalDetails(links: Record<string, string | null>): Map<string, string> {
  return new Map(
    Object.entries(links).flatMap(([id, link]) => (link === null ? [] : [[id, `the customer approves at ${link}`] as [string, string]])),
  );
}

/**
 * A new assignment's result is named by the assignment made (`<relationshipId>/<assignmentId>`), which its
 * plan item could not know: results come in the order of the targets (as the plan's items do), so each item
 * takes the id of its result.
 */
function byResult<P extends LabelledPlanItem>(plan: readonly P[], results: readonly ItemResult[]): readonly P[] {
  return plan.length === results.length ? plan.map((p, i) => ({ ...p, id: results[i].id })) : plan;
}

function finish(
  ctx: CommandContext,
  parsed: Mutating,
  results: readonly ItemResult[],
  body: Record<string, unknown>,
  human: HumanFacts,
): ExitCode {
  const order = results.map((r) => r.id);
  if (parsed.format === 'table') {
    ctx.io.stdout.write(renderMutationResults(parsed.command, results, order, 'table', human.plan, human.details));
  } else {
    const lines = JSON.parse(formatResults(results, order)) as { results: unknown[] };
    ctx.io.stdout.write(`${JSON.stringify({ ...body, results: lines.results }, null, 2)}\n`);
  }
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: ${failed.length} of ${results.length} target(s) failed (first: ${failed[0].id}: ${failed[0].error ?? 'unknown error'})\n`,
    );
  }
  return exitCodeForResults(results);
}

/** Runs one grant-side command (docs/onboarding.md). */
// Long because: one switch dispatching each grant-side command to its core call and output; each case is short.
export async function runOnboardingCommand(ctx: CommandContext, parsed: OnboardingParsed): Promise<ExitCode> {
  const signal = { signal: ctx.io.signal };
  if (parsed.command === 'history') {
    await ctx.auth.tokens.getToken('graph', signal);
    const history = await relationshipHistory(ctx.clients.graph, parsed.relationshipId, signal);
    ctx.io.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
    return EXIT_OK;
  }
  if (parsed.command === 'invites') {
    await ctx.auth.tokens.getToken('graph', signal);
    const now = new Date();
    const invitations = await pendingInvitations(ctx.clients.graph, now, signal);
    if (parsed.format === 'table') {
      ctx.io.stdout.write(invitesToTable(invitations, ctx.io.stdoutColumns));
      return EXIT_OK;
    }
    ctx.io.stdout.write(
      parsed.format === 'csv'
        ? toCsv(
            ['id', 'name', 'customerTenantId', 'createdDateTime', 'ageDays', 'lapsesOn', 'approvalLink'],
            invitations.map((i) => [i.id, i.name, i.customerTenantId, i.createdDateTime, i.ageDays, i.lapsesOn, i.approvalLink]),
          )
        : `${JSON.stringify({ generatedAt: now.toISOString(), invitations }, null, 2)}\n`,
    );
    return EXIT_OK;
  }

  requireConfirmationPossible(ctx.io, parsed.yes, parsed.dryRun, VERBS[parsed.command].toLowerCase());
  const report = (r: ItemResult): void => ctx.progress(`${r.id}: ${r.outcome}${r.error !== null ? ` (${r.error})` : ''}`);
  // Sign in (and settle an interrupted journal) before any plan is read.
  const actionCtx = await ctx.actionContext('graph', report);
  const options: MutationOptions = { wait: parsed.wait, timeoutMs: parsed.timeoutMs };
  const store = new FilePlannedAssignmentStore(plannedStorePath(ctx.journalPath));

  switch (parsed.command) {
    case 'create': {
      const planned = await planAndConfirm(ctx, parsed, createRelationshipStrategy(), [parsed.target], {
        lock: parsed.lock,
        plannedAssignments: parsed.planned,
      });
      if (planned.stop !== undefined) {
        return planned.stop;
      }
      const out = await createAndLock(actionCtx, parsed.target, { ...options, lock: parsed.lock });
      let results = out.results;
      if (out.relationship !== null && parsed.planned.length > 0) {
        try {
          await store.set(out.relationship.id, parsed.planned);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          results = [
            ...results,
            {
              id: out.relationship.id,
              outcome: 'failed',
              status: out.relationship.status,
              error: `The relationship was created but its planned assignments could not be saved: ${message}`,
            },
          ];
        }
      }
      const created = out.relationship;
      return finish(
        ctx,
        parsed,
        results,
        { relationship: created, approvalLink: out.approvalLink },
        {
          // The plan item had no id yet: it names the relationship now created.
          plan: created === null ? [] : planned.plan.map((p) => ({ ...p, id: created.id })),
          details: created === null ? new Map() : approvalDetails({ [created.id]: out.approvalLink }),
        },
      );
    }
    case 'lock': {
      const planned = await planAndConfirm(ctx, parsed, lockForApprovalStrategy, parsed.ids);
      if (planned.stop !== undefined) {
        return planned.stop;
      }
      const results = await lockForApproval(actionCtx, parsed.ids, options);
      const links = Object.fromEntries(results.map((r) => [r.id, approvalLink({ id: r.id, status: r.status ?? '' })]));
      return finish(ctx, parsed, results, { approvalLinks: links }, { plan: planned.plan, details: approvalDetails(links) });
    }
    case 'delete': {
      const planned = await planAndConfirm(ctx, parsed, deleteDraftStrategy, parsed.ids);
      if (planned.stop !== undefined) {
        return planned.stop;
      }
      const results = await deleteDrafts(actionCtx, parsed.ids, options);
      for (const r of results) {
        if (r.outcome === 'done') {
          // A deleted draft will never be approved: its plan goes with it.
          await store.delete(r.id).catch(() => undefined);
        }
      }
      return finish(ctx, parsed, results, {}, { plan: planned.plan });
    }
    case 'assign': {
      const target = { relationshipId: parsed.relationshipId, groupId: parsed.groupId, roleDefinitionIds: parsed.roleDefinitionIds };
      const planned = await planAndConfirm(ctx, parsed, createAccessAssignmentStrategy(), [target]);
      if (planned.stop !== undefined) {
        return planned.stop;
      }
      const results = await assignGroups(actionCtx, [target], options);
      return finish(ctx, parsed, results, {}, { plan: byResult(planned.plan, results) });
    }
    case 'set-roles': {
      const target = {
        relationshipId: parsed.relationshipId,
        assignmentId: parsed.assignmentId,
        roleDefinitionIds: parsed.roleDefinitionIds,
      };
      const planned = await planAndConfirm(ctx, parsed, setAssignmentRolesStrategy, [target]);
      if (planned.stop !== undefined) {
        return planned.stop;
      }
      return finish(ctx, parsed, await setAssignmentRoles(actionCtx, [target], options), {}, planned);
    }
    case 'grant-planned': {
      const planned = await store.get(parsed.relationshipId);
      if (planned.length === 0) {
        ctx.io.stderr.write(`gdap: no planned assignments for ${parsed.relationshipId}.\n`);
        return finish(ctx, parsed, [], { planned: [] }, { plan: [] });
      }
      const targets = planned.map((p) => ({ relationshipId: parsed.relationshipId, ...p }));
      const plannedRun = await planAndConfirm(ctx, parsed, createAccessAssignmentStrategy(), targets, { planned });
      if (plannedRun.stop !== undefined) {
        return plannedRun.stop;
      }
      const out = await grantPlanned(actionCtx, store, parsed.relationshipId, options);
      return finish(ctx, parsed, out.results, { planned }, { plan: byResult(plannedRun.plan, out.results) });
    }
  }
}
