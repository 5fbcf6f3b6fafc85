import * as vscode from 'vscode';
import type { AuthService } from '../auth/authService';
import type { GdapSettings } from '../settings';
import { withViewProgress } from '../ui/progress';
import { CustomerNode } from './customerNode';
import type { InventoryStore } from './inventoryStore';
import { MessageNode } from './messageNode';
import type { GdapNode } from './node';
import { PendingGroupNode } from './pendingGroupNode';
import { NO_FILTER, type TreeContext, type TreeFilter } from './treeContext';

/**
 * Thin provider (docs/architecture.md §2.3): nodes own their children; this class turns failures into
 * error nodes, keeps one node object per id, and refreshes precisely.
 */
export class GdapTreeProvider implements vscode.TreeDataProvider<GdapNode>, TreeContext, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<GdapNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, GdapNode>();
  private currentFilter: TreeFilter = NO_FILTER;
  private pendingWork = new Set<Promise<unknown>>();
  private backgroundRefresh: Promise<unknown> | undefined;

  constructor(
    readonly store: InventoryStore,
    private readonly auth: AuthService,
    private readonly readSettings: () => GdapSettings,
    private readonly onError: (error: unknown, doing: string) => void,
  ) {}

  settings(): GdapSettings {
    return this.readSettings();
  }

  filter(): TreeFilter {
    return this.currentFilter;
  }

  now(): Date {
    return new Date();
  }

  setFilter(filter: TreeFilter): void {
    this.currentFilter = filter;
    // Narrowing needs no reload: the data is in the store.
    this.emitter.fire(undefined);
  }

  intern<T extends GdapNode>(id: string, create: () => T, update: (existing: T) => void): T {
    const existing = this.nodes.get(id) as T | undefined;
    if (existing !== undefined) {
      update(existing);
      return existing;
    }
    const node = create();
    this.nodes.set(id, node);
    return node;
  }

  withProgress<T>(task: () => Promise<T>): Promise<T> {
    return this.track(withViewProgress(task));
  }

  getTreeItem(node: GdapNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: GdapNode): GdapNode | undefined {
    return node.parent;
  }

  async getChildren(node?: GdapNode): Promise<GdapNode[]> {
    if (node !== undefined) {
      try {
        return await this.track(node.getChildren());
      } catch (e) {
        return [MessageNode.error(node, e)];
      }
    }
    return this.track(this.root());
  }

  /** Reloads one node (and what it owns) or, without a node, everything. */
  async refresh(node?: GdapNode): Promise<void> {
    if (
      node === undefined ||
      node.kind === 'customer' ||
      node.kind === 'pendingGroup' ||
      (node.kind === 'message' && node.parent === undefined)
    ) {
      // Customers and the pending group come from the one inventory pass: reload it.
      await this.reloadInventory();
      return;
    }
    if (node.kind === 'relationship') {
      this.store.invalidateAssignments((node as unknown as { relationshipId: string }).relationshipId);
      this.emitter.fire(node);
      return;
    }
    if (node.kind === 'message' && node.parent !== undefined) {
      await this.refresh(node.parent);
      return;
    }
    this.emitter.fire(node.parent ?? node);
  }

  /** Re-renders one node without reloading (e.g. "Terminating…"). */
  repaint(node: GdapNode | undefined): void {
    this.emitter.fire(node);
  }

  /** Resolves when every load the tree started has settled (for tests). */
  async waitForIdle(): Promise<void> {
    for (let i = 0; i < 50 && (this.pendingWork.size > 0 || this.store.loading); i++) {
      await Promise.allSettled([...this.pendingWork]);
      if (this.store.loading) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  findNode(id: string): GdapNode | undefined {
    return this.nodes.get(id);
  }

  allCustomers(): CustomerNode[] {
    return (this.store.current?.customers ?? []).map((c) =>
      this.intern(
        `customer/${c.tenantId}`,
        () => new CustomerNode(this, c),
        (n) => (n.customer = c),
      ),
    );
  }

  clear(): void {
    this.nodes.clear();
    this.store.clear();
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private async root(): Promise<GdapNode[]> {
    if (this.auth.state === 'checking') {
      await this.auth.initialise();
    }
    if (this.auth.state !== 'signedIn') {
      // Empty: the matching viewsWelcome shows (signed out, no app registration, sign-in failed).
      return [];
    }
    if (this.store.current === undefined) {
      if (this.store.restoreFromCache()) {
        // Cache-first: show the last inventory now, refresh behind it.
        this.backgroundRefresh ??= this.reloadInventory().finally(() => (this.backgroundRefresh = undefined));
      } else {
        try {
          await withViewProgress(() => this.store.load());
        } catch (e) {
          return [MessageNode.error(undefined, e)];
        }
      }
    }
    const inventory = this.store.current;
    if (inventory === undefined) {
      return [];
    }
    const customers = this.allCustomers().filter((c) => c.visibleRelationships().length > 0 || this.nameMatches(c.displayName));
    const nodes: GdapNode[] = [...customers];
    if (inventory.pendingRelationships.length > 0) {
      const group = this.intern(
        'pending',
        () => new PendingGroupNode(this, inventory.pendingRelationships),
        (n) => (n.relationships = inventory.pendingRelationships),
      );
      if (group.visibleRelationships().length > 0) {
        nodes.push(group);
      }
    }
    if (nodes.length === 0) {
      const filtered = this.currentFilter.text !== '' || this.currentFilter.status !== 'all';
      return [
        new MessageNode(
          undefined,
          'empty',
          filtered ? vscode.l10n.t('Nothing matches the filter.') : vscode.l10n.t('No GDAP relationships found.'),
        ),
      ];
    }
    return nodes;
  }

  private nameMatches(name: string): boolean {
    const f = this.currentFilter;
    return f.status === 'all' && (f.text === '' || name.toLocaleLowerCase().includes(f.text.toLocaleLowerCase()));
  }

  private async reloadInventory(): Promise<void> {
    if (this.auth.state !== 'signedIn') {
      // Signed out (e.g. right after "Sign Out"): the welcome view shows; loading would only fail.
      this.emitter.fire(undefined);
      return;
    }
    try {
      await this.withProgress(() => this.store.load());
    } catch (e) {
      this.onError(e, vscode.l10n.t('Loading GDAP relationships'));
    } finally {
      this.emitter.fire(undefined);
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pendingWork.add(p);
    void p.then(
      () => this.pendingWork.delete(p),
      () => this.pendingWork.delete(p),
    );
    return p;
  }
}
