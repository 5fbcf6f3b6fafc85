import type { ItemResult } from '../core/actions/actionTypes';
import type { RemoveAssignmentPlanItem, RemoveDapPlanItem, TerminatePlanItem } from '../core/actions/plans';
import { formatResults } from './results';
import { terminalSafe } from './table';

export type MutationCommandName =
  | 'terminate'
  | 'remove-assignment'
  | 'remove-dap'
  | 'auto-extend on'
  | 'auto-extend off'
  | 'remove-ga'
  | 'make-renewable'
  | 'renew'
  | 'create'
  | 'lock'
  | 'delete'
  | 'assign'
  | 'set-roles'
  | 'grant-planned';

/**
 * What a plan item may say about its target, whatever the command: every plan item type of the mutating
 * commands fits this shape (relationship items, access assignment items, DAP items, grants).
 */
export interface LabelledPlanItem {
  readonly id?: string;
  readonly name?: string | null;
  readonly tenantId?: string;
  readonly companyName?: string | null;
  readonly relationshipId?: string;
  readonly relationshipName?: string | null;
  readonly assignmentId?: string;
  readonly securityGroupId?: string | null;
  readonly groupId?: string | null;
  readonly customerName?: string | null;
  readonly customerTenantId?: string | null;
}

export type MutationPlanItem = TerminatePlanItem | RemoveAssignmentPlanItem | RemoveDapPlanItem | LabelledPlanItem;

/** How a target is named to a person: its name, and what it belongs to (customer, relationship). */
export interface TargetLabel {
  readonly name: string | null;
  readonly context: string | null;
}

/** "'Helpdesk' (Contoso Ltd)", or "'Helpdesk'" when the customer is not known. */
function relationshipContext(item: LabelledPlanItem, relationshipId: string): string {
  const on = item.relationshipName ?? relationshipId;
  const customer = item.customerName ?? item.customerTenantId ?? null;
  return customer === null ? `'${on}'` : `'${on}' (${customer})`;
}

/** The label of one plan item and the result id it goes with, or undefined when it names no target. */
function labelOf(item: LabelledPlanItem): [string, TargetLabel] | undefined {
  if (item.tenantId !== undefined) {
    return [item.tenantId, { name: item.companyName ?? null, context: null }];
  }
  if (item.relationshipId !== undefined && item.assignmentId !== undefined) {
    // Removing or changing an existing assignment: the group's access to a relationship.
    const group = item.securityGroupId ?? item.groupId ?? null;
    return [
      item.id ?? `${item.relationshipId}/${item.assignmentId}`,
      { name: group === null ? null : `security group ${group}'s access`, context: relationshipContext(item, item.relationshipId) },
    ];
  }
  if (item.relationshipId !== undefined && item.groupId !== undefined && item.groupId !== null) {
    // A new assignment: the group given roles on a relationship (its result id names the assignment made).
    return [
      item.id ?? `${item.relationshipId}/${item.groupId}`,
      { name: `security group ${item.groupId}`, context: relationshipContext(item, item.relationshipId) },
    ];
  }
  if (item.id !== undefined) {
    return [item.id, { name: item.name ?? null, context: item.customerName ?? item.customerTenantId ?? null }];
  }
  return undefined;
}

/** Names of the targets as the plan read them, by target id (lower case). */
export function targetLabels(plan: readonly MutationPlanItem[]): Map<string, TargetLabel> {
  const labels = new Map<string, TargetLabel>();
  for (const item of plan) {
    const entry = labelOf(item);
    if (entry !== undefined) {
      labels.set(entry[0].toLowerCase(), entry[1]);
    }
  }
  return labels;
}

interface Words {
  readonly done: (status: string | null) => string;
  readonly already: (status: string | null) => string;
  readonly failed: string;
  /** Targets that are a group's access to a relationship: named "<group> to <relationship>", else by "<noun> <id>". */
  readonly access?: { readonly noun: string };
}

const fixed =
  (word: string): ((status: string | null) => string) =>
  () =>
    word;

const WORDS: Record<MutationCommandName, Words> = {
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
    access: { noun: 'access assignment' },
  },
  'remove-dap': {
    done: fixed('Removed DAP from'),
    already: fixed('DAP already off for'),
    failed: 'Failed to remove DAP from',
  },
  'auto-extend on': {
    done: fixed('Turned auto-extend on for'),
    already: fixed('Auto-extend already on for'),
    failed: 'Failed to turn auto-extend on for',
  },
  'auto-extend off': {
    done: fixed('Turned auto-extend off for'),
    already: fixed('Auto-extend already off for'),
    failed: 'Failed to turn auto-extend off for',
  },
  'remove-ga': {
    done: fixed('Removed Global Administrator from'),
    already: fixed('Global Administrator already gone from'),
    failed: 'Failed to remove Global Administrator from',
  },
  'make-renewable': {
    done: fixed('Made renewable:'),
    already: fixed('Already renewable:'),
    failed: 'Failed to make renewable:',
  },
  renew: {
    done: fixed('Renewed'),
    already: fixed('Renewal already created for'),
    failed: 'Failed to renew',
  },
  create: {
    done: (status) => (status === 'created' ? 'Created draft' : 'Created'),
    already: fixed('Already created:'),
    failed: 'Failed to create',
  },
  lock: {
    done: fixed('Locked for approval:'),
    already: fixed('Already locked for approval:'),
    failed: 'Failed to lock',
  },
  delete: {
    done: fixed('Deleted draft'),
    already: fixed('Already deleted:'),
    failed: 'Failed to delete',
  },
  assign: {
    done: fixed('Assigned'),
    already: fixed('Already assigned:'),
    failed: 'Failed to assign',
    access: { noun: 'security group access' },
  },
  'set-roles': {
    done: fixed('Set the roles of'),
    already: fixed('Roles already set for'),
    failed: 'Failed to set the roles of',
    access: { noun: 'access assignment' },
  },
  'grant-planned': {
    done: fixed('Granted'),
    already: fixed('Already granted:'),
    failed: 'Failed to grant',
    access: { noun: 'planned assignment' },
  },
};

/** "'Contoso – Helpdesk' (Contoso Ltd)", "security group …'s access to 'Helpdesk' (Contoso Ltd)", or the bare id. */
function describeTarget(command: MutationCommandName, result: ItemResult, label: TargetLabel | undefined): string {
  const access = WORDS[command].access;
  if (access !== undefined) {
    const what = label?.name ?? `${access.noun} ${result.id}`;
    return label?.context === null || label?.context === undefined ? what : `${what} to ${label.context}`;
  }
  const name = result.name ?? label?.name ?? null;
  if (name === null || name === '') {
    return result.id;
  }
  const context = label?.context ?? null;
  return context === null || context === '' ? `'${name}'` : `'${name}' (${context})`;
}

/**
 * One line a person reads for one target: "✓ Terminated 'X' (Customer)", "– Skipped …: reason", "✗ Failed …: error".
 * `detail` follows a success (e.g. where the customer approves).
 */
export function resultLine(command: MutationCommandName, result: ItemResult, label?: TargetLabel, detail?: string): string {
  const target = describeTarget(command, result, label);
  const words = WORDS[command];
  const why = result.error ?? 'no reason given';
  let line: string;
  switch (result.outcome) {
    case 'done':
      line = `✓ ${words.done(result.status)} ${target}${detail !== undefined ? ` — ${detail}` : ''}`;
      break;
    case 'alreadyDone':
      line = `✓ ${words.already(result.status)} ${target}${detail !== undefined ? ` — ${detail}` : ''}`;
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
 * or the JSON results contract for scripts. `details` (by target id) adds what a person needs next to a success.
 */
export function renderMutationResults(
  command: MutationCommandName,
  results: readonly ItemResult[],
  order: readonly string[],
  format: 'json' | 'table',
  plan: readonly MutationPlanItem[] = [],
  details: ReadonlyMap<string, string> = new Map(),
): string {
  if (format === 'json') {
    return formatResults(results, order);
  }
  const rank = new Map(order.map((id, i) => [id.toLowerCase(), i]));
  const labels = targetLabels(plan);
  const detailOf = new Map([...details].map(([id, text]) => [id.toLowerCase(), text]));
  return [...results]
    .sort((a, b) => (rank.get(a.id.toLowerCase()) ?? order.length) - (rank.get(b.id.toLowerCase()) ?? order.length))
    .map((r) => `${resultLine(command, r, labels.get(r.id.toLowerCase()), detailOf.get(r.id.toLowerCase()))}\n`)
    .join('');
}
