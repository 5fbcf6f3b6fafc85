import * as vscode from 'vscode';
import type { ItemResult } from '../../core/actions/actionTypes';
import type { PlannedAssignment } from '../../core/actions/plannedAssignments';
import { assignConfirmation, setRolesConfirmation } from '../../core/actions/onboardingConfirmations';
import { createAccessAssignmentStrategy, type AssignTarget } from '../../core/actions/strategies/createAccessAssignment';
import { setAssignmentRolesStrategy, type SetRolesTarget } from '../../core/actions/strategies/setAssignmentRoles';
import { resolveRole } from '../../core/roles/roleLookup';
import type { CommandDeps } from '../commands/commandDeps';
import { l10nTranslate } from '../commands/mutationProgress';
import { runExtensionMutation, waitingWords } from '../commands/strategyRun';
import { AssignmentNode } from '../tree/assignmentNode';
import { RelationshipNode, relationshipNodeId } from '../tree/relationshipNode';
import { askGroupAndRoles } from './newRelationshipForm';
import { cancelled, pickRelationshipOf } from './pick';

const groupNameOf =
  (deps: CommandDeps) =>
  (id: string): string | undefined =>
    deps.settings().resolveGroupNames ? deps.tree.store.groupName(id) : undefined;

/**
 * Reloads one relationship's assignments in the tree: its node when the tree has one (its assignments read
 * again when shown; nothing else is read), else the whole tree.
 */
async function refreshAssignments(deps: CommandDeps, relationshipId: string): Promise<void> {
  deps.tree.store.invalidateAssignments(relationshipId);
  const relationship = deps.tree.store.findRelationship(relationshipId);
  await deps.tree.refresh(relationship === undefined ? undefined : deps.tree.findNode(relationshipNodeId(relationship)));
}

/**
 * Grants group assignments on the pipeline (waits until each is `active`). Used by "Add Access
 * Assignment…" and by "Grant Planned Assignments", whose granted ones are then dropped from the plan.
 */
export async function grantAssignments(
  deps: CommandDeps,
  relationship: { readonly id: string; readonly displayName: string },
  assignments: readonly PlannedAssignment[],
  title: string,
): Promise<ItemResult[]> {
  const targets = assignments.map((p): AssignTarget => ({
    relationshipId: relationship.id,
    groupId: p.groupId,
    roleDefinitionIds: p.roleDefinitionIds,
  }));
  const groupName = groupNameOf(deps);
  const strategy = createAccessAssignmentStrategy();
  return runExtensionMutation(deps, {
    title,
    strategy,
    targets,
    confirmation: (plan) => assignConfirmation(plan, { translate: l10nTranslate, groupName }),
    logName: 'Assign group',
    words: waitingWords(
      (name) => vscode.l10n.t('{0}: waiting for the assignment to become active', name),
      (name, i, n) => vscode.l10n.t('{0}: waiting for the assignment to become active ({1} of {2})', name, i, n),
    ),
    name: (p) => groupName(p.groupId) ?? vscode.l10n.t('Security group {0}', p.groupId),
    afterRun: () => refreshAssignments(deps, relationship.id),
  });
}

/** GDAP: Add Access Assignment… — on an active relationship: a group and a subset of its roles. */
export async function addAccessAssignmentCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const title = vscode.l10n.t('Add Access Assignment');
  const relationship =
    node instanceof RelationshipNode ? node.relationship : await pickRelationshipOf(deps, title, (r) => r.status === 'active');
  const ui = deps.prompts.current.steps;
  if (ui === undefined) {
    throw new Error('This prompt layer cannot show a multi-step form.');
  }
  const roles = relationship.roles.map((r) => r.roleDefinitionId);
  const existing = (deps.tree.store.cachedAssignments(relationship.id) ?? [])
    .filter((a) => a.status !== 'deleted')
    .map((a) => a.accessContainer.accessContainerId);
  const chosen = await askGroupAndRoles(deps, ui, { title, step: 1, totalSteps: 1 }, roles, existing);
  if (chosen === undefined) {
    throw cancelled();
  }
  await grantAssignments(deps, relationship, [chosen], title);
}

/** GDAP: Change Roles… — on an active access assignment: `PATCH` with `If-Match`, then the operation. */
export async function changeRolesCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  if (!(node instanceof AssignmentNode)) {
    return;
  }
  const title = vscode.l10n.t('Change Roles');
  const held = node.parent.relationship.roles.map((r) => r.roleDefinitionId);
  const current = node.assignment.roles.map((r) => r.roleDefinitionId);
  const chosen = await deps.prompts.current.pickMany(
    held.map((id) => ({
      label: resolveRole(id).name,
      description: current.includes(id) ? vscode.l10n.t('current') : undefined,
      value: id,
    })),
    { title, placeHolder: vscode.l10n.t("Roles of {0} (among the relationship's roles)", node.groupLabel) },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  if (chosen.length === 0) {
    await deps.prompts.current.notify(
      'warning',
      vscode.l10n.t('Choose at least one role; to take all access away, remove the assignment.'),
    );
    return;
  }
  const target: SetRolesTarget = { relationshipId: node.relationshipId, assignmentId: node.assignment.id, roleDefinitionIds: chosen };
  const groupName = groupNameOf(deps);
  await runExtensionMutation(deps, {
    title,
    strategy: setAssignmentRolesStrategy,
    targets: [target],
    confirmation: (plan, changedSinceShown) => setRolesConfirmation(plan, { translate: l10nTranslate, groupName, changedSinceShown }),
    logName: 'Change roles',
    words: waitingWords(
      (name) => vscode.l10n.t('{0}: waiting for Microsoft to change the roles', name),
      (name, i, n) => vscode.l10n.t('{0}: waiting for Microsoft to change the roles ({1} of {2})', name, i, n),
    ),
    name: () => node.groupLabel,
    busy: { label: vscode.l10n.t('Changing roles…'), nodeIds: () => [node.id] },
    afterRun: () => refreshAssignments(deps, node.relationshipId),
  });
}

/**
 * Grants the planned assignments of an active relationship; granted (or already present) ones leave the
 * plan, failed or skipped ones stay for another try (docs/onboarding.md §8).
 */
export async function grantPlannedFor(
  deps: CommandDeps,
  relationship: { readonly id: string; readonly displayName: string },
): Promise<void> {
  const planned = await deps.onboarding.planned.get(relationship.id);
  if (planned.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('No group assignment is planned for "{0}".', relationship.displayName));
    return;
  }
  const results = await grantAssignments(deps, relationship, planned, vscode.l10n.t('Grant Planned Assignments'));
  if (results.length === 0) {
    return;
  }
  const settled = new Set(
    results.filter((r) => r.outcome === 'done' || r.outcome === 'alreadyDone').map((r) => r.id.split('/').pop()?.toLowerCase()),
  );
  await deps.onboarding.planned.set(
    relationship.id,
    planned.filter((p) => !settled.has(p.groupId.toLowerCase())),
  );
}

/** GDAP: Grant Planned Assignments — on an active relationship with a plan. */
export async function grantPlannedCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const title = vscode.l10n.t('Grant Planned Assignments');
  const planned = new Set(deps.onboarding.planned.relationshipIds());
  const relationship =
    node instanceof RelationshipNode
      ? node.relationship
      : await pickRelationshipOf(deps, title, (r) => r.status === 'active' && planned.has(r.id));
  await grantPlannedFor(deps, relationship);
}
