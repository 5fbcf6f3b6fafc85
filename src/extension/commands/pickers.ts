import * as vscode from 'vscode';
import { GdapError } from '../../core/http/gdapError';
import { removeAssignmentEligibility } from '../../core/actions/strategies/removeAccessAssignment';
import { AssignmentNode } from '../tree/assignmentNode';
import type { CustomerNode } from '../tree/customerNode';
import { RelationshipNode } from '../tree/relationshipNode';
import type { CommandDeps } from './commandDeps';

function cancelled(): GdapError {
  return new GdapError({ kind: 'cancelled', message: vscode.l10n.t('Cancelled.') });
}

/** Palette fallback step 1: a searchable list of customers (loads the inventory if needed). */
export async function pickCustomer(
  deps: CommandDeps,
  title: string,
  accept: (c: CustomerNode) => boolean = () => true,
): Promise<CustomerNode> {
  if (deps.tree.store.current === undefined) {
    await deps.tree.withProgress(() => deps.tree.store.load());
  }
  const customers = deps.tree.allCustomers().filter(accept);
  if (customers.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('No customer has anything this action applies to.'));
    throw cancelled();
  }
  const chosen = await deps.prompts.current.pick(
    customers.map((c) => ({
      label: c.displayName,
      description: c.getTreeItem().description as string | undefined,
      detail: c.tenantId,
      value: c,
    })),
    { title, placeHolder: vscode.l10n.t('Choose a customer (type to search)') },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  return chosen;
}

/**
 * Step 2: a relationship of that customer the action applies to. `accept` is the action's own decision
 * on a status (e.g. `terminateEligibility`), so the list offers exactly what the run would act on.
 */
export async function pickRelationship(
  deps: CommandDeps,
  title: string,
  customer: CustomerNode,
  accept: (status: string) => boolean,
): Promise<RelationshipNode> {
  const nodes = (await customer.getChildren()).filter(
    (n): n is RelationshipNode => n instanceof RelationshipNode && accept(n.relationship.status),
  );
  if (nodes.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('{0} has no relationship this action applies to.', customer.displayName));
    throw cancelled();
  }
  const chosen = await deps.prompts.current.pick(
    nodes.map((n) => ({
      label: n.relationship.displayName,
      description: n.getTreeItem().description as string | undefined,
      detail: n.relationship.roles.map((r) => r.name).join(', '),
      value: n,
    })),
    { title, placeHolder: vscode.l10n.t('Choose a relationship of {0}', customer.displayName) },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  return chosen;
}

/** Step 3: an access assignment of that relationship that removal applies to (the strategy's own decision). */
export async function pickAssignment(deps: CommandDeps, title: string, relationship: RelationshipNode): Promise<AssignmentNode> {
  const nodes = (await relationship.getChildren()).filter(
    (n): n is AssignmentNode => n instanceof AssignmentNode && removeAssignmentEligibility(n.assignment.status).kind === 'act',
  );
  if (nodes.length === 0) {
    await deps.prompts.current.notify('info', vscode.l10n.t('{0} has no active access assignment.', relationship.relationship.displayName));
    throw cancelled();
  }
  const chosen = await deps.prompts.current.pick(
    nodes.map((n) => ({ label: n.groupLabel, description: n.roleNames().join(', '), value: n })),
    { title, placeHolder: vscode.l10n.t('Choose an access assignment') },
  );
  if (chosen === undefined) {
    throw cancelled();
  }
  return chosen;
}

/** The nodes a context-menu command acts on: the multi-selection when it contains the clicked node. */
export function selectedOf<T>(node: unknown, selection: unknown, guard: (n: unknown) => n is T): T[] {
  if (Array.isArray(selection) && selection.some((s) => s === node)) {
    return selection.filter(guard);
  }
  return guard(node) ? [node] : [];
}
