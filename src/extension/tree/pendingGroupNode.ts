import * as vscode from 'vscode';
import type { InventoryRelationship } from '../../core/actions/inventory';
import { contextValue } from './contextValue';
import type { GdapNode } from './node';
import { count } from './presentation';
import { RelationshipNode } from './relationshipNode';
import type { TreeContext } from './treeContext';
import { relationshipMatches } from './treeFilter';

/** Relationships created for approval by any customer: no customer tenant yet. */
export class PendingGroupNode implements GdapNode {
  readonly kind = 'pendingGroup';
  readonly parent = undefined;
  readonly id = 'pending';

  constructor(
    private readonly ctx: TreeContext,
    public relationships: readonly InventoryRelationship[],
  ) {}

  visibleRelationships(): InventoryRelationship[] {
    return (this.ctx.store.current?.pendingRelationships ?? this.relationships).filter((r) =>
      relationshipMatches(r, this.ctx.filter(), this.ctx.now(), this.ctx.settings().expiryWarningDays),
    );
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Pending invitations'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const n = this.visibleRelationships().length;
    item.description = n === 1 ? vscode.l10n.t('1 relationship') : vscode.l10n.t('{0} relationships', count(n));
    item.iconPath = new vscode.ThemeIcon('mail');
    item.tooltip = vscode.l10n.t('Relationships waiting for a customer to approve them (no customer tenant yet).');
    item.contextValue = contextValue('pendingGroup');
    return item;
  }

  getChildren(): Promise<GdapNode[]> {
    return Promise.resolve(
      this.visibleRelationships().map((r) =>
        this.ctx.intern(
          `${this.id}/relationship/${r.id}`,
          () => new RelationshipNode(this.ctx, this, r),
          (n) => (n.relationship = r),
        ),
      ),
    );
  }
}
