import * as vscode from 'vscode';
import { approvalLink } from '../../core/actions/relationshipFacts';
import type { Relationship } from '../../core/graph/models';
import type { CommandDeps } from '../commands/commandDeps';
import { RelationshipNode } from '../tree/relationshipNode';

/*
 * The customer approval link (docs/onboarding.md §3) handed on: copied, or put into an e-mail draft. The
 * renewal flow gives its successor relationships the same way, so these are exported.
 */

type Named = Pick<Relationship, 'id' | 'status' | 'displayName'> & { readonly customer?: { readonly displayName?: string | null } | null };

/**
 * A `mailto:` URI with no recipient (the partner chooses who at the customer approves), a subject naming
 * the relationship and a body with the link. Subject and body are percent-encoded (RFC 6068).
 */
export function invitationMailto(relationship: Named, link: string): string {
  const customer = relationship.customer?.displayName ?? '';
  const subject = vscode.l10n.t('Approve delegated admin access: {0}', relationship.displayName);
  const body = [
    customer !== '' ? vscode.l10n.t('Hello {0} admin,', customer) : vscode.l10n.t('Hello,'),
    '',
    vscode.l10n.t(
      'we ask for delegated admin (GDAP) access to your Microsoft 365 tenant through the relationship "{0}".',
      relationship.displayName,
    ),
    vscode.l10n.t('A Global Administrator of your tenant can review the roles and approve it here:'),
    link,
    '',
    vscode.l10n.t('The request lapses if it is not approved within 90 days.'),
  ].join('\r\n');
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

function relationshipOf(node: unknown): RelationshipNode | undefined {
  return node instanceof RelationshipNode ? node : undefined;
}

async function noLink(deps: CommandDeps): Promise<void> {
  await deps.prompts.current.notify('info', vscode.l10n.t('An approval link exists only while the relationship is pending approval.'));
}

/** Copies the approval link of a pending relationship and says so. False when it has none. */
export async function copyApprovalLinkOf(deps: CommandDeps, relationship: Named): Promise<boolean> {
  const link = approvalLink(relationship);
  if (link === null) {
    await noLink(deps);
    return false;
  }
  await vscode.env.clipboard.writeText(link);
  deps.log.info(`Copied the approval link of ${relationship.id}`);
  await deps.prompts.current.notify('info', vscode.l10n.t('Approval link copied. Send it to an admin of the customer.'));
  return true;
}

/** Opens an e-mail draft with the approval link of a pending relationship. False when it has none. */
export async function draftInvitationEmailOf(deps: CommandDeps, relationship: Named): Promise<boolean> {
  const link = approvalLink(relationship);
  if (link === null) {
    await noLink(deps);
    return false;
  }
  const opened = await deps.onboarding.openExternal(invitationMailto(relationship, link));
  deps.log.info(`Invitation e-mail draft for ${relationship.id}: ${opened ? 'opened' : 'not opened'}`);
  return opened;
}

/** GDAP: Draft Invitation E-mail — on a relationship pending approval. */
export async function draftInvitationEmailCommand(deps: CommandDeps, node?: unknown): Promise<void> {
  const r = relationshipOf(node);
  if (r !== undefined) {
    await draftInvitationEmailOf(deps, r.relationship);
  }
}

/**
 * After a relationship reached `approvalPending`: say so and offer the link (copy or e-mail draft). The
 * renewal flow calls this for a successor relationship too.
 */
export async function offerApprovalLink(deps: CommandDeps, relationship: Named): Promise<void> {
  const copy = vscode.l10n.t('Copy Approval Link');
  const email = vscode.l10n.t('Draft Invitation E-mail');
  const choice = await deps.prompts.current.notify(
    'info',
    vscode.l10n.t(
      '"{0}" is waiting for the customer\'s approval. Send the approval link to an admin of the customer.',
      relationship.displayName,
    ),
    copy,
    email,
  );
  if (choice === copy) {
    await copyApprovalLinkOf(deps, relationship);
  } else if (choice === email) {
    await draftInvitationEmailOf(deps, relationship);
  }
}
