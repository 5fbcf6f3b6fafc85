import type { TemplateApplyItem } from './applyTemplate';
import type { TemplateChange, TemplatePlan } from './planner';

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
  const { operation: _operation, ...rest } = c;
  return rest;
}

export interface PlanJson {
  readonly changes: readonly ChangeJson[];
  readonly summary: TemplatePlan['summary'];
  readonly blocked: number;
  readonly drift: TemplatePlan['drift'];
  readonly waiting: TemplatePlan['waiting'];
}

export function planJson(plan: TemplatePlan): PlanJson {
  return { changes: plan.changes.map(changeJson), summary: plan.summary, blocked: plan.blocked, drift: plan.drift, waiting: plan.waiting };
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

/** "create 2, assign 5" */
export function summaryText(summary: TemplatePlan['summary']): string {
  return Object.entries(summary)
    .map(([action, n]) => `${action} ${n}`)
    .join(', ');
}

/** One line per change for a person: what, where, from → to. */
export function changeLine(c: TemplateChange | ChangeJson): string {
  const who = c.customerName !== null ? `${c.customerName} (${c.customerTenantId})` : c.customerTenantId;
  const roles = (v: unknown): string => {
    const list = v !== null && typeof v === 'object' && 'roles' in v ? v.roles : undefined;
    return Array.isArray(list) ? list.map(String).join(', ') || 'no roles' : 'no roles';
  };
  const text = (v: unknown): string => (typeof v === 'string' ? v : 'off');
  let what: string;
  switch (c.action) {
    case 'create': {
      const after = c.after as { name: string | null; roles: string[] } | null;
      what = `create "${after?.name ?? '?'}" with ${after?.roles.join(', ') ?? '?'}${c.successorOf !== undefined ? ` (successor of ${c.successorOf})` : ''}`;
      break;
    }
    case 'assign':
      what = `assign group ${c.groupId ?? '?'}: ${roles(c.after)}`;
      break;
    case 'setRoles':
      what = `set roles of group ${c.groupId ?? '?'}: ${roles(c.before)} → ${roles(c.after)}`;
      break;
    case 'unassign':
      what = `remove group ${c.groupId ?? '?'} (${roles(c.before)})`;
      break;
    case 'removeGa':
      what = 'remove Global Administrator';
      break;
    default:
      what = `auto-extend ${text(c.before)} → ${text(c.after)}`;
  }
  const where = c.relationshipId !== null ? ` on ${c.relationshipId}` : '';
  const tail = c.reason !== null ? ` — cannot: ${c.reason}` : c.warning !== undefined ? ` — ${c.warning}` : '';
  return `[${c.entry}] ${who}: ${what}${where}${tail}`;
}
