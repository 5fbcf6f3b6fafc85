import type { BatchItemResult, GdapApi } from '../graph/gdapApi';
import type { AccessAssignment, Relationship } from '../graph/models';
import { isGdapError, type GdapErrorKind } from '../http/gdapError';
import {
  domainAccessAssignment,
  domainRelationship,
  type DomainAccessAssignment,
  type DomainRelationship,
  type DomainRole,
} from '../domain/model';
import { compareNames, prepareNameOrder } from '../domain/nameOrder';

/*
 * The inventory is one shape for three consumers: the tree, the extension's cache, and the CLI's
 * `inventory` JSON. Field names follow that JSON contract exactly;
 * optional extras (`accessAssignmentsError`, `assignmentErrors`) only appear when a load failed.
 */

// The inventory holds the domain model (ETags kept, roles resolved); the CLI prints a projection of it.
export type InventoryRole = DomainRole;
export type InventoryAccessAssignment = DomainAccessAssignment;
export type InventoryRelationship = DomainRelationship;

export interface InventoryCustomer {
  readonly tenantId: string;
  readonly displayName: string;
  readonly relationships: readonly InventoryRelationship[];
}

export interface InventoryAssignmentError {
  readonly relationshipId: string;
  readonly kind: GdapErrorKind;
  readonly message: string;
}

export interface Inventory {
  readonly generatedAt: string;
  /** Where it came from, e.g. `graph` or `emulator`; set by the caller. */
  readonly source: string;
  /** Sorted by display name. */
  readonly customers: readonly InventoryCustomer[];
  /** Relationships with no customer tenant yet (created for approval by any customer). */
  readonly pendingRelationships: readonly InventoryRelationship[];
  /** Per-relationship assignment load failures (not fatal); present only when there were any. */
  readonly assignmentErrors?: readonly InventoryAssignmentError[];
}

export interface InventoryProgress {
  readonly phase: 'relationships' | 'assignments' | 'done';
  /** Relationships read so far, or relationships whose assignments are loaded. */
  readonly loaded: number;
  readonly total?: number;
}

export interface LoadInventoryOptions {
  readonly includeAssignments: boolean;
  readonly customerTenantId?: string;
  readonly status?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: InventoryProgress) => void;
  /** Recorded in `source` (default `graph`). */
  readonly source?: string;
  /** For tests; default the current time. */
  readonly now?: Date;
}

/** When, after the first requests, the name collator is made (`prepareNameOrder`): their connections are open by then. */
const NAME_ORDER_PREPARE_MS = 10;

/** Statuses whose access assignments are loaded ( `active` or `expiring`). */
const ASSIGNMENT_STATUSES = new Set(['active', 'expiring']);

const toAssignment = domainAccessAssignment;
const toRelationship = domainRelationship;

/** Sub-requests per Graph `$batch` (docs/api-notes.md §9.3): relationship ids are handed on in groups of this size. */
const BATCH_GROUP = 20;

/**
 * Relationship ids handed from the relationship pages to the batched assignment reads while the pages
 * are still being read. `push` hands on groups of exactly 20 and carries the remainder; `end` hands on
 * the rest; `fail` ends the stream with an error (the reader stops sending batches).
 */
class IdStream implements AsyncIterable<readonly string[]> {
  private readonly groups: string[][] = [];
  private carried: string[] = [];
  private done = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  push(id: string): void {
    if (this.done) {
      return;
    }
    this.carried.push(id);
    if (this.carried.length >= BATCH_GROUP) {
      this.groups.push(this.carried);
      this.carried = [];
      this.notify();
    }
  }

  end(): void {
    if (this.done) {
      return;
    }
    if (this.carried.length > 0) {
      this.groups.push(this.carried);
      this.carried = [];
    }
    this.done = true;
    this.notify();
  }

  fail(error: unknown): void {
    if (this.done) {
      return;
    }
    this.error = error instanceof Error ? error : new Error(String(error));
    this.done = true;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<readonly string[]> {
    for (;;) {
      const next = this.groups.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.error !== undefined) {
        throw this.error;
      }
      if (this.done) {
        return;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** The inventory's order of customers and of relationships: by name, then by id. */
export function byName(
  a: { displayName: string; id?: string; tenantId?: string },
  b: { displayName: string; id?: string; tenantId?: string },
): number {
  return compareNames(a.displayName, b.displayName) || compareNames(a.id ?? a.tenantId ?? '', b.id ?? b.tenantId ?? '');
}

/**
 * Customers, relationships and (optionally) access assignments in one pass: relationship pages at
 * `$top=300` and the customers list in parallel, and the assignments of active/expiring relationships
 * through the batched read — never one request per customer (
 * requests ≈ relationship pages + customer pages + ⌈active relationships / 20⌉). When the client can
 * take the ids as a stream, assignment batches go out while later relationship pages are still being
 * read (groups of exactly 20, the remainder carried), so the batch count stays ⌈active / 20⌉.
 */
// Long because: the streamed relationship pages and the assignment batches overlap through closures over one run's state.
export async function loadInventory(graph: GdapApi, options: LoadInventoryOptions): Promise<Inventory> {
  const { signal } = options;
  const generatedAt = (options.now ?? new Date()).toISOString();
  const converted = new Map<string, InventoryRelationship>();
  /** Relationships whose assignments are read and not yet converted: converted once those are in. */
  const awaiting = new Map<string, Relationship>();
  /** The ids whose assignments are read, in the order they were first listed. */
  const readIds = new Set<string>();
  /** Each relationship's assignments as they came in (streamed reads), for a listing of it that comes later. */
  const loadedAssignments = new Map<string, InventoryAccessAssignment[]>();
  // Each relationship is converted as soon as its assignments are in, while other batches and pages are
  // still on their way, rather than all of them after the last batch (BENCHMARKS.md, "Inventory, sixth pass").
  // What it was converted from is let go then: the read's own values and the listed relationship, kept
  // to the end, outlived every collection of the run and were copied by it ("Inventory, ninth pass").
  const onResult = (id: string, result: BatchItemResult<AccessAssignment[]>): void => {
    if (!result.ok) {
      return;
    }
    const assignments = result.value.map(toAssignment);
    loadedAssignments.set(id, assignments);
    const base = awaiting.get(id);
    if (base !== undefined) {
      converted.set(id, toRelationship(base, { accessAssignments: assignments }));
      awaiting.delete(id);
    }
  };

  const stream = options.includeAssignments && graph.listAccessAssignmentsForManyStreamed !== undefined ? new IdStream() : undefined;
  const streamedResults =
    stream === undefined
      ? undefined
      : (graph.listAccessAssignmentsForManyStreamed?.(stream, { signal, onResult, retainDelivered: false }) as Promise<
          Map<string, BatchItemResult<AccessAssignment[]>>
        >);
  // Observed below; a rejection that lands before then must not count as unhandled.
  streamedResults?.catch(() => undefined);
  /** The ids of the relationships as listed (a page that shifted may list one twice). */
  const readRelationships = async (): Promise<string[]> => {
    const all: string[] = [];
    const iterable = graph.listRelationships({
      top: 300,
      readAll: true,
      signal,
      ...(options.customerTenantId !== undefined ? { customerTenantId: options.customerTenantId } : {}),
      ...(options.status !== undefined ? { status: options.status } : {}),
    });
    for await (const r of iterable) {
      all.push(r.id);
      // Converted while later pages are still on their way, except those whose assignments are read.
      // An id listed again (a page that shifted) takes its latest version.
      if (options.includeAssignments && ASSIGNMENT_STATUSES.has(r.status)) {
        const assignments = loadedAssignments.get(r.id);
        readIds.add(r.id);
        if (assignments !== undefined) {
          // Listed again after its assignments came in: this version, with them.
          converted.set(r.id, toRelationship(r, { accessAssignments: assignments }));
        } else {
          converted.delete(r.id);
          awaiting.set(r.id, r);
        }
        stream?.push(r.id);
      } else {
        awaiting.delete(r.id);
        readIds.delete(r.id);
        converted.set(r.id, toRelationship(r));
      }
      if (all.length % 300 === 0) {
        options.onProgress?.({ phase: 'relationships', loaded: all.length });
      }
    }
    options.onProgress?.({ phase: 'relationships', loaded: all.length });
    return all;
  };

  let relationships: string[];
  let customerList: Awaited<ReturnType<GdapApi['listCustomers']>>;
  const reads = Promise.all([readRelationships(), graph.listCustomers({ signal })]);
  // The lists are sorted by name at the end; the collator (≈ 14 ms to make) is made while the first
  // pages are on their way: late enough for their requests to be out, usually before the first answer.
  const prepare = setTimeout(prepareNameOrder, NAME_ORDER_PREPARE_MS);
  prepare.unref?.();
  try {
    [relationships, customerList] = await reads;
  } catch (e) {
    clearTimeout(prepare);
    // No more assignment batches; the inventory fails with the list's own error.
    stream?.fail(e);
    await streamedResults?.catch(() => undefined);
    throw e;
  }
  clearTimeout(prepare);
  stream?.end();

  const assignmentErrors: InventoryAssignmentError[] = [];
  if (options.includeAssignments) {
    // Those whose latest listing has their assignments read (one listed again in another status has not).
    const ids = [...readIds];
    if (ids.length > 0) {
      options.onProgress?.({ phase: 'assignments', loaded: 0, total: ids.length });
      const results = streamedResults !== undefined ? await streamedResults : await graph.listAccessAssignmentsForMany(ids, { signal });
      let loaded = 0;
      for (const id of ids) {
        const base = awaiting.get(id);
        if (base === undefined) {
          // Converted when its assignments came in.
          loaded += 1;
          continue;
        }
        const item = results.get(id);
        if (item?.ok === true) {
          converted.set(id, toRelationship(base, { accessAssignments: item.value.map(toAssignment) }));
          loaded += 1;
        } else {
          const kind: GdapErrorKind =
            item === undefined ? 'invalidResponse' : isGdapError(item.error) ? item.error.kind : 'invalidResponse';
          const message = item === undefined ? 'No result was returned for this relationship.' : item.error.message;
          converted.set(id, toRelationship(base, { accessAssignmentsError: { kind, message } }));
          assignmentErrors.push({ relationshipId: id, kind, message });
        }
      }
      options.onProgress?.({ phase: 'assignments', loaded, total: ids.length });
    }
  }

  const customerNames = new Map<string, string>();
  for (const c of customerList) {
    customerNames.set(c.tenantId.toLowerCase(), c.displayName);
  }

  const grouped = new Map<string, { tenantId: string; displayName: string; relationships: InventoryRelationship[] }>();
  const pendingRelationships: InventoryRelationship[] = [];
  const placed = new Set<string>();
  for (const id of relationships) {
    // Once per id, in the version converted last (the latest listing).
    if (placed.has(id)) {
      continue;
    }
    placed.add(id);
    const item = converted.get(id) as InventoryRelationship;
    const tenantId = item.customer.tenantId;
    if (tenantId === null || tenantId === '') {
      pendingRelationships.push(item);
      continue;
    }
    const key = tenantId.toLowerCase();
    let group = grouped.get(key);
    if (group === undefined) {
      // The customers list may lag behind or hide a customer (docs/api-notes.md §2.3, §3.19): fall back to the
      // name the relationship carries, then to the tenant id.
      const displayName = customerNames.get(key) ?? (item.customer.displayName || tenantId);
      group = { tenantId, displayName, relationships: [] };
      grouped.set(key, group);
    }
    group.relationships.push(item);
  }

  // A customer with no relationship in view still belongs in an unfiltered inventory; with a status
  // filter only customers that have a matching relationship are listed.
  if (options.status === undefined) {
    for (const c of customerList) {
      const key = c.tenantId.toLowerCase();
      if (grouped.has(key)) {
        continue;
      }
      if (options.customerTenantId !== undefined && key !== options.customerTenantId.toLowerCase()) {
        continue;
      }
      grouped.set(key, { tenantId: c.tenantId, displayName: c.displayName || c.tenantId, relationships: [] });
    }
  }

  const customers: InventoryCustomer[] = [...grouped.values()]
    .map((g) => ({ tenantId: g.tenantId, displayName: g.displayName, relationships: g.relationships.sort(byName) }))
    .sort(byName);
  pendingRelationships.sort(byName);
  options.onProgress?.({ phase: 'done', loaded: relationships.length });

  const inventory: Inventory = {
    generatedAt,
    source: options.source ?? 'graph',
    customers,
    pendingRelationships,
  };
  if (assignmentErrors.length > 0) {
    return { ...inventory, assignmentErrors };
  }
  return inventory;
}
