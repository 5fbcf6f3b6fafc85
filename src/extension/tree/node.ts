import type * as vscode from 'vscode';
import type { NodeKind } from './contextValue';

/** A tree node owns its children (docs/architecture.md §2.3); the provider only delegates. */
export interface GdapNode {
  /** Stable, from Graph ids: `customer/<tenantId>/relationship/<id>/assignment/<id>` (§2.4). */
  readonly id: string;
  readonly kind: NodeKind;
  readonly parent: GdapNode | undefined;
  /** Cheap: label, description, icon, contextValue and accessible name; no tooltip when it has `tooltip()`. */
  getTreeItem(): vscode.TreeItem;
  /**
   * The hover text, built only when VS Code asks for it (`resolveTreeItem`, on hover): the first level of a
   * large tenant paints thousands of items and few are ever hovered (docs/architecture.md §2.3).
   */
  tooltip?(): string | vscode.MarkdownString;
  getChildren(): Promise<GdapNode[]>;
}
