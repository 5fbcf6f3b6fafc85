import * as vscode from 'vscode';
import type { InventoryCustomer, InventoryRelationship } from '../../core/actions/inventory';
import { contextValue, type NodeKind } from './contextValue';
import type { GdapNode } from './node';
import { customerAccessibility, customerDescription, customerTooltip, dapFacet, withDapSuffix } from './presentation';
import { RelationshipNode } from './relationshipNode';
import type { TreeContext } from './treeContext';
import { lowerNeedle, relationshipMatches } from './treeFilter';

/** Shared: icons are immutable descriptions, one object serves every customer row. */
export const ORGANIZATION_ICON = new vscode.ThemeIcon('organization');
/** DAP on: the icon tinted as a warning; the description and the accessible name say it in words. */
export const DAP_ON_ICON = new vscode.ThemeIcon('organization', new vscode.ThemeColor('list.warningForeground'));

/**
 * A customer on the first level. The "No GDAP" group's customers are a subclass (kind `noGdapCustomer`),
 * so the commands that take a customer (Remove DAP, New Relationship, Copy Id) take them too.
 */
export class CustomerNode implements GdapNode {
  readonly kind: NodeKind = 'customer';
  readonly parent: GdapNode | undefined = undefined;
  readonly id: string;
  private lowerName: { name: string; lower: string } | undefined;

  constructor(
    protected readonly ctx: TreeContext,
    public customer: InventoryCustomer,
    idPrefix = 'customer',
  ) {
    this.id = `${idPrefix}/${customer.tenantId}`;
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
    // The data, name and clock read once: at 10,000 customers every lookup here is paid per paint.
    const c = this.data;
    const name = c.displayName || c.tenantId;
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const description = customerDescription(c.relationships, this.ctx.now(), this.ctx.settings().expiryWarningDays);
    const dap = this.ctx.store.dapState(c.tenantId);
    item.description = withDapSuffix(description, dap);
    item.iconPath = dap === true ? DAP_ON_ICON : ORGANIZATION_ICON;
    item.accessibilityInformation = customerAccessibility(name, description, dap);
    item.contextValue = contextValue('customer', dapFacet(dap), c.relationships.some((r) => r.status === 'active') && 'gdap.active');
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const c = this.data;
    return customerTooltip(this.displayName, c, this.ctx.store.dapState(c.tenantId), this.ctx.now());
  }

  /** The name contains this lower-cased text; the name is lower-cased once, not per keystroke. */
  nameIncludes(lowerText: string): boolean {
    const name = this.displayName;
    if (this.lowerName?.name !== name) {
      this.lowerName = { name, lower: name.toLocaleLowerCase() };
    }
    return this.lowerName.lower.includes(lowerText);
  }

  visibleRelationships(): readonly InventoryRelationship[] {
    const f = this.ctx.filter();
    const relationships = this.data.relationships;
    if (f.text === '' && f.status === 'all') {
      // No filter (the first paint, a cleared filter): every relationship, without a pass over them.
      return relationships;
    }
    const customerHit = f.text !== '' && this.nameIncludes(lowerNeedle(f.text));
    const applied = customerHit ? { ...f, text: '' } : f;
    const now = this.ctx.now();
    const warningDays = this.ctx.settings().expiryWarningDays;
    return relationships.filter((r) => relationshipMatches(r, applied, now, warningDays));
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
