import type { PartnerCenterApi, PartnerCenterCustomer } from '../../core/partnerCenter/partnerCenterApi';

/*
 * What the tree reads from Partner Center in the background (docs/access.md "In VS Code"): the customer
 * list (for the "No GDAP" group) and then, one customer at a time, the legacy DAP state (only the GET by id
 * carries it, docs/api-notes.md §8.3). Nothing here blocks the tree's paint; the provider repaints when
 * `onListChanged` / `onDapChanged` say so. No vscode import: the unit tests drive it with a fake client.
 */

/** DAP reads in flight at once: a low, steady rate instead of a burst at thousands of customers. */
export const DAP_READS_AT_ONCE = 2;

export type PartnerCenterListState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'loaded'; readonly customers: readonly PartnerCenterCustomer[] }
  | { readonly kind: 'failed'; readonly error: unknown };

/** The tree's DAP cache (the store's): a read only lands when nothing newer was set since it started. */
export interface DapCache {
  dapTicket(tenantId: string): number;
  setDapRead(tenantId: string, on: boolean, ticket: number): boolean;
}

export interface PartnerCenterFeedDeps {
  readonly client: () => Pick<PartnerCenterApi, 'listCustomers' | 'getCustomer'>;
  /** False while signed out or with `gdap.partnerCenter.enabled` off: then nothing is sent. */
  readonly canSend: () => boolean;
  readonly dap: DapCache;
  /** The customers whose DAP state the pass reads, in order (the tree's first level, then "No GDAP"). */
  readonly order: (customers: readonly PartnerCenterCustomer[]) => readonly string[];
  readonly onListChanged: () => void;
  readonly onDapChanged: (tenantId: string) => void;
  readonly log?: (line: string) => void;
  readonly concurrency?: number;
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'notFound';
}

export class PartnerCenterFeed {
  private list: PartnerCenterListState = { kind: 'idle' };
  /** Partner Center tenant ids (lower case) of the loaded list: only those have a DAP state to read. */
  private known = new Set<string>();
  /** Waiting reads, in order (a Map keeps insertion order; keys lower case, values as given). */
  private queue = new Map<string, string>();
  /** Read (or found unreadable) this session: not read again until invalidated. */
  private readonly done = new Set<string>();
  private readonly inflight = new Set<string>();
  private controller = new AbortController();
  private listLoad: Promise<void> | undefined;
  private waiters: (() => void)[] = [];

  constructor(private readonly deps: PartnerCenterFeedDeps) {}

  get state(): PartnerCenterListState {
    return this.list;
  }

  /** Reads the list, then starts the DAP pass; does nothing when already started or not allowed. */
  start(): void {
    if (this.list.kind !== 'idle' || !this.deps.canSend()) {
      return;
    }
    this.list = { kind: 'loading' };
    const signal = this.controller.signal;
    const load: Promise<void> = this.readList(signal).finally(() => {
      // A reset meanwhile may have started another load: only this one is cleared.
      if (this.listLoad === load) {
        this.listLoad = undefined;
      }
      this.wake();
    });
    this.listLoad = load;
  }

  /** Reads these customers' DAP state before the rest (a customer expanded or hovered). */
  prioritise(tenantIds: readonly string[]): void {
    const first = new Map<string, string>();
    for (const id of tenantIds) {
      const key = id.toLowerCase();
      if (!this.done.has(key) && !this.inflight.has(key)) {
        first.set(key, id);
      }
    }
    if (first.size === 0) {
      return;
    }
    for (const [key, id] of this.queue) {
      if (!first.has(key)) {
        first.set(key, id);
      }
    }
    this.queue = first;
    this.pump();
  }

  /** Forgets that this customer was read (Remove DAP, a refresh of the customer): it is read again first. */
  invalidate(tenantId: string): void {
    this.done.delete(tenantId.toLowerCase());
    this.prioritise([tenantId]);
  }

  /**
   * Cancels everything in flight and waiting, and forgets the list (refresh, sign-out, setting off).
   * `keepDapStates` (a refresh of the whole tree, which also follows every change): the DAP states read
   * this session are not read again — at thousands of customers that would be minutes of Partner Center
   * requests after each change; Remove DAP and Refresh on a customer invalidate theirs.
   */
  reset(options: { keepDapStates?: boolean } = {}): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.queue.clear();
    if (options.keepDapStates !== true) {
      this.done.clear();
    }
    this.inflight.clear();
    this.known = new Set();
    const had = this.list.kind !== 'idle';
    this.list = { kind: 'idle' };
    this.listLoad = undefined;
    if (had) {
      this.deps.onListChanged();
    }
    this.wake();
  }

  /** True while the list or a DAP read is in flight or waiting. */
  get busy(): boolean {
    return (
      this.listLoad !== undefined || this.inflight.size > 0 || (this.queue.size > 0 && this.list.kind === 'loaded' && this.deps.canSend())
    );
  }

  /** Resolves once nothing is in flight or waiting (the in-host tests wait on it). */
  settled(): Promise<void> {
    if (!this.busy) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async readList(signal: AbortSignal): Promise<void> {
    try {
      const customers = await this.deps.client().listCustomers({ signal });
      if (signal.aborted) {
        return;
      }
      this.list = { kind: 'loaded', customers };
      this.known = new Set(customers.map((c) => c.tenantId.toLowerCase()));
      for (const id of this.deps.order(customers)) {
        const key = id.toLowerCase();
        if (!this.queue.has(key) && !this.done.has(key)) {
          this.queue.set(key, id);
        }
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      this.list = { kind: 'failed', error: e };
      this.queue.clear();
      this.deps.log?.(`Partner Center customers could not be read: ${errorText(e)}`);
    }
    this.deps.onListChanged();
    this.pump();
  }

  private pump(): void {
    if (this.list.kind !== 'loaded') {
      return;
    }
    const lanes = this.deps.concurrency ?? DAP_READS_AT_ONCE;
    while (this.inflight.size < lanes && this.queue.size > 0) {
      if (!this.deps.canSend()) {
        // Signed out or turned off: nothing is sent; what waits is dropped (the next start reads again).
        this.queue.clear();
        break;
      }
      const [key, id] = this.queue.entries().next().value as [string, string];
      this.queue.delete(key);
      if (this.done.has(key) || !this.known.has(key)) {
        // Not a Partner Center customer (its GET would answer 404): no DAP state to read.
        continue;
      }
      this.inflight.add(key);
      void this.readDap(key, id, this.controller.signal);
    }
    this.wake();
  }

  private async readDap(key: string, tenantId: string, signal: AbortSignal): Promise<void> {
    const ticket = this.deps.dap.dapTicket(tenantId);
    try {
      const customer = await this.deps.client().getCustomer(tenantId, { signal });
      if (signal.aborted) {
        return;
      }
      this.done.add(key);
      if (customer.allowDelegatedAccess !== null && this.deps.dap.setDapRead(tenantId, customer.allowDelegatedAccess, ticket)) {
        this.deps.onDapChanged(tenantId);
      }
    } catch (e) {
      if (signal.aborted) {
        return;
      }
      this.done.add(key);
      if (!isNotFound(e)) {
        // Signed out of Partner Center, 401/403, MFA, network: every other read would fail the same way.
        this.deps.log?.(`Partner Center DAP states: ${errorText(e)} — the remaining customers are not read until the next refresh.`);
        this.queue.clear();
      }
    } finally {
      if (!signal.aborted) {
        this.inflight.delete(key);
        this.pump();
      }
    }
  }

  private wake(): void {
    if (this.busy) {
      return;
    }
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) {
      w();
    }
  }
}
