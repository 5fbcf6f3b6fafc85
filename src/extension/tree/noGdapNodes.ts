import * as vscode from 'vscode';
import { contextValue, type NodeKind } from './contextValue';
import { CustomerNode, DAP_ON_ICON } from './customerNode';
import { MessageNode } from './messageNode';
import type { NoGdapCustomer, PartnerCenterProblem } from './noGdap';
import type { GdapNode } from './node';
import { count, dapFacet, noGdapCustomerAccessibility, noGdapCustomerTooltip, withDapSuffix } from './presentation';
import type { TreeContext } from './treeContext';

/*
 * The "No GDAP" group at the end of the first level (docs/access.md "In VS Code"): Partner Center customers
 * without any GDAP relationship, read in the background. Collapsed, so it never pushes the customers down.
 */

export const NO_GDAP_GROUP_ID = 'nogdap';

/** What the group shows: the customers (already filtered), or why Partner Center could not be read. */
export type NoGdapContent =
  | { readonly kind: 'customers'; readonly customers: readonly NoGdapCustomer[] }
  | { readonly kind: 'failed'; readonly problem: PartnerCenterProblem; readonly detail: string };

const GROUP_ICON = new vscode.ThemeIcon('circle-slash');
const CUSTOMER_ICON = new vscode.ThemeIcon('organization');

/** What to do about a Partner Center failure, in one line (the group's message node). */
export function problemText(problem: PartnerCenterProblem, detail: string): string {
  switch (problem) {
    case 'signIn':
      return vscode.l10n.t('Partner Center could not be read: sign in again (GDAP: Sign In) to grant Partner Center access, then refresh.');
    case 'mfa':
      return vscode.l10n.t('Partner Center requires multi-factor authentication: sign out, sign in again completing MFA, then refresh.');
    case 'forbidden':
      return vscode.l10n.t(
        'Partner Center refused access: the account needs a Partner Center role such as Admin agent. Turn off gdap.partnerCenter.enabled to hide this group.',
      );
    case 'unreachable':
      return vscode.l10n.t('Partner Center could not be reached ({0}). Click to retry.', detail);
    case 'other':
      return vscode.l10n.t('Partner Center could not be read ({0}). Click to retry.', detail);
  }
}

export class NoGdapGroupNode implements GdapNode {
  readonly kind: NodeKind = 'noGdapGroup';
  readonly parent = undefined;
  readonly id = NO_GDAP_GROUP_ID;

  constructor(
    private readonly ctx: TreeContext,
    public content: NoGdapContent,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('No GDAP'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = GROUP_ICON;
    item.contextValue = contextValue('noGdapGroup', this.content.kind === 'failed' && 'failed');
    if (this.content.kind === 'customers') {
      const n = this.content.customers.length;
      item.description = n === 1 ? vscode.l10n.t('1 customer') : vscode.l10n.t('{0} customers', count(n));
      item.tooltip = vscode.l10n.t('Partner Center customers without any GDAP relationship.');
      item.accessibilityInformation = {
        label:
          n === 1
            ? vscode.l10n.t('No GDAP: 1 customer without any GDAP relationship')
            : vscode.l10n.t('No GDAP: {0} customers without any GDAP relationship', count(n)),
      };
    } else {
      item.description = vscode.l10n.t('Partner Center could not be read');
      item.tooltip = problemText(this.content.problem, this.content.detail);
      item.accessibilityInformation = { label: vscode.l10n.t('No GDAP: Partner Center could not be read') };
    }
    return item;
  }

  getChildren(): Promise<GdapNode[]> {
    const content = this.content;
    if (content.kind === 'failed') {
      return Promise.resolve([new MessageNode(this, 'error', problemText(content.problem, content.detail), this)]);
    }
    return Promise.resolve(
      content.customers.map((c) =>
        this.ctx.intern(
          `${NO_GDAP_GROUP_ID}/${c.tenantId}`,
          () => new NoGdapCustomerNode(this.ctx, c, this),
          (n) => (n.entry = c),
        ),
      ),
    );
  }
}

/** A Partner Center customer without GDAP: no children; Remove DAP and New Relationship are offered. */
export class NoGdapCustomerNode extends CustomerNode {
  override readonly kind: NodeKind = 'noGdapCustomer';
  override readonly parent: GdapNode;

  constructor(
    ctx: TreeContext,
    public entry: NoGdapCustomer,
    parent: NoGdapGroupNode,
  ) {
    super(ctx, { tenantId: entry.tenantId, displayName: entry.name, relationships: [] }, NO_GDAP_GROUP_ID);
    this.parent = parent;
  }

  override get displayName(): string {
    return this.entry.name;
  }

  override getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const dap = this.ctx.store.dapState(e.tenantId);
    item.description = withDapSuffix(e.domain ?? '', dap);
    item.iconPath = dap === true ? DAP_ON_ICON : CUSTOMER_ICON;
    item.accessibilityInformation = noGdapCustomerAccessibility(e.name, e.domain, dap);
    item.contextValue = contextValue('noGdapCustomer', dapFacet(dap));
    return item;
  }

  override tooltip(): vscode.MarkdownString {
    const e = this.entry;
    return noGdapCustomerTooltip(e.name, e.domain, e.tenantId, this.ctx.store.dapState(e.tenantId));
  }

  override getChildren(): Promise<GdapNode[]> {
    return Promise.resolve([]);
  }
}
