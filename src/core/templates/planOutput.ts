import { formatMessage, type Translate } from '../actions/confirmations';
import { translated } from '../messages';
import type { TemplateApplyItem } from './applyTemplate';
import type { TemplateChange, TemplateDrift, TemplatePlan } from './planner';

/*
 * The plan as the CLI prints it and CI reads it (docs/templates.md): one shape for `gdap plan`, `gdap apply
 * --dry-run` and the extension's "copy as JSON". What apply needs internally (`operation`) stays out.
 */

export interface ChangeJson {
  readonly action: TemplateChange['action'];
  readonly customerTenantId: string;
  readonly customerName: string | null;
  readonly entry: string;
  readonly relationshipId: string | null;
  readonly groupId: string | null;
  readonly assignmentId?: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string | null;
  readonly successorOf?: string;
  readonly lostRoles?: readonly string[];
  readonly warning?: string;
}

export function changeJson(c: TemplateChange): ChangeJson {
  // The messages for a translating face stay out of the JSON, like the reasons of the mutation plans.
  const { operation: _operation, reasonMessage: _reasonMessage, warningMessage: _warningMessage, ...rest } = c;
  return rest;
}

export type DriftJson = Omit<TemplateDrift, 'messageCode'>;

export function driftJson(d: TemplateDrift): DriftJson {
  // Like a change's messages, the drift's code stays out of the JSON: its English `message` is the text.
  const { messageCode: _messageCode, ...rest } = d;
  return rest;
}

export interface PlanJson {
  readonly changes: readonly ChangeJson[];
  readonly summary: TemplatePlan['summary'];
  readonly blocked: number;
  readonly drift: readonly DriftJson[];
  readonly waiting: TemplatePlan['waiting'];
}

export function planJson(plan: TemplatePlan): PlanJson {
  return {
    changes: plan.changes.map(changeJson),
    summary: plan.summary,
    blocked: plan.blocked,
    drift: plan.drift.map(driftJson),
    waiting: plan.waiting,
  };
}

export interface ApplyResultJson extends Pick<ChangeJson, 'action' | 'customerTenantId' | 'relationshipId' | 'groupId' | 'entry'> {
  readonly outcome: TemplateApplyItem['outcome'];
  readonly status: string | null;
  readonly error: string | null;
  readonly createdRelationshipId?: string;
}

export function applyResultJson(item: TemplateApplyItem): ApplyResultJson {
  const c = item.change;
  return {
    action: c.action,
    customerTenantId: c.customerTenantId,
    entry: c.entry,
    relationshipId: c.relationshipId,
    groupId: c.groupId,
    outcome: item.outcome,
    status: item.status,
    error: item.error,
    ...(item.createdRelationshipId !== undefined ? { createdRelationshipId: item.createdRelationshipId } : {}),
  };
}

/** One action's count in a face's words; the English is the action's code, as the CLI always printed it. */
function actionCount(action: string, n: number, t: Translate): string {
  switch (action) {
    case 'create':
      return t('create {0}', n);
    case 'removeGa':
      return t('removeGa {0}', n);
    case 'autoExtendOn':
      return t('autoExtendOn {0}', n);
    case 'autoExtendOff':
      return t('autoExtendOff {0}', n);
    case 'setRoles':
      return t('setRoles {0}', n);
    case 'assign':
      return t('assign {0}', n);
    case 'unassign':
      return t('unassign {0}', n);
    default:
      return `${action} ${n}`;
  }
}

/** "create 2, assign 5"; the extension passes `vscode.l10n.t` as `t`, the CLI leaves it English. */
export function summaryText(summary: TemplatePlan['summary'], t: Translate = formatMessage): string {
  return Object.entries(summary)
    .map(([action, n]) => actionCount(action, n, t))
    .join(', ');
}

type ChangeText = TemplateChange | ChangeJson;

/** What one change does, in a face's words. */
function changeWhat(c: ChangeText, t: Translate): string {
  const roles = (v: unknown): string => {
    const list = v !== null && typeof v === 'object' && 'roles' in v ? v.roles : undefined;
    return Array.isArray(list) ? list.map(String).join(', ') || t('no roles') : t('no roles');
  };
  const text = (v: unknown): string => (typeof v === 'string' ? v : t('off'));
  switch (c.action) {
    case 'create': {
      const after = c.after as { name: string | null; roles: string[] } | null;
      const name = after?.name ?? '?';
      const list = after?.roles.join(', ') ?? '?';
      return c.successorOf !== undefined
        ? t('create "{0}" with {1} (successor of {2})', name, list, c.successorOf)
        : t('create "{0}" with {1}', name, list);
    }
    case 'assign':
      return t('assign group {0}: {1}', c.groupId ?? '?', roles(c.after));
    case 'setRoles':
      return t('set roles of group {0}: {1} → {2}', c.groupId ?? '?', roles(c.before), roles(c.after));
    case 'unassign':
      return t('remove group {0} ({1})', c.groupId ?? '?', roles(c.before));
    case 'removeGa':
      return t('remove Global Administrator');
    default:
      return t('auto-extend {0} → {1}', text(c.before), text(c.after));
  }
}

/** One line per change for a person: what, where, from → to; in English unless a face passes its `t`. */
export function changeLine(c: ChangeText, t: Translate = formatMessage): string {
  const who = c.customerName !== null ? `${c.customerName} (${c.customerTenantId})` : c.customerTenantId;
  const what = changeWhat(c, t);
  const where = c.relationshipId !== null ? t('{0} on {1}', what, c.relationshipId) : what;
  const head = `[${c.entry}] ${who}: ${where}`;
  const reasonMessage = 'reasonMessage' in c ? c.reasonMessage : undefined;
  const warningMessage = 'warningMessage' in c ? c.warningMessage : undefined;
  if (c.reason !== null) {
    return t('{0} — cannot: {1}', head, reasonMessage ? translated(reasonMessage, t) : c.reason);
  }
  if (c.warning !== undefined) {
    return `${head} — ${warningMessage ? translated(warningMessage, t) : c.warning}`;
  }
  return head;
}

/**
 * One line per extra assignment left in place: entry, customer, group and roles, relationship, and why; in
 * English (as `gdap plan` prints it after "  ? ") unless a face passes its `t`.
 */
export function driftLine(d: TemplateDrift | DriftJson, t: Translate = formatMessage): string {
  const what = t('{0} on {1}', t('group {0} ({1})', d.groupId, d.roles.join(', ')), d.relationshipId);
  const why = 'messageCode' in d ? translated(d.messageCode, t) : d.message;
  return `[${d.entry}] ${d.customerTenantId}: ${what} — ${why}`;
}
