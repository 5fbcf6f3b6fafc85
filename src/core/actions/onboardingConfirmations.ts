import { durationDays } from '../graph/preconditions';
import {
  composeConfirmation,
  distinct,
  formatMessage,
  reasonText,
  roleList,
  unique,
  type Confirmation,
  type ConfirmationItem,
  type ConfirmationOptions,
  type Translate,
} from './confirmations';
import type { AssignPlanItem } from './strategies/createAccessAssignment';
import type { CreatePlanItem } from './strategies/createRelationship';
import type { DeleteDraftPlanItem } from './strategies/deleteDraft';
import type { LockPlanItem } from './strategies/lockForApproval';
import type { SetRolesPlanItem } from './strategies/setAssignmentRoles';

/*
 * Confirmations of the grant side (docs/onboarding.md): create, lock for approval, delete a draft, assign
 * a group, change an assignment's roles. Built from plan items with the building blocks of
 * confirmations.ts, so the extension's modal shows exactly what the run will do; a message for one target
 * and another for several, names rather than ids.
 */

export interface CreateConfirmationOptions extends ConfirmationOptions {
  /** Lock for approval right after creating (the default of the form and of `gdap create`). */
  readonly lock: boolean;
  /** Planned group assignments kept until the customer approves. */
  readonly plannedAssignments?: number;
}

function durationText(duration: string, t: Translate): string {
  const days = durationDays(duration);
  return days === undefined ? duration : t('{0} days', days);
}

export function createConfirmation(plan: readonly CreatePlanItem[], options: CreateConfirmationOptions): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => p.name.toLowerCase());
  const customerOf = (p: CreatePlanItem): string => p.customerName ?? p.customerTenantId ?? t('any customer');
  const items = all.map((p): ConfirmationItem => ({
    id: p.name,
    willAct: p.willAct,
    text: `${p.name} (${customerOf(p)}): ${roleList(p.roles, t)}`,
    status: null,
    reason: reasonText(p, t),
  }));
  const one = all.find((p) => p.willAct);
  const consequence: string[] = [];
  if (one !== undefined) {
    consequence.push(
      t('Duration: {0}', durationText(one.duration, t)),
      one.autoExtendDuration !== null ? t('Auto-extend: every 180 days') : t('Auto-extend: off'),
      t('Roles: {0}', roleList(one.roles, t)),
    );
    if (one.roles.some((r) => r.privileged === true)) {
      consequence.push(t('Privileged roles are requested: the customer sees them before approving.'));
    }
    consequence.push(
      '',
      options.lock
        ? t('The relationship is created and locked for approval; then the customer approval link is ready to send.')
        : t('The relationship is created as a draft; lock it for approval when it is ready.'),
    );
    const planned = options.plannedAssignments ?? 0;
    if (planned > 0) {
      consequence.push(
        planned === 1
          ? t('1 group assignment is kept and granted after the customer approves.')
          : t('{0} group assignments are kept and granted after the customer approves.', planned),
      );
    }
  }
  return composeConfirmation(
    items,
    {
      message:
        one === undefined
          ? t('Nothing can be created.')
          : one.customerTenantId === null
            ? t('Create the GDAP relationship "{0}" for any customer?', one.name)
            : t('Create the GDAP relationship "{0}" with {1}?', one.name, customerOf(one)),
      consequence,
      listing: [],
      confirmLabel: t('Create'),
      typeToConfirm: one?.name ?? '',
    },
    t,
  );
}

/** The items of a lock or delete-draft confirmation (one per relationship, by name), what acts, and the one when alone. */
function draftItems<P extends LockPlanItem | DeleteDraftPlanItem>(
  plan: readonly P[],
  t: Translate,
): { items: ConfirmationItem[]; acting: P[]; one: P | undefined } {
  const all = unique(plan, (p) => p.id);
  const items = all.map((p): ConfirmationItem => ({
    id: p.id,
    willAct: p.willAct,
    text: p.name ?? p.id,
    status: p.status,
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  return { items, acting, one: acting.length === 1 ? acting[0] : undefined };
}

export function lockConfirmation(plan: readonly LockPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const { items, acting, one } = draftItems(plan, t);
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Lock the relationship "{0}" for approval?', one.name ?? one.id)
          : t('Lock {0} relationships for approval?', acting.length),
      consequence: [
        t('Its roles and duration can no longer be changed; the customer approval link becomes valid and is valid for 90 days.'),
      ],
      listing: one !== undefined ? [] : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)],
      confirmLabel: t('Lock for Approval'),
      typeToConfirm: one !== undefined ? (one.name ?? one.id) : String(acting.length),
    },
    t,
  );
}

export function deleteDraftConfirmation(plan: readonly DeleteDraftPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const { items, acting, one } = draftItems(plan, t);
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Delete the draft relationship "{0}"?', one.name ?? one.id)
          : t('Delete {0} draft relationships?', acting.length),
      consequence: [t('The draft and its planned group assignments are removed. It was never sent to a customer.')],
      listing: one !== undefined ? [] : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)],
      confirmLabel: t('Delete'),
      typeToConfirm: one !== undefined ? (one.name ?? one.id) : String(acting.length),
    },
    t,
  );
}

function groupText(groupId: string | null, options: ConfirmationOptions, t: Translate): string {
  return groupId === null ? t('an unknown security group') : (options.groupName?.(groupId) ?? t('Security group {0}', groupId));
}

export function assignConfirmation(plan: readonly AssignPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => `${p.relationshipId}/${p.groupId.toLowerCase()}`);
  const items = all.map((p): ConfirmationItem => ({
    id: `${p.relationshipId}/${p.groupId}`,
    willAct: p.willAct,
    text: `${groupText(p.groupId, options, t)} (${p.relationshipName ?? p.relationshipId}): ${roleList(p.roles, t)}`,
    status: p.status,
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  const one = acting.length === 1 ? acting[0] : undefined;
  const relationships = distinct(acting.map((p) => p.relationshipName ?? p.relationshipId));
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Give {0} access through "{1}"?', groupText(one.groupId, options, t), one.relationshipName ?? one.relationshipId)
          : t('Give {0} groups access ({1})?', acting.length, relationships.join(', ')),
      consequence: [t('Members of the group get these roles in the customer tenant once the assignment is active.')],
      listing:
        one !== undefined
          ? ['', t('Roles: {0}', roleList(one.roles, t))]
          : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)],
      confirmLabel: t('Assign'),
      typeToConfirm: String(acting.length),
    },
    t,
  );
}

export function setRolesConfirmation(plan: readonly SetRolesPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => `${p.relationshipId}/${p.assignmentId}`);
  const items = all.map((p): ConfirmationItem => ({
    id: `${p.relationshipId}/${p.assignmentId}`,
    willAct: p.willAct,
    text: `${groupText(p.groupId, options, t)} (${p.relationshipName ?? p.relationshipId}): ${roleList(p.currentRoles, t)} → ${roleList(p.newRoles, t)}`,
    status: p.status,
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  const one = acting.length === 1 ? acting[0] : undefined;
  const lost =
    one === undefined ? [] : one.currentRoles.filter((r) => !one.newRoles.some((n) => n.roleDefinitionId === r.roleDefinitionId));
  const gained =
    one === undefined ? [] : one.newRoles.filter((r) => !one.currentRoles.some((c) => c.roleDefinitionId === r.roleDefinitionId));
  const consequence = [
    options.changedSinceShown === true
      ? t('Someone else changed this assignment while you were asked; this is what it holds now.')
      : t('Members of the group keep only the new roles in the customer tenant.'),
  ];
  const listing =
    one !== undefined
      ? ['', t('Roles added: {0}', roleList(gained, t)), t('Roles removed: {0}', roleList(lost, t))]
      : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Change the roles of {0} in "{1}"?', groupText(one.groupId, options, t), one.relationshipName ?? one.relationshipId)
          : t('Change the roles of {0} access assignments?', acting.length),
      consequence,
      listing,
      confirmLabel: t('Change Roles'),
      typeToConfirm: String(acting.length),
    },
    t,
  );
}
