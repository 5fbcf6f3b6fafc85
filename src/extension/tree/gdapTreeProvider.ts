import * as vscode from 'vscode';
import type { InventoryCustomer } from '../../core/actions/inventory';
import type { AuthService } from '../auth/authService';
import type { PartnerCenterCustomer } from '../../core/partnerCenter/partnerCenterApi';
import { partnerCenterEnabled } from '../access/accessSettings';
import type { GdapSettings } from '../settings';
import { withViewProgress } from '../ui/progress';
import { CustomerNode } from './customerNode';
import { customersOfMoved, type InventoryStore, type MovedRelationship } from './inventoryStore';
import { MessageNode } from './messageNode';
import { noGdapCustomers, noGdapMatches, partnerCenterProblem, type NoGdapCustomer } from './noGdap';
import { NO_GDAP_GROUP_ID, NoGdapGroupNode, type NoGdapContent } from './noGdapNodes';
import type { GdapNode } from './node';
import { PartnerCenterFeed, type PartnerCenterListState } from './partnerCenterFeed';
import { PendingGroupNode } from './pendingGroupNode';
import { NO_FILTER, type TreeContext, type TreeFilter } from './treeContext';
import { lowerNeedle } from './treeFilter';
import { humanMessage } from '../ui/errorFunnel';

/**
 * More customers than this to read again (the approval poller's moved relationships, or the customers of
 * the relationships a change acted on): the whole tree is reloaded (one paged pass) rather than one
 * `$filter` read per customer.
 */
const MAX_CUSTOMER_READS = 20;

/** DAP states arriving within this time are repainted together (each repaint also reloads the row's children in VS Code). */
const DAP_REPAINT_MS = 1_000;

/**
 * Thin provider (docs/architecture.md §2.3): nodes own their children; this class turns failures into
 * error nodes, keeps one node object per id, and refreshes precisely.
 */
export class GdapTreeProvider implements vscode.TreeDataProvider<GdapNode>, TreeContext, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<GdapNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, GdapNode>();
  private customerNodes: { list: readonly InventoryCustomer[]; nodes: readonly CustomerNode[] } | undefined;
  private currentFilter: TreeFilter = NO_FILTER;
  private pendingWork = new Set<Promise<unknown>>();
  private backgroundRefresh: Promise<unknown> | undefined;
  private readonly loadingEmitter = new vscode.EventEmitter<boolean>();
  /**
   * Fires when the tree starts or stops loading (see `loading`): a progress signal for anything that
   * must act once what is shown has settled (the in-host tests wait on it instead of sleeping).
   */
  readonly onDidChangeLoading = this.loadingEmitter.event;
  private wasLoading = false;
  private readonly subscriptions: vscode.Disposable[];
  /** The Partner Center reads behind the "No GDAP" group and the DAP states (background, never awaited by a paint). */
  private readonly partnerCenter: PartnerCenterFeed;
  /** The "No GDAP" customers of the current list and inventory (recomputed when either changes). */
  private noGdap: { list: readonly PartnerCenterCustomer[]; inventory: unknown; customers: readonly NoGdapCustomer[] } | undefined;
  /** Customers whose DAP state arrived since the last repaint (repainted together, not one event each). */
  private readonly dapRepaints = new Set<string>();
  private dapRepaintTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly store: InventoryStore,
    private readonly auth: AuthService,
    private readonly readSettings: () => GdapSettings,
    private readonly onError: (error: unknown, doing: string) => void,
  ) {
    this.partnerCenter = this.createPartnerCenterFeed();
    this.subscriptions = [
      this.loadingEmitter,
      auth.onDidChangeBusy(() => this.updateLoading()),
      store.onDidChange(() => this.updateLoading()),
      auth.onDidChangeState((state) => {
        if (state !== 'signedIn') {
          // Signed out: nothing more is sent to Partner Center.
          this.partnerCenter.reset();
        }
      }),
    ];
  }

  private createPartnerCenterFeed(): PartnerCenterFeed {
    return new PartnerCenterFeed({
      client: () => {
        const client = this.store.partnerCenter();
        if (client === undefined) {
          throw new Error('No Partner Center client.');
        }
        return client;
      },
      canSend: () => this.auth.state === 'signedIn' && partnerCenterEnabled() && this.store.partnerCenter() !== undefined,
      dap: this.store,
      // The first level in the order shown, then the "No GDAP" customers.
      order: (list) => [
        ...(this.store.current?.customers ?? []).map((c) => c.tenantId),
        ...noGdapCustomers(list, this.store.current).map((c) => c.tenantId),
      ],
      onListChanged: () => this.emitter.fire(undefined),
      onDapChanged: (tenantId) => this.dapChanged(tenantId),
    });
  }

  /** The Partner Center customer list as read for the tree (idle while off or not read yet). */
  get partnerCenterState(): PartnerCenterListState {
    return this.partnerCenter.state;
  }

  /** Resolves once the Partner Center list and the DAP reads waiting are done (the in-host tests wait on it). */
  partnerCenterSettled(): Promise<void> {
    return this.partnerCenter.settled();
  }

  /**
   * True while a load the tree started is in flight, or a session change has been seen and the reload
   * it causes is about to start.
   */
  get loading(): boolean {
    return this.pendingWork.size > 0 || this.store.loading || this.auth.busy;
  }

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

  /** VS Code calls this on hover for items without a tooltip: the tooltip is built here, not per paint. */
  resolveTreeItem(item: vscode.TreeItem, node: GdapNode): vscode.TreeItem {
    if (node instanceof CustomerNode) {
      // Hovered: its DAP state is worth reading before the others'.
      this.partnerCenter.prioritise([node.tenantId]);
    }
    if (item.tooltip === undefined && node.tooltip !== undefined) {
      item.tooltip = node.tooltip();
    }
    return item;
  }

  getParent(node: GdapNode): GdapNode | undefined {
    return node.parent;
  }

  async getChildren(node?: GdapNode): Promise<GdapNode[]> {
    if (node !== undefined) {
      if (node instanceof CustomerNode) {
        // Expanded: read its DAP state first.
        this.partnerCenter.prioritise([node.tenantId]);
      }
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
    if (node?.kind === 'noGdapGroup' || node?.kind === 'noGdapCustomer') {
      this.refreshPartnerCenter(node);
      return;
    }
    if (node?.kind === 'customer' && this.store.current !== undefined) {
      // Only this customer's relationships are read again, and only its subtree repainted.
      await this.reloadCustomers([(node as unknown as { tenantId: string }).tenantId]);
      return;
    }
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

  findNode(id: string): GdapNode | undefined {
    return this.nodes.get(id);
  }

  allCustomers(): readonly CustomerNode[] {
    const list = this.store.current?.customers ?? [];
    // The store replaces the list whenever a customer changes, so the same list has the same nodes:
    // a paint or a filter keystroke at 10,000 customers does not look them all up again.
    if (this.customerNodes?.list !== list) {
      const nodes = list.map((c) =>
        this.intern(
          `customer/${c.tenantId}`,
          () => new CustomerNode(this, c),
          (n) => (n.customer = c),
        ),
      );
      this.customerNodes = { list, nodes };
    }
    return this.customerNodes.nodes;
  }

  clear(): void {
    this.partnerCenter.reset();
    this.nodes.clear();
    this.customerNodes = undefined;
    this.store.clear();
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.partnerCenter.reset();
    if (this.dapRepaintTimer !== undefined) {
      clearTimeout(this.dapRepaintTimer);
    }
    this.emitter.dispose();
    for (const d of this.subscriptions) {
      d.dispose();
    }
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
      if (await this.store.restoreFromCache()) {
        // Cache-first: show the last inventory now, refresh behind it.
        this.backgroundRefresh ??= this.reloadInventory().finally(() => (this.backgroundRefresh = undefined));
      } else if (this.store.current === undefined) {
        // (Not when a concurrent call restored or loaded it while the file was read.)
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
    const customers = this.allCustomers().filter((c) => c.visibleRelationships().length > 0 || this.nameMatches(c));
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
    const noGdap = this.noGdapGroup();
    if (noGdap !== undefined) {
      nodes.push(noGdap);
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

  /**
   * The "No GDAP" group, last on the first level: only with `gdap.partnerCenter.enabled` on, once the
   * Partner Center list was read (or failed: then it holds one message saying what to do). Starts the
   * background read when it has not run yet; never waits for it.
   */
  private noGdapGroup(): NoGdapGroupNode | undefined {
    if (!partnerCenterEnabled()) {
      // Turned off: no group, and nothing more is sent.
      this.partnerCenter.reset();
      return undefined;
    }
    if (!this.store.loading) {
      // After the inventory: the DAP pass follows the first level's order.
      this.partnerCenter.start();
    }
    const content = this.noGdapContent();
    if (content === undefined) {
      return undefined;
    }
    return this.intern(
      NO_GDAP_GROUP_ID,
      () => new NoGdapGroupNode(this, content),
      (n) => (n.content = content),
    );
  }

  private noGdapContent(): NoGdapContent | undefined {
    const state = this.partnerCenter.state;
    const filtered = this.currentFilter.text !== '' || this.currentFilter.status !== 'all';
    if (state.kind === 'failed') {
      // The failure is shown unless a filter asks for something else.
      return filtered ? undefined : { kind: 'failed', problem: partnerCenterProblem(state.error), detail: humanMessage(state.error) };
    }
    if (state.kind !== 'loaded') {
      return undefined;
    }
    const inventory = this.store.current;
    if (this.noGdap?.list !== state.customers || this.noGdap.inventory !== inventory) {
      this.noGdap = { list: state.customers, inventory, customers: noGdapCustomers(state.customers, inventory) };
    }
    const customers = this.noGdap.customers.filter((c) => noGdapMatches(c, this.currentFilter));
    return customers.length > 0 ? { kind: 'customers', customers } : undefined;
  }

  /** Refresh on the group reads the list again; on one of its customers, that customer's DAP state. */
  private refreshPartnerCenter(node: GdapNode): void {
    if (node instanceof CustomerNode) {
      this.partnerCenter.invalidate(node.tenantId);
      this.emitter.fire(node);
      return;
    }
    this.partnerCenter.reset();
    this.emitter.fire(undefined);
  }

  /** A DAP state arrived: its customer's row is repainted with the others that arrive within a second. */
  private dapChanged(tenantId: string): void {
    this.dapRepaints.add(tenantId);
    this.dapRepaintTimer ??= setTimeout(() => {
      this.dapRepaintTimer = undefined;
      const ids = [...this.dapRepaints];
      this.dapRepaints.clear();
      for (const id of ids) {
        for (const node of [this.nodes.get(`customer/${id}`), this.nodes.get(`${NO_GDAP_GROUP_ID}/${id}`)]) {
          if (node !== undefined) {
            this.emitter.fire(node);
          }
        }
      }
    }, DAP_REPAINT_MS);
  }

  private nameMatches(customer: CustomerNode): boolean {
    const f = this.currentFilter;
    return f.status === 'all' && (f.text === '' || customer.nameIncludes(lowerNeedle(f.text)));
  }

  private async reloadInventory(): Promise<void> {
    if (this.auth.state !== 'signedIn') {
      // Signed out (e.g. right after "Sign Out"): the welcome view shows; loading would only fail.
      this.emitter.fire(undefined);
      return;
    }
    // A refresh reads the Partner Center list again after the inventory; DAP states already read this
    // session are kept (docs/access.md "In VS Code").
    this.partnerCenter.reset({ keepDapStates: true });
    try {
      await this.withProgress(() => this.store.load());
      this.pruneNodes();
    } catch (e) {
      this.onError(e, vscode.l10n.t('Loading GDAP relationships'));
    } finally {
      this.emitter.fire(undefined);
    }
  }

  /**
   * Takes in relationships the approval poller found moved on (InventoryStore.applyMoved: their customers
   * read again, not the whole inventory) and repaints; past MAX_CUSTOMER_READS customers, reloads the whole
   * tree instead (as `refresh()`). A failed read of the customers rejects and changes nothing: the poller,
   * which runs in the background, logs it and tries again later.
   */
  async applyMoved(moved: readonly MovedRelationship[]): Promise<void> {
    const customers = customersOfMoved(moved);
    if (customers.length > MAX_CUSTOMER_READS) {
      await this.reloadInventory();
      return;
    }
    customers.forEach((tenantId) => this.partnerCenter.invalidate(tenantId));
    try {
      await this.withProgress(() => this.store.applyMoved(moved));
      this.pruneNodes();
    } finally {
      this.emitter.fire(undefined);
    }
  }

  /**
   * Takes relationships the service confirmed are gone (deleted drafts) out of the tree without a read:
   * only the customers that held one are repainted (the whole tree when the pending group changed).
   */
  removeRelationships(ids: readonly string[]): void {
    const { customers, pending } = this.store.removeRelationships(ids);
    if (customers.length === 0 && !pending) {
      return;
    }
    this.pruneNodes();
    this.repaintCustomers(customers, pending);
  }

  /** Repaints these customers' subtrees only; the whole tree when `root` or one of them is not shown. */
  private repaintCustomers(tenantIds: readonly string[], root: boolean): void {
    const keys = new Set(tenantIds.map((t) => t.toLowerCase()));
    const nodes = this.allCustomers().filter((c) => keys.has(c.tenantId.toLowerCase()));
    if (!root && nodes.length === keys.size) {
      nodes.forEach((node) => this.emitter.fire(node));
    } else {
      this.emitter.fire(undefined);
    }
  }

  /**
   * Reads these customers again after a change to some of their relationships: each alone (one `$filter`
   * read, all at once) and only their subtrees repainted; past MAX_CUSTOMER_READS customers, the whole
   * tree instead (as `refresh()`). A failed read is reported as any failed load and changes nothing.
   */
  async reloadCustomers(tenantIds: readonly string[]): Promise<void> {
    if (tenantIds.length > MAX_CUSTOMER_READS) {
      await this.reloadInventory();
      return;
    }
    tenantIds.forEach((tenantId) => this.partnerCenter.invalidate(tenantId));
    try {
      await this.withProgress(() => this.store.reloadCustomers(tenantIds));
      this.pruneNodes();
    } catch (e) {
      this.onError(e, vscode.l10n.t('Loading GDAP relationships'));
    } finally {
      this.repaintCustomers(tenantIds, false);
    }
  }

  /**
   * Drops the interned nodes of customers and relationships that are no longer in the inventory, so
   * node objects do not pile up across reloads; nodes of what is still there are kept (and updated in
   * place when next asked for), so a node object held by a command stays current.
   */
  private pruneNodes(): void {
    const inv = this.store.current;
    if (inv === undefined) {
      this.nodes.clear();
      return;
    }
    const live = new Set<string>();
    for (const c of inv.customers) {
      live.add(`customer/${c.tenantId}`);
      for (const r of c.relationships) {
        live.add(`customer/${c.tenantId}/relationship/${r.id}`);
      }
    }
    if (this.partnerCenter.state.kind !== 'idle') {
      // The group's customers are kept while the list they came from is shown.
      live.add(NO_GDAP_GROUP_ID);
    }
    if (inv.pendingRelationships.length > 0) {
      live.add('pending');
      for (const r of inv.pendingRelationships) {
        live.add(`pending/relationship/${r.id}`);
      }
    }
    for (const id of [...this.nodes.keys()]) {
      // The node's owning entity: its relationship when it is one or sits under one, else its top level.
      const owner =
        /^(.*?\/relationship\/[^/]+)/.exec(id)?.[1] ??
        id
          .split('/')
          .slice(0, id.startsWith('customer/') ? 2 : 1)
          .join('/');
      if (!live.has(owner)) {
        this.nodes.delete(id);
      }
    }
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pendingWork.add(p);
    this.updateLoading();
    const done = (): void => {
      this.pendingWork.delete(p);
      this.updateLoading();
    };
    void p.then(done, done);
    return p;
  }

  private updateLoading(): void {
    const now = this.loading;
    if (now !== this.wasLoading) {
      this.wasLoading = now;
      this.loadingEmitter.fire(now);
    }
  }
}
