import type { ItemResult } from '../core/actions/actionTypes';
import type { RemoveAssignmentPlanItem, RemoveDapPlanItem, TerminatePlanItem } from '../core/actions/plans';
import { formatResults } from './results';
import { terminalSafe } from './table';

export type MutationCommandName = 'terminate' | 'remove-assignment' | 'remove-dap';

export type MutationPlanItem = TerminatePlanItem | RemoveAssignmentPlanItem | RemoveDapPlanItem;

/** How a target is named to a person: its name, and what it belongs to (customer, relationship). */
export interface TargetLabel {
  readonly name: string | null;
  readonly context: string | null;
}

function isRemoveDapItem(item: MutationPlanItem): item is RemoveDapPlanItem {
  return 'tenantId' in item;
}

function isAssignmentItem(item: MutationPlanItem): item is RemoveAssignmentPlanItem {
  return 'assignmentId' in item;
}

/** Names of the targets as the plan read them, by target id (lower case). */
export function targetLabels(plan: readonly MutationPlanItem[]): Map<string, TargetLabel> {
  const labels = new Map<string, TargetLabel>();
  for (const item of plan) {
    if (isRemoveDapItem(item)) {
      labels.set(item.tenantId.toLowerCase(), { name: item.companyName, context: null });
    } else if (isAssignmentItem(item)) {
      const on = item.relationshipName ?? item.relationshipId;
      const customer = item.customerName ?? item.customerTenantId;
      labels.set(item.id.toLowerCase(), {
        name: item.securityGroupId === null ? null : `security group ${item.securityGroupId}'s access`,
        context: customer === null ? `'${on}'` : `'${on}' (${customer})`,
      });
    } else {
      labels.set(item.id.toLowerCase(), { name: item.name, context: item.customerName ?? item.customerTenantId });
    }
  }
  return labels;
}

/** "'Contoso – Helpdesk' (Contoso Ltd)", "security group …'s access to 'Helpdesk' (Contoso Ltd)", or the bare id. */
function describeTarget(command: MutationCommandName, result: ItemResult, label: TargetLabel | undefined): string {
  if (command === 'remove-assignment') {
    const what = label?.name ?? `access assignment ${result.id}`;
    return label?.context === null || label?.context === undefined ? what : `${what} to ${label.context}`;
  }
  const name = result.name ?? label?.name ?? null;
  if (name === null || name === '') {
    return result.id;
  }
  const context = label?.context ?? null;
  return context === null || context === '' ? `'${name}'` : `'${name}' (${context})`;
}

const WORDS: Record<
  MutationCommandName,
  { done: (status: string | null) => string; already: (status: string | null) => string; failed: string }
> = {
  terminate: {
    // Without waiting, "done" means the termination was requested; the status tells which.
    done: (status) => (status === 'terminated' ? 'Terminated' : 'Termination requested for'),
    already: (status) => (status === 'terminated' ? 'Already terminated' : 'Termination already under way for'),
    failed: 'Failed to terminate',
  },
  'remove-assignment': {
    done: (status) => (status === 'deleted' ? 'Removed' : 'Removal requested for'),
    already: (status) => (status === 'deleted' ? 'Already removed' : 'Removal already under way for'),
    failed: 'Failed to remove',
  },
  'remove-dap': {
    done: () => 'Removed DAP from',
    already: () => 'DAP already off for',
    failed: 'Failed to remove DAP from',
  },
};

/** One line a person reads for one target: "✓ Terminated 'X' (Customer)", "– Skipped …: reason", "✗ Failed …: error". */
export function resultLine(command: MutationCommandName, result: ItemResult, label?: TargetLabel): string {
  const target = describeTarget(command, result, label);
  const words = WORDS[command];
  const why = result.error ?? 'no reason given';
  let line: string;
  switch (result.outcome) {
    case 'done':
      line = `✓ ${words.done(result.status)} ${target}`;
      break;
    case 'alreadyDone':
      line = `✓ ${words.already(result.status)} ${target}`;
      break;
    case 'skipped':
      line = `– Skipped ${target}: ${why}`;
      break;
    case 'failed':
      line = `✗ ${words.failed} ${target}: ${why}`;
      break;
  }
  return terminalSafe(line);
}

/**
 * The results of a mutation as printed on stdout: one line per target (in the order asked) for a person,
 * or the JSON results contract for scripts.
 */
export function renderMutationResults(
  command: MutationCommandName,
  results: readonly ItemResult[],
  order: readonly string[],
  format: 'json' | 'table',
  plan: readonly MutationPlanItem[] = [],
): string {
  if (format === 'json') {
    return formatResults(results, order);
  }
  const rank = new Map(order.map((id, i) => [id.toLowerCase(), i]));
  const labels = targetLabels(plan);
  return [...results]
    .sort((a, b) => (rank.get(a.id.toLowerCase()) ?? order.length) - (rank.get(b.id.toLowerCase()) ?? order.length))
    .map((r) => `${resultLine(command, r, labels.get(r.id.toLowerCase()))}\n`)
    .join('');
}
