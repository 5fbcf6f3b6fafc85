import * as vscode from 'vscode';
import { removeAssignmentEligibility } from '../../core/actions/strategies/removeAccessAssignment';
import type { DomainAccessAssignment } from '../../core/domain/model';
import { contextValue, statusFacet } from './contextValue';
import type { GdapNode } from './node';
import type { RelationshipNode } from './relationshipNode';
import { assignmentAccessibility, formatDate, groupNameNote, humanStatus, md, utcNote } from './presentation';
import type { TreeContext } from './treeContext';

/** An access assignment: a security group and the roles it holds in the customer tenant. */
export class AssignmentNode implements GdapNode {
  readonly kind = 'assignment';
  readonly id: string;

  constructor(
    private readonly ctx: TreeContext,
    readonly parent: RelationshipNode,
    public assignment: DomainAccessAssignment,
  ) {
    this.id = `${parent.id}/assignment/${assignment.id}`;
  }

  get relationshipId(): string {
    return this.parent.relationshipId;
  }

  get groupId(): string {
    return this.assignment.accessContainer.accessContainerId;
  }

  /** The security group's name when it could be resolved (gdap.resolveGroupNames). */
  private get groupName(): string | undefined {
    return this.ctx.settings().resolveGroupNames ? this.ctx.store.groupName(this.groupId) : undefined;
  }

  /** The security group's name when it could be resolved, otherwise its id. */
  get groupLabel(): string {
    return this.groupName ?? vscode.l10n.t('Security group {0}', this.groupId);
  }

  roleNames(): string[] {
    return this.assignment.roles.map((r) => r.name);
  }

  getTreeItem(): vscode.TreeItem {
    const a = this.assignment;
    const busy = this.ctx.store.busyLabel(this.id);
    const item = new vscode.TreeItem(this.groupLabel, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const roles = this.roleNames();
    item.description = busy ?? `${humanStatus(a.status)} · ${roles.join(', ')}`;
    item.accessibilityInformation = assignmentAccessibility(this.groupLabel, item.description, busy !== undefined);
    item.iconPath =
      busy !== undefined
        ? new vscode.ThemeIcon('loading~spin')
        : new vscode.ThemeIcon('organization', a.status === 'active' ? undefined : new vscode.ThemeColor('disabledForeground'));
    item.contextValue = contextValue(
      'assignment',
      statusFacet(busy === undefined ? a.status : 'busy'),
      // The remove menu asks the strategy's own decision, not a copy of it.
      busy === undefined && removeAssignmentEligibility(a.status).kind === 'act' && 'can.remove',
    );
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const a = this.assignment;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${md(this.groupLabel)}**\n\n`);
    tip.appendMarkdown(`- ${vscode.l10n.t('Status')}: ${humanStatus(a.status)}\n`);
    tip.appendMarkdown(`- ${vscode.l10n.t('Customer')}: ${md(this.parent.customerName)}\n`);
    tip.appendMarkdown(`- ${vscode.l10n.t('Security group id')}: \`${this.groupId}\`\n`);
    tip.appendMarkdown(`- ${vscode.l10n.t('Assignment id')}: \`${a.id}\`\n`);
    const created = formatDate(a.createdDateTime);
    if (created !== undefined) {
      tip.appendMarkdown(`- ${vscode.l10n.t('Created')}: ${created}\n`);
    }
    tip.appendMarkdown(`\n${vscode.l10n.t('Roles')}: ${this.roleNames().join(', ')}`);
    if (created !== undefined) {
      tip.appendMarkdown(`\n\n${utcNote()}`);
    }
    if (this.groupName === undefined) {
      groupNameNote(tip, this.ctx.settings().resolveGroupNames);
    }
    return tip;
  }

  getChildren(): Promise<GdapNode[]> {
    return Promise.resolve([]);
  }
}
