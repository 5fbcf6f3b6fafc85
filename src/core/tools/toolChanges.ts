import type { ActionContext, ItemResult } from '../actions/actionTypes';
import {
  formatMessage,
  removeAssignmentConfirmation,
  terminateConfirmation,
  type Confirmation,
  type ConfirmationItem,
  type Translate,
} from '../actions/confirmations';
import { planMutation, runMutation } from '../actions/mutationPipeline';
import { planRemoveAssignments, planTerminate } from '../actions/plans';
import { autoExtendStrategy, type AutoExtendPlanItem } from '../actions/strategies/autoExtend';
import { removeAccessAssignmentStrategy } from '../actions/strategies/removeAccessAssignment';
import { terminateStrategy } from '../actions/strategies/terminateRelationship';
import type { GroupDirectory } from '../insight/accessRows';
import { answer, requireAssignment, requireRelationships, type ToolAnswer, type ToolSource } from './toolQueries';
import { MAX_TARGETS_PER_CALL, parseToolInput, type ChangeToolName } from './toolSpecs';

/*
 * The changing tools: a plan from fresh reads through the strategy's own `decide` (the same plan items as
 * the modal and the CLI's question), rendered by the one confirmation renderer; the run takes only the
 * confirmed targets through the pipeline. Nothing here sends before the front end has the user's yes.
 */

/** A change planned and waiting for the user's answer. */
export interface PreparedChange {
  readonly tool: ChangeToolName;
  /** Identity of the call's input: a confirmation counts only for the same input. */
  readonly key: string;
  readonly confirmation: Confirmation;
  /** The relationships the change is about (the tree reads their customers again afterwards). */
  readonly relationshipIds: readonly string[];
  /** Runs the targets the plan acts on (the confirmation's), on the pipeline. */
  run(ctx: ActionContext): Promise<ItemResult[]>;
}

export interface PrepareOptions {
  /** `vscode.l10n.t` in the editor; English otherwise. */
  readonly translate?: Translate;
  readonly signal?: AbortSignal;
}

/** The same call with its ids in any case and order is the same change. */
export function changeKey(tool: ChangeToolName, input: unknown): string {
  const parsed = parseToolInput(tool, input);
  switch (tool) {
    case 'gdap_remove_assignment': {
      const p = parsed as { relationshipId: string; assignmentId: string };
      return `${tool}|${p.relationshipId.toLowerCase()}/${p.assignmentId.toLowerCase()}`;
    }
    case 'gdap_auto_extend': {
      const p = parsed as { on: boolean; relationshipIds: string[] };
      return `${tool}|${p.on ? 'on' : 'off'}|${sortedIds(p.relationshipIds)}`;
    }
    case 'gdap_terminate':
      return `${tool}|${sortedIds((parsed as { relationshipIds: string[] }).relationshipIds)}`;
  }
}

function sortedIds(ids: readonly string[]): string {
  return [...new Set(ids.map((id) => id.toLowerCase()))].sort().join(',');
}

/** The auto-extend plan as a confirmation (items listed as the CLI lists them). */
export function autoExtendConfirmation(plan: readonly AutoExtendPlanItem[], on: boolean, t: Translate = formatMessage): Confirmation {
  const items = [...new Map(plan.map((p) => [p.id.toLowerCase(), p])).values()].map((p): ConfirmationItem => ({
    id: p.id,
    willAct: p.willAct,
    text: `${p.name ?? p.id} (${p.customerName ?? p.customerTenantId ?? t('no customer yet')})`,
    status: p.status,
    reason: p.reason,
  }));
  const acting = items.filter((i) => i.willAct);
  const one = acting.length === 1 ? acting[0] : undefined;
  let message: string;
  let consequence: string;
  if (on) {
    message =
      one !== undefined ? t('Turn auto-extend on for {0}?', one.text) : t('Turn auto-extend on for {0} GDAP relationships?', acting.length);
    consequence =
      one !== undefined
        ? t('The relationship extends itself by 180 days at each end date.')
        : t('The relationships extend themselves by 180 days at each end date.');
  } else {
    message =
      one !== undefined
        ? t('Turn auto-extend off for {0}?', one.text)
        : t('Turn auto-extend off for {0} GDAP relationships?', acting.length);
    consequence =
      one !== undefined
        ? t('The relationship ends at its end date unless it is renewed.')
        : t('The relationships end at their end dates unless they are renewed.');
  }
  const listing = one !== undefined ? [] : ['', ...acting.map((i) => `• ${i.text}`)];
  const left = items.filter((i) => !i.willAct);
  const notActing =
    left.length === 0 ? [] : ['', t('Nothing will be sent for:'), ...left.map((i) => `• ${i.text} — ${i.reason ?? t('not applicable')}`)];
  return {
    message,
    detail: [consequence, ...listing, ...notActing].join('\n'),
    consequence,
    confirmLabel: on ? t('Turn On') : t('Turn Off'),
    typeToConfirm: String(acting.length),
    mustType: false,
    items,
    acting: acting.length,
  };
}

/**
 * Validates the call (schema, ids in the inventory, the per-call cap), reads the plan and renders its
 * confirmation. Reads only.
 */
export async function prepareChange(
  tool: ChangeToolName,
  input: unknown,
  source: ToolSource,
  options: PrepareOptions = {},
): Promise<PreparedChange> {
  const key = changeKey(tool, input);
  const t = options.translate ?? formatMessage;
  const call = options.signal !== undefined ? { signal: options.signal } : {};
  const inventory = await source.loadInventory(options.signal);
  switch (tool) {
    case 'gdap_terminate': {
      const { relationshipIds } = parseToolInput(tool, input);
      requireRelationships(inventory, relationshipIds);
      const plan = await planTerminate(source.graph, relationshipIds, call);
      const acting = plan.filter((p) => p.willAct).map((p) => p.id);
      return {
        tool,
        key,
        confirmation: terminateConfirmation(plan, { translate: t }),
        relationshipIds,
        run: (ctx) => runMutation(ctx, terminateStrategy, acting, { wait: false }),
      };
    }
    case 'gdap_remove_assignment': {
      const { relationshipId, assignmentId } = parseToolInput(tool, input);
      requireAssignment(inventory, relationshipId, assignmentId);
      const groups: GroupDirectory = source.groups !== undefined ? await source.groups(inventory, options.signal) : {};
      const plan = await planRemoveAssignments(source.graph, [{ relationshipId, assignmentId }], call);
      const acting = plan.filter((p) => p.willAct);
      return {
        tool,
        key,
        confirmation: removeAssignmentConfirmation(plan, { translate: t, groupName: (id) => groups.names?.get(id) }),
        relationshipIds: [relationshipId],
        run: (ctx) =>
          runMutation(
            ctx,
            removeAccessAssignmentStrategy,
            acting.map((p) => ({
              relationshipId: p.relationshipId,
              assignmentId: p.assignmentId,
              ...(p.relationshipName !== null ? { name: p.relationshipName } : {}),
              ...(p.customerTenantId !== null ? { customerTenantId: p.customerTenantId } : {}),
              ...(p.customerName !== null ? { customerName: p.customerName } : {}),
            })),
            { wait: false },
          ),
      };
    }
    case 'gdap_auto_extend': {
      const { on, relationshipIds } = parseToolInput(tool, input);
      requireRelationships(inventory, relationshipIds);
      const strategy = autoExtendStrategy(on);
      const plan = await planMutation({ graph: source.graph, partnerCenter: unusedPartnerCenter }, strategy, relationshipIds, call);
      const acting = plan.filter((p) => p.willAct).map((p) => p.id);
      return {
        tool,
        key,
        confirmation: autoExtendConfirmation(plan, on, t),
        relationshipIds,
        run: (ctx) => runMutation(ctx, strategy, acting, { wait: false }),
      };
    }
  }
}

function unused(): Promise<never> {
  return Promise.reject(new Error('Partner Center is not read by this plan.'));
}
const unusedPartnerCenter = { listCustomers: unused, getCustomer: unused, removeDap: unused };

function planText(change: PreparedChange): Record<string, unknown> {
  return {
    question: change.confirmation.message,
    detail: change.confirmation.detail,
    targets: change.confirmation.items.map((i) => ({ target: i.text, id: i.id, status: i.status, willAct: i.willAct, reason: i.reason })),
    limit: `At most ${MAX_TARGETS_PER_CALL} targets per call.`,
  };
}

/** The answer when the plan acts on nothing: why, per target; nothing is sent and no confirmation is needed. */
export function nothingToDoAnswer(change: PreparedChange): ToolAnswer {
  return answer({ tool: change.tool, sent: false, outcome: 'nothingToDo', plan: planText(change) });
}

/** The answer when the user declined or could not be asked: nothing was sent. */
export function notConfirmedAnswer(change: PreparedChange, why: string): ToolAnswer {
  return answer({ tool: change.tool, sent: false, outcome: 'notConfirmed', why, plan: planText(change) });
}

/** Runs a confirmed change and answers with each target's result. */
export async function applyChange(change: PreparedChange, source: ToolSource, signal?: AbortSignal): Promise<ToolAnswer> {
  const ctx = await source.actionContext(signal);
  const results = await change.run(ctx);
  const names = new Map(change.confirmation.items.map((i) => [i.id.toLowerCase(), i.text]));
  return answer({
    tool: change.tool,
    sent: true,
    results: results.map((r) => ({
      target: names.get(r.id.toLowerCase()) ?? r.name ?? r.id,
      id: r.id,
      outcome: r.outcome,
      status: r.status,
      ...(r.error !== null ? { error: r.error } : {}),
    })),
    note: 'Sent; the service completes the change in the background. gdap_inventory shows the status as it settles.',
  });
}
