import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import { parseApiDate } from '../../core/actions/relationshipFacts';
import { allRelationships } from './renewalTargets';
import { RENEWAL_GROUPS, RenewalBucketNode, RenewalItemNode, renewalGroupOf, type RenewalGroup } from './renewalNodes';

export type RenewalNode = RenewalBucketNode | RenewalItemNode | RenewalMessage;

/** The one line the view shows when nothing needs fixing. */
export class RenewalMessage {
  constructor(readonly text: string) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = 'renewal/message';
    item.iconPath = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    item.contextValue = 'gdap.renewalMessage;';
    return item;
  }
}

/**
 * The Renewal view's data: the loaded inventory sorted into groups, soonest end first. Repainted when the
 * inventory or the explorer changes; it never loads anything itself (signed out or not loaded: empty, and
 * the view's welcome text shows).
 */
export class RenewalViewProvider implements vscode.TreeDataProvider<RenewalNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RenewalNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private buckets = new Map<RenewalGroup, RenewalBucketNode>();

  constructor(
    private readonly inventory: () => Inventory | undefined,
    private readonly now: () => Date,
  ) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: RenewalNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: RenewalNode): RenewalNode | undefined {
    return node instanceof RenewalItemNode ? node.parent : undefined;
  }

  getChildren(node?: RenewalNode): RenewalNode[] {
    if (node instanceof RenewalBucketNode) {
      return [...node.items];
    }
    if (node !== undefined) {
      return [];
    }
    const inventory = this.inventory();
    if (inventory === undefined) {
      return [];
    }
    const groups = this.groups(inventory);
    const nodes = RENEWAL_GROUPS.flatMap((g) => {
      const bucket = groups.get(g);
      return bucket !== undefined && bucket.relationships.length > 0 ? [bucket] : [];
    });
    return nodes.length > 0 ? nodes : [new RenewalMessage(vscode.l10n.t('Every relationship renews itself or was ended on purpose.'))];
  }

  /** The groups as now computed (the in-host tests and the bucket commands read them). */
  groups(inventory: Inventory | undefined = this.inventory()): Map<RenewalGroup, RenewalBucketNode> {
    const now = this.now();
    const lists = new Map<RenewalGroup, ReturnType<typeof allRelationships>>();
    for (const r of allRelationships(inventory)) {
      const group = renewalGroupOf(r, now);
      if (group !== null) {
        const list = lists.get(group) ?? [];
        list.push(r);
        lists.set(group, list);
      }
    }
    const next = new Map<RenewalGroup, RenewalBucketNode>();
    for (const [group, list] of lists) {
      list.sort((a, b) => (parseApiDate(a.endDateTime) ?? 0) - (parseApiDate(b.endDateTime) ?? 0) || a.id.localeCompare(b.id));
      // One node object per group for the life of the view, so VS Code keeps what is expanded.
      const node = this.buckets.get(group) ?? new RenewalBucketNode(group, [], []);
      node.relationships = list;
      node.items = list.map((r) => new RenewalItemNode(node, r, this.now));
      next.set(group, node);
    }
    this.buckets = next;
    return next;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
