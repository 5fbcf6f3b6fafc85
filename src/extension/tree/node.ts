import type * as vscode from 'vscode';
import type { NodeKind } from './contextValue';

/** A tree node owns its children (docs/architecture.md §2.3); the provider only delegates. */
export interface GdapNode {
  /** Stable, from Graph ids: `customer/<tenantId>/relationship/<id>/assignment/<id>` (§2.4). */
  readonly id: string;
  readonly kind: NodeKind;
  readonly parent: GdapNode | undefined;
  getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<GdapNode[]>;
}
