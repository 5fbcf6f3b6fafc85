import * as vscode from 'vscode';
import type { InventoryCustomer, InventoryRelationship } from '../../core/actions/inventory';
import { contextValue } from './contextValue';
import type { GdapNode } from './node';
import { customerAccessibility, customerDescription, customerTooltip } from './presentation';
import { RelationshipNode } from './relationshipNode';
import type { TreeContext } from './treeContext';
import { lowerNeedle, relationshipMatches } from './treeFilter';

export class CustomerNode implements GdapNode {
  readonly kind = 'customer';
  readonly parent = undefined;
  readonly id: string;

  constructor(
    private readonly ctx: TreeContext,
    public customer: InventoryCustomer,
  ) {
    this.id = `customer/${customer.tenantId}`;
  }

  /** The store's current data for this customer (updated in place after an action), else the snapshot. */
  private get data(): InventoryCustomer {
    return this.ctx.store.findCustomer(this.customer.tenantId) ?? this.customer;
  }

  get tenantId(): string {
    return this.customer.tenantId;
  }

  get displayName(): string {
    return this.data.displayName || this.data.tenantId;
  }

  hasActiveGdap(): boolean {
    return this.data.relationships.some((r) => r.status === 'active');
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.data;
    const item = new vscode.TreeItem(this.displayName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = customerDescription(c.relationships, this.ctx.now(), this.ctx.settings().expiryWarningDays);
    item.iconPath = new vscode.ThemeIcon('organization');
    const dap = this.ctx.store.dapState(c.tenantId);
    item.accessibilityInformation = customerAccessibility(this.displayName, item.description, dap);
    item.contextValue = contextValue(
      'customer',
      dap === undefined ? 'dap.unknown' : dap ? 'dap.on' : 'dap.off',
      this.hasActiveGdap() && 'gdap.active',
    );
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const c = this.data;
    return customerTooltip(this.displayName, c, this.ctx.store.dapState(c.tenantId), this.ctx.now());
  }

  visibleRelationships(): InventoryRelationship[] {
    const f = this.ctx.filter();
    const customerHit = f.text !== '' && this.displayName.toLocaleLowerCase().includes(lowerNeedle(f.text));
    return this.data.relationships.filter((r) =>
      relationshipMatches(r, customerHit ? { ...f, text: '' } : f, this.ctx.now(), this.ctx.settings().expiryWarningDays),
    );
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
