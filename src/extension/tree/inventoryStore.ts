import * as vscode from 'vscode';
import { byName, loadInventory, type Inventory, type InventoryCustomer, type InventoryRelationship } from '../../core/actions/inventory';
import { relationshipHistory, type RelationshipHistory } from '../../core/actions/onboarding';
import type { GdapApi } from '../../core/graph/gdapApi';
import type { PartnerCenterApi } from '../../core/partnerCenter/partnerCenterApi';
import { domainAccessAssignment, type DomainAccessAssignment } from '../../core/domain/model';
import type { StartupCache } from './startupCache';

interface InventoryIndex {
  readonly of: Inventory;
  readonly customers: ReadonlyMap<string, InventoryCustomer>;
  readonly relationships: ReadonlyMap<string, InventoryRelationship>;
}

export interface StoreDeps {
  readonly graph: () => GdapApi;
  /** The Partner Center client (the "No GDAP" group and the DAP states); absent, nothing is read there. */
  readonly partnerCenter?: () => PartnerCenterApi;
  /** The start-up cache file (never globalState: see startupCache.ts). */
  readonly cache: StartupCache;
  readonly cacheEnabled: () => boolean;
  /** Identifies the partner + endpoints so one account's cache is never shown for another. */
  readonly cacheKey: () => string;
  readonly source: () => string;
  /** Where notes about unresolved security group names go (the log channel). */
  readonly log?: (line: string) => void;
}

/** A relationship that moved on while it waited for approval, as read again (undefined: the service no longer has it). */
export interface MovedRelationship {
  readonly id: string;
  readonly relationship?: InventoryRelationship;
}

/** The customers of `moved` (those that have one), one entry per tenant whatever the case of its id. */
export function customersOfMoved(moved: readonly MovedRelationship[]): string[] {
  const byKey = new Map<string, string>();
  for (const m of moved) {
    const tenantId = m.relationship?.customer.tenantId;
    if (tenantId !== undefined && tenantId !== null && tenantId !== '' && !byKey.has(tenantId.toLowerCase())) {
      byKey.set(tenantId.toLowerCase(), tenantId);
    }
  }
  return [...byKey.values()];
}

/**
 * Data behind the tree: the inventory (one paged pass over relationships + the customers list), the
 * per-relationship access assignments (loaded when expanded), DAP state once known and the transient
 * "Terminating…" marks. Concurrent loads of the same thing share one promise (docs/architecture.md §2.7).
 */
export class InventoryStore implements vscode.Disposable {
  private inventory: Inventory | undefined;
  private loadedAt: number | undefined;
  private cached = false;
  private inflight: Promise<Inventory> | undefined;
  /**
   * Bumped by `clear()` (sign-out, a new sign-in, a sign-in setting changed): a read started before it
   * belongs to the sign-in that was dropped, so what it brings back is not taken in nor saved.
   */
  private epoch = 0;
  /**
   * Lookups by tenant id and relationship id for `inventory` (every change replaces the inventory
   * object, so the index is rebuilt on the first lookup after one). A linear search per lookup made
   * painting the first level quadratic: every customer node looks its customer up several times.
   */
  private index: InventoryIndex | undefined;
  private readonly assignments = new Map<string, DomainAccessAssignment[]>();
  private readonly assignmentLoads = new Map<string, Promise<DomainAccessAssignment[]>>();
  private readonly customerLoads = new Map<string, Promise<void>>();
  /** Legacy DAP state by lower-cased tenant id, for the session (cleared at sign-out). */
  private readonly dap = new Map<string, boolean>();
  /** Bumped whenever a tenant's DAP state is set or forgotten: a background read started before is stale. */
  private readonly dapVersions = new Map<string, number>();
  private readonly busy = new Map<string, string>();
  /** Security group names for this sign-in: a name, or null when it could not be read (then the id is shown). */
  private readonly groupNames = new Map<string, string | null>();
  private readonly groupNameLoads = new Map<string, Promise<void>>();
  /** Failure kinds already logged this sign-in (each is logged once, not once per group). */
  private readonly groupNameNotes = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the inventory (or its cache state) changed; the view description follows it. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly deps: StoreDeps) {}

  get current(): Inventory | undefined {
    return this.inventory;
  }

  /** True while what is shown came from the cache and no fresh load finished yet. */
  get isFromCache(): boolean {
    return this.cached;
  }

  get ageMs(): number | undefined {
    return this.loadedAt === undefined ? undefined : Date.now() - this.loadedAt;
  }

  /** Shows the last saved inventory, when the cache is on and it belongs to this sign-in. */
  async restoreFromCache(): Promise<boolean> {
    if (!this.deps.cacheEnabled() || this.inventory !== undefined) {
      return false;
    }
    const epoch = this.epoch;
    const saved = await this.deps.cache.read(this.deps.cacheKey());
    // A load may have finished while the file was read: the fresher data wins. A sign-out meanwhile: nothing.
    if (saved === undefined || this.inventory !== undefined || epoch !== this.epoch) {
      return false;
    }
    this.inventory = saved.inventory;
    this.loadedAt = saved.savedAt;
    this.cached = true;
    this.changed.fire();
    return true;
  }

  /**
   * Loads (or joins the load in flight). A load that `clear()` overtook resolves with what it read but
   * leaves the store as `clear()` left it: it is neither shown nor written to the cache.
   */
  load(signal?: AbortSignal): Promise<Inventory> {
    if (this.inflight !== undefined) {
      return this.inflight;
    }
    const epoch = this.epoch;
    const read = async (): Promise<Inventory> => {
      const inventory = await loadInventory(this.deps.graph(), { includeAssignments: false, signal, source: this.deps.source() });
      if (epoch === this.epoch) {
        this.inventory = inventory;
        this.loadedAt = Date.now();
        this.cached = false;
        await this.save(inventory);
        this.changed.fire();
      }
      return inventory;
    };
    // (`finally` runs after the assignment below even when the read fails at once; after a `clear()` the
    // load in flight is the new sign-in's, if any, and stays.)
    const inflight = read().finally(() => {
      if (this.inflight === inflight) {
        this.inflight = undefined;
      }
    });
    this.inflight = inflight;
    return inflight;
  }

  get loading(): boolean {
    return this.inflight !== undefined;
  }

  /** Drops everything (sign-out, settings change), and disowns the reads in flight. */
  clear(): void {
    this.epoch += 1;
    this.inflight = undefined;
    this.customerLoads.clear();
    this.assignmentLoads.clear();
    this.inventory = undefined;
    this.loadedAt = undefined;
    this.cached = false;
    this.assignments.clear();
    this.dap.clear();
    this.dapVersions.clear();
    this.busy.clear();
    this.groupNames.clear();
    this.groupNameLoads.clear();
    this.groupNameNotes.clear();
    this.changed.fire();
  }

  async forgetCache(): Promise<void> {
    await this.deps.cache.remove();
  }

  /**
   * Reloads one customer's relationships only (`$filter=customer/tenantId eq '…'`, no customers list)
   * and replaces that customer in the inventory; its relationships' access assignments are read again
   * when next shown. Concurrent refreshes of the same customer share one read.
   */
  reloadCustomer(tenantId: string, signal?: AbortSignal): Promise<void> {
    let p = this.customerLoads.get(tenantId);
    if (p === undefined) {
      const load = this.readCustomers([tenantId], signal).finally(() => {
        if (this.customerLoads.get(tenantId) === load) {
          this.customerLoads.delete(tenantId);
        }
      });
      this.customerLoads.set(tenantId, load);
      p = load;
    }
    return p;
  }

  findCustomer(tenantId: string): InventoryCustomer | undefined {
    return this.indexed()?.customers.get(tenantId);
  }

  findRelationship(id: string): InventoryRelationship | undefined {
    return this.indexed()?.relationships.get(id);
  }

  /** Replaces one relationship after a precise re-read (e.g. once it reached `terminated`). */
  updateRelationship(updated: InventoryRelationship): void {
    this.updateRelationships([updated]);
  }

  /**
   * Replaces several relationships in one pass (a bulk action's results): only the customers holding one
   * are copied, and the start-up cache is written once.
   */
  updateRelationships(updates: readonly InventoryRelationship[]): void {
    const inv = this.inventory;
    if (inv === undefined || updates.length === 0) {
      return;
    }
    const byId = new Map(updates.map((u) => [u.id, u]));
    const swap = (list: readonly InventoryRelationship[]): readonly InventoryRelationship[] => {
      if (!list.some((r) => byId.has(r.id))) {
        return list;
      }
      return list.map((r) => {
        const u = byId.get(r.id);
        return u === undefined ? r : { ...r, ...u };
      });
    };
    this.inventory = {
      ...inv,
      customers: inv.customers.map((c) => {
        const relationships = swap(c.relationships);
        return relationships === c.relationships ? c : { ...c, relationships };
      }),
      pendingRelationships: swap(inv.pendingRelationships),
    };
    void this.save(this.inventory);
  }

  /**
   * Drops relationships the service confirmed are gone (a deleted draft): nothing is read, only the
   * customers holding one are copied, one change event and one cache write. A customer keeps its row
   * with what is left, as after reading it again alone (`reloadCustomers`). Returns the customers touched
   * and whether the pending group changed.
   */
  removeRelationships(ids: readonly string[]): { customers: string[]; pending: boolean } {
    const inv = this.inventory;
    const gone = new Set(ids);
    if (inv === undefined || gone.size === 0) {
      return { customers: [], pending: false };
    }
    const touched: string[] = [];
    const keep = (list: readonly InventoryRelationship[]): readonly InventoryRelationship[] =>
      list.some((r) => gone.has(r.id)) ? list.filter((r) => !gone.has(r.id)) : list;
    const customers = inv.customers.map((c) => {
      const relationships = keep(c.relationships);
      if (relationships === c.relationships) {
        return c;
      }
      touched.push(c.tenantId);
      return { ...c, relationships };
    });
    const pendingRelationships = keep(inv.pendingRelationships);
    const pending = pendingRelationships !== inv.pendingRelationships;
    if (touched.length === 0 && !pending) {
      return { customers: [], pending: false };
    }
    for (const id of gone) {
      this.assignments.delete(id);
    }
    this.inventory = { ...inv, customers, pendingRelationships };
    void this.save(this.inventory);
    this.changed.fire();
    return { customers: touched, pending };
  }

  cachedAssignments(relationshipId: string): DomainAccessAssignment[] | undefined {
    return this.assignments.get(relationshipId);
  }

  loadAssignments(relationshipId: string, signal?: AbortSignal): Promise<DomainAccessAssignment[]> {
    const known = this.assignments.get(relationshipId);
    if (known !== undefined) {
      return Promise.resolve(known);
    }
    let p = this.assignmentLoads.get(relationshipId);
    if (p === undefined) {
      const epoch = this.epoch;
      const load = this.deps
        .graph()
        .listAccessAssignments(relationshipId, { signal })
        .then((read) => {
          // The tree holds the domain model, like the relationships above it.
          const list = read.map(domainAccessAssignment);
          if (epoch === this.epoch) {
            this.assignments.set(relationshipId, list);
          }
          return list;
        })
        .finally(() => {
          if (this.assignmentLoads.get(relationshipId) === load) {
            this.assignmentLoads.delete(relationshipId);
          }
        });
      this.assignmentLoads.set(relationshipId, load);
      p = load;
    }
    return p;
  }

  invalidateAssignments(relationshipId: string): void {
    this.assignments.delete(relationshipId);
  }

  /** The security group's name when it was resolved this sign-in; undefined shows the id. */
  /** A relationship's requests and operations, read each time (the History node under a relationship). */
  history(relationshipId: string, signal?: AbortSignal): Promise<RelationshipHistory> {
    return relationshipHistory(this.deps.graph(), relationshipId, signal !== undefined ? { signal } : {});
  }

  /** Security groups whose names were read this sign-in, by name (the group pickers offer them). */
  knownGroups(): { readonly id: string; readonly name: string }[] {
    return [...this.groupNames].flatMap(([id, name]) => (name === null ? [] : [{ id, name }])).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Remembers a name read elsewhere this sign-in (a search by name), so confirmations name the group. */
  rememberGroupName(groupId: string, name: string): void {
    this.groupNames.set(groupId, name);
  }

  groupName(groupId: string): string | undefined {
    return this.groupNames.get(groupId) ?? undefined;
  }

  /**
   * Reads the names of the groups not seen yet this sign-in (one batched pass; concurrent callers share
   * it). Never fails: a group whose name cannot be read (no GroupMember.Read.All consent → 403, 404, …)
   * keeps showing its id, and each kind of failure is logged once.
   */
  async resolveGroupNames(groupIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const graph = this.deps.graph();
    const wanted = [...new Set(groupIds)].filter((id) => !this.groupNames.has(id));
    const joining = [...new Set(groupIds)].map((id) => this.groupNameLoads.get(id)).filter((p): p is Promise<void> => p !== undefined);
    const fresh = wanted.filter((id) => !this.groupNameLoads.has(id));
    if (fresh.length > 0 && graph.getGroupNames !== undefined) {
      // Names read for a sign-in that `clear()` dropped are not kept (the new one may be allowed to read them).
      const epoch = this.epoch;
      const load: Promise<void> = graph
        .getGroupNames(fresh, {
          signal,
          onUnresolved: (id, error) => {
            if (epoch !== this.epoch) {
              return;
            }
            this.groupNames.set(id, null);
            if (!this.groupNameNotes.has(error.kind)) {
              this.groupNameNotes.add(error.kind);
              this.deps.log?.(
                `Security group names: ${error.kind === 'forbidden' ? 'not permitted (the sign-in has no GroupMember.Read.All consent; see gdap.resolveGroupNames)' : error.message} — showing group ids instead.`,
              );
            }
          },
        })
        .then((names) => {
          if (epoch !== this.epoch) {
            return;
          }
          for (const [id, name] of names) {
            if (!this.groupNames.has(id)) {
              this.groupNames.set(id, name);
            }
          }
        })
        .catch(() => {
          // Only cancellation gets here: leave these ids unknown so a later expand asks again.
        })
        .finally(() => {
          for (const id of fresh) {
            if (this.groupNameLoads.get(id) === load) {
              this.groupNameLoads.delete(id);
            }
          }
        });
      for (const id of fresh) {
        this.groupNameLoads.set(id, load);
      }
      joining.push(load);
    }
    await Promise.all(joining);
  }

  /** What a command just read or did (Remove DAP, Check Access): wins over background reads started before. */
  setDap(customerTenantId: string, on: boolean): void {
    const key = customerTenantId.toLowerCase();
    this.dap.set(key, on);
    this.dapVersions.set(key, this.dapTicket(key) + 1);
  }

  dapState(customerTenantId: string): boolean | undefined {
    return this.dap.get(customerTenantId.toLowerCase());
  }

  /** Taken when a background read starts; `setDapRead` with it lands only if nothing was set since. */
  dapTicket(customerTenantId: string): number {
    return this.dapVersions.get(customerTenantId.toLowerCase()) ?? 0;
  }

  setDapRead(customerTenantId: string, on: boolean, ticket: number): boolean {
    if (this.dapTicket(customerTenantId) !== ticket) {
      return false;
    }
    this.setDap(customerTenantId, on);
    return true;
  }

  /** The Partner Center client, when the extension gave one. */
  partnerCenter(): PartnerCenterApi | undefined {
    return this.deps.partnerCenter?.();
  }

  setBusy(id: string, label: string | undefined): void {
    if (label === undefined) {
      this.busy.delete(id);
    } else {
      this.busy.set(id, label);
    }
  }

  busyLabel(id: string): string | undefined {
    return this.busy.get(id);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private indexed(): InventoryIndex | undefined {
    const inv = this.inventory;
    if (inv === undefined) {
      return undefined;
    }
    if (this.index?.of !== inv) {
      const customers = new Map<string, InventoryCustomer>();
      const relationships = new Map<string, InventoryRelationship>();
      for (const c of inv.customers) {
        // The first wins, as the linear search did.
        if (!customers.has(c.tenantId)) {
          customers.set(c.tenantId, c);
        }
        for (const r of c.relationships) {
          if (!relationships.has(r.id)) {
            relationships.set(r.id, r);
          }
        }
      }
      for (const r of inv.pendingRelationships) {
        if (!relationships.has(r.id)) {
          relationships.set(r.id, r);
        }
      }
      this.index = { of: inv, customers, relationships };
    }
    return this.index;
  }

  /**
   * Several customers' relationships read again at once (one `$filter` read each, in parallel) and
   * replaced together: one change event and one cache write. A failed read rejects and changes nothing.
   * One customer alone shares a read already under way for it (`reloadCustomer`).
   */
  reloadCustomers(tenantIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const [one] = tenantIds;
    return tenantIds.length === 1 && one !== undefined ? this.reloadCustomer(one, signal) : this.readCustomers(tenantIds, signal);
  }

  private async readCustomers(tenantIds: readonly string[], signal?: AbortSignal): Promise<void> {
    const epoch = this.epoch;
    const reads = await Promise.all(tenantIds.map(async (t) => ({ tenantId: t, loaded: await this.customerRead(t, signal) })));
    let inv = this.inventory;
    if (inv === undefined || epoch !== this.epoch) {
      return;
    }
    for (const { tenantId, loaded } of reads) {
      inv = this.withCustomer(inv, tenantId, loaded);
    }
    this.inventory = inv;
    void this.save(inv);
    this.changed.fire();
  }

  /** One customer's relationships read again (`$filter`), as the inventory holds them; the customers list is not read. */
  private async customerRead(tenantId: string, signal?: AbortSignal): Promise<InventoryCustomer | undefined> {
    const graph = this.deps.graph();
    // Only the relationships list, filtered to this customer: the customers list is not read again
    // (the name already shown is kept).
    const scoped = {
      listRelationships: (o?: Parameters<GdapApi['listRelationships']>[0]) => graph.listRelationships(o),
      listCustomers: () => Promise.resolve([]),
    } as unknown as GdapApi;
    const fresh = await loadInventory(scoped, {
      includeAssignments: false,
      customerTenantId: tenantId,
      signal,
      source: this.deps.source(),
    });
    const key = tenantId.toLowerCase();
    return fresh.customers.find((c) => c.tenantId.toLowerCase() === key);
  }

  /**
   * `inv` with the customer `tenantId` holding `loaded`'s relationships (the name already shown is kept);
   * a customer not in it yet is added in the inventory's order. Cached assignments of both are dropped.
   */
  private withCustomer(inv: Inventory, tenantId: string, loaded: InventoryCustomer | undefined): Inventory {
    const key = tenantId.toLowerCase();
    const old = inv.customers.find((c) => c.tenantId.toLowerCase() === key);
    for (const r of [...(old?.relationships ?? []), ...(loaded?.relationships ?? [])]) {
      this.assignments.delete(r.id);
    }
    const replacement: InventoryCustomer = {
      tenantId: old?.tenantId ?? tenantId,
      displayName: old?.displayName ?? loaded?.displayName ?? tenantId,
      relationships: loaded?.relationships ?? [],
    };
    if (old !== undefined) {
      return { ...inv, customers: inv.customers.map((c) => (c === old ? replacement : c)) };
    }
    const at = inv.customers.findIndex((c) => byName(replacement, c) < 0);
    const customers = [...inv.customers];
    customers.splice(at < 0 ? customers.length : at, 0, replacement);
    return { ...inv, customers };
  }

  /**
   * Takes in relationships that moved on while they waited for approval, as the approval poller read them
   * again, without reloading the whole inventory (at 10,000 customers that is thousands of relationships
   * for one approval): the customer of each is read again alone (one `$filter` read) and added in order
   * when the tree does not show it yet, so a relationship that now has a customer leaves the pending
   * group; one still without a customer is replaced where it is; one the service no longer has
   * (`relationship` undefined) is dropped. One change event at the end; a failed read changes nothing.
   */
  async applyMoved(moved: readonly MovedRelationship[], signal?: AbortSignal): Promise<void> {
    const inPlace = new Map<string, InventoryRelationship>();
    for (const m of moved) {
      if (m.relationship !== undefined && !m.relationship.customer.tenantId) {
        inPlace.set(m.id, m.relationship);
      }
    }
    const epoch = this.epoch;
    const reads = await Promise.all(
      customersOfMoved(moved).map(async (t) => ({ tenantId: t, loaded: await this.customerRead(t, signal) })),
    );
    let inv = this.inventory;
    if (inv === undefined || epoch !== this.epoch) {
      return;
    }
    const movedIds = new Set(moved.map((m) => m.id));
    const settle = (list: readonly InventoryRelationship[]): readonly InventoryRelationship[] =>
      list.some((r) => movedIds.has(r.id))
        ? list.filter((r) => !movedIds.has(r.id) || inPlace.has(r.id)).map((r) => inPlace.get(r.id) ?? r)
        : list;
    inv = {
      ...inv,
      customers: inv.customers.map((c) => {
        const relationships = settle(c.relationships);
        return relationships === c.relationships ? c : { ...c, relationships };
      }),
      pendingRelationships: settle(inv.pendingRelationships),
    };
    for (const { tenantId, loaded } of reads) {
      // The relationship as read by id is kept even if the customer's filtered list does not show it yet
      // (a list may trail a read by id): it does not vanish from the tree until the next refresh.
      const key = tenantId.toLowerCase();
      const mine = moved.flatMap((m) => (m.relationship?.customer.tenantId?.toLowerCase() === key ? [m.relationship] : []));
      const listed = new Set(loaded?.relationships.map((r) => r.id));
      const missing = mine.filter((r) => !listed.has(r.id));
      const relationships =
        missing.length === 0 ? (loaded?.relationships ?? []) : [...(loaded?.relationships ?? []), ...missing].sort(byName);
      inv = this.withCustomer(inv, tenantId, {
        tenantId: loaded?.tenantId ?? tenantId,
        displayName: loaded?.displayName ?? mine[0]?.customer.displayName ?? tenantId,
        relationships,
      });
    }
    this.inventory = inv;
    void this.save(inv);
    this.changed.fire();
  }

  /** Never rejects: a cache that cannot be written costs only the next start-up's head start. */
  private async save(inventory: Inventory): Promise<void> {
    try {
      if (!this.deps.cacheEnabled()) {
        await this.forgetCache();
        return;
      }
      await this.deps.cache.write({ key: this.deps.cacheKey(), savedAt: this.loadedAt ?? Date.now(), inventory });
    } catch (e) {
      this.deps.log?.(`Start-up cache not written: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
