import * as vscode from 'vscode';
import type { InventoryRole } from '../../core/actions/inventory';
import { contextValue } from './contextValue';
import type { GdapNode } from './node';
import { roleAccessibility } from './presentation';

/** One Entra role of a relationship, by name from the role catalog; privileged roles are marked. */
export class RoleNode implements GdapNode {
  readonly kind = 'role';
  readonly id: string;

  constructor(
    readonly parent: GdapNode,
    public role: InventoryRole,
  ) {
    this.id = `${parent.id}/role/${role.roleDefinitionId}`;
  }

  get copyableId(): string {
    return this.role.roleDefinitionId;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.role.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.role.privileged ? vscode.l10n.t('privileged') : undefined;
    item.iconPath = this.role.privileged
      ? new vscode.ThemeIcon('shield', new vscode.ThemeColor('charts.orange'))
      : new vscode.ThemeIcon('key');
    item.accessibilityInformation = roleAccessibility(this.role.name, this.role.privileged);
    item.contextValue = contextValue('role', this.role.privileged && 'privileged');
    return item;
  }

  tooltip(): vscode.MarkdownString {
    return new vscode.MarkdownString(`**${this.role.name}**\n\n${vscode.l10n.t('Role template id')}: \`${this.role.roleDefinitionId}\``);
  }

  getChildren(): Promise<GdapNode[]> {
    return Promise.resolve([]);
  }
}
