import * as vscode from 'vscode';
import { approvalLink } from '../../core/actions/relationshipFacts';
import { PARTNER_CENTER_CUSTOMER_URL } from '../constants';
import { AssignmentNode } from '../tree/assignmentNode';
import { CustomerNode } from '../tree/customerNode';
import { RelationshipNode } from '../tree/relationshipNode';
import { RoleNode } from '../tree/roleNode';
import { withViewProgress } from '../ui/progress';
import type { CommandDeps } from './commandDeps';

/** GDAP: Copy ID — the Graph id of the node (tenant id for a customer). */
export async function copyIdCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const id =
    node instanceof CustomerNode
      ? node.tenantId
      : node instanceof RelationshipNode
        ? node.relationship.id
        : node instanceof AssignmentNode
          ? node.assignment.id
          : node instanceof RoleNode
            ? node.copyableId
            : undefined;
  if (id === undefined) {
    return;
  }
  await vscode.env.clipboard.writeText(id);
  deps.log.info(`Copied id ${id}`);
}

/** GDAP: Copy Customer Approval Link — only for `approvalPending` (docs/api-notes.md §4.2). */
export async function copyApprovalLinkCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  if (!(node instanceof RelationshipNode)) {
    return;
  }
  const link = approvalLink(node.relationship);
  if (link === null) {
    await deps.prompts.current.notify('info', vscode.l10n.t('An approval link exists only while the relationship is pending approval.'));
    return;
  }
  await vscode.env.clipboard.writeText(link);
  await deps.prompts.current.notify('info', vscode.l10n.t('Approval link copied. Send it to an admin of the customer.'));
}

export async function openInPartnerCenterCommand(_deps: CommandDeps, node?: unknown): Promise<void> {
  const tenantId =
    node instanceof CustomerNode ? node.tenantId : node instanceof RelationshipNode ? node.relationship.customer.tenantId : null;
  if (!tenantId) {
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(PARTNER_CENTER_CUSTOMER_URL.replace('{tenantId}', encodeURIComponent(tenantId))));
}

/** GDAP: Show Details (JSON) — the raw resource, freshly read, as a read-only JSON document. */
export async function showDetailsCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const graph = deps.clients().graph;
  let title: string;
  let value: unknown;
  if (node instanceof RelationshipNode) {
    title = node.relationship.displayName;
    value = await withViewProgress(() => graph.getRelationship(node.relationship.id));
  } else if (node instanceof AssignmentNode) {
    title = `${node.parent.relationship.displayName} - ${node.assignment.id}`;
    value = await withViewProgress(() => graph.getAccessAssignment(node.relationshipId, node.assignment.id));
  } else if (node instanceof CustomerNode) {
    title = node.displayName;
    value = await withViewProgress(() => graph.getCustomer(node.tenantId));
  } else {
    return;
  }
  await deps.details.show(title, value);
}
