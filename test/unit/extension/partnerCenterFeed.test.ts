import { strict as assert } from 'node:assert';
import type { CallOptions } from '../../../src/core/graph/gdapApi';
import type { PartnerCenterCustomer } from '../../../src/core/partnerCenter/partnerCenterApi';
import { PartnerCenterFeed, type DapCache, type PartnerCenterFeedDeps } from '../../../src/extension/tree/partnerCenterFeed';

const T = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function pc(n: number, dap: boolean | null = null): PartnerCenterCustomer {
  return {
    id: T(n),
    tenantId: T(n),
    companyName: `Customer ${n}`,
    domain: null,
    allowDelegatedAccess: dap,
    relationshipToPartner: 'reseller',
  };
}

interface Deferred<V> {
  readonly promise: Promise<V>;
  resolve(v: V): void;
  reject(e: unknown): void;
}

function deferred<V>(): Deferred<V> {
  let resolve!: (v: V) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<V>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A Partner Center whose answers the test gives one by one. */
class FakePartnerCenter {
  readonly list = deferred<PartnerCenterCustomer[]>();
  readonly gets: { tenantId: string; signal: AbortSignal | undefined; answer: Deferred<PartnerCenterCustomer> }[] = [];
  listCalls = 0;
  maxInFlight = 0;
  private inFlight = 0;

  listCustomers(): Promise<PartnerCenterCustomer[]> {
    this.listCalls += 1;
    return this.list.promise;
  }

  getCustomer(tenantId: string, options?: CallOptions): Promise<PartnerCenterCustomer> {
    const answer = deferred<PartnerCenterCustomer>();
    this.gets.push({ tenantId, signal: options?.signal, answer });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const done = (): void => {
      this.inFlight -= 1;
    };
    answer.promise.then(done, done);
    return answer.promise;
  }

  /** Answers the oldest unanswered read. */
  async answer(dap: boolean | Error): Promise<string> {
    const next = this.gets.find((g) => !(g as { answered?: boolean }).answered);
    assert.ok(next, 'a read is waiting');
    (next as { answered?: boolean }).answered = true;
    if (dap instanceof Error) {
      next.answer.reject(dap);
    } else {
      next.answer.resolve(pc(Number(next.tenantId.slice(-12)), dap));
    }
    await flush();
    return next.tenantId;
  }
}

class MemoryDap implements DapCache {
  readonly states = new Map<string, boolean>();
  private readonly versions = new Map<string, number>();
  set(id: string, on: boolean): void {
    this.states.set(id.toLowerCase(), on);
    this.versions.set(id.toLowerCase(), this.dapTicket(id) + 1);
  }
  dapTicket(id: string): number {
    return this.versions.get(id.toLowerCase()) ?? 0;
  }
  setDapRead(id: string, on: boolean, ticket: number): boolean {
    if (ticket !== this.dapTicket(id)) {
      return false;
    }
    this.set(id, on);
    return true;
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) {
    await new Promise((r) => setImmediate(r));
  }
}

function setup(overrides: Partial<PartnerCenterFeedDeps> = {}): {
  feed: PartnerCenterFeed;
  fake: FakePartnerCenter;
  dap: MemoryDap;
  changed: string[];
  listChanges: { n: number };
  gate: { open: boolean };
} {
  const fake = new FakePartnerCenter();
  const dap = new MemoryDap();
  const changed: string[] = [];
  const listChanges = { n: 0 };
  const gate = { open: true };
  const feed = new PartnerCenterFeed({
    client: () => fake,
    canSend: () => gate.open,
    dap,
    order: (list) => list.map((c) => c.tenantId),
    onListChanged: () => (listChanges.n += 1),
    onDapChanged: (id) => changed.push(id),
    ...overrides,
  });
  return { feed, fake, dap, changed, listChanges, gate };
}

describe('Partner Center feed of the tree (the No GDAP list and DAP states)', () => {
  it('reads the list, then the DAP states in order, two at a time, and reports each', async () => {
    const { feed, fake, dap, changed, listChanges } = setup();
    feed.start();
    feed.start();
    assert.equal(fake.listCalls, 1, 'one list read');
    assert.equal(feed.state.kind, 'loading');
    fake.list.resolve([pc(1), pc(2), pc(3), pc(4)]);
    await flush();
    assert.equal(feed.state.kind, 'loaded');
    assert.equal(listChanges.n, 1);
    assert.deepEqual(
      fake.gets.map((g) => g.tenantId),
      [T(1), T(2)],
      'two reads at once, in order',
    );
    await fake.answer(true);
    await fake.answer(false);
    await fake.answer(true);
    await fake.answer(false);
    assert.equal(fake.maxInFlight, 2);
    assert.deepEqual(
      fake.gets.map((g) => g.tenantId),
      [T(1), T(2), T(3), T(4)],
    );
    assert.deepEqual(changed, [T(1), T(2), T(3), T(4)]);
    assert.equal(dap.states.get(T(1)), true);
    assert.equal(dap.states.get(T(2)), false);
    await feed.settled();
    assert.equal(feed.busy, false);
  });

  it('reads only Partner Center customers, and a prioritised customer first', async () => {
    const { feed, fake } = setup({ order: () => [T(9), T(1), T(2), T(3), T(4)] });
    feed.start();
    feed.prioritise([T(4)]);
    fake.list.resolve([pc(1), pc(2), pc(3), pc(4)]);
    await flush();
    assert.deepEqual(
      fake.gets.map((g) => g.tenantId),
      [T(4), T(1)],
      'the prioritised one first; T(9) is not a Partner Center customer and is never read',
    );
    feed.prioritise([T(3)]);
    await fake.answer(true);
    assert.equal(fake.gets.at(-1)?.tenantId, T(3), 'prioritised while the pass runs: next');
  });

  it('sends nothing while it may not (signed out, setting off), and stops sending when that changes', async () => {
    const { feed, fake, gate } = setup();
    gate.open = false;
    feed.start();
    assert.equal(fake.listCalls, 0);
    assert.equal(feed.state.kind, 'idle');
    gate.open = true;
    feed.start();
    fake.list.resolve([pc(1), pc(2), pc(3), pc(4), pc(5)]);
    await flush();
    assert.equal(fake.gets.length, 2);
    gate.open = false;
    await fake.answer(true);
    await fake.answer(true);
    assert.equal(fake.gets.length, 2, 'no read after sign-out');
    await feed.settled();
  });

  it('reset aborts what is in flight, drops what waits and ignores late answers', async () => {
    const { feed, fake, dap, changed, listChanges } = setup();
    feed.start();
    fake.list.resolve([pc(1), pc(2), pc(3)]);
    await flush();
    const first = fake.gets[0];
    feed.reset();
    assert.equal(first.signal?.aborted, true, 'the read in flight is cancelled');
    assert.equal(feed.state.kind, 'idle');
    assert.equal(listChanges.n, 2, 'the list went away');
    await fake.answer(true);
    await fake.answer(true);
    assert.equal(fake.gets.length, 2, 'nothing more is sent');
    assert.deepEqual(changed, []);
    assert.equal(dap.states.size, 0, 'a late answer does not land');
    await feed.settled();
  });

  it('a refresh of the tree keeps the DAP states read this session; a full reset reads them again', async () => {
    const { feed, fake } = setup({ concurrency: 1 });
    feed.start();
    fake.list.resolve([pc(1), pc(2)]);
    await flush();
    await fake.answer(true);
    await fake.answer(false);
    await feed.settled();
    assert.equal(fake.gets.length, 2);

    feed.reset({ keepDapStates: true });
    feed.start();
    await flush();
    await feed.settled();
    assert.equal(fake.listCalls, 2, 'the list is read again');
    assert.equal(fake.gets.length, 2, 'no DAP state is read again after a refresh of the tree');

    feed.reset();
    feed.start();
    await flush();
    assert.equal(fake.gets.length, 3, 'after sign-out or the setting off, the states are read again');
    await fake.answer(true);
    await fake.answer(true);
    await feed.settled();
    assert.equal(fake.gets.length, 4);
  });

  it('a failed list read is the state (no DAP read); a failed DAP read other than 404 stops the pass', async () => {
    const failing = setup();
    failing.feed.start();
    failing.fake.list.reject(Object.assign(new Error('Partner Center access has not been granted yet.'), { kind: 'auth' }));
    await flush();
    assert.equal(failing.feed.state.kind, 'failed');
    assert.equal(failing.fake.gets.length, 0);

    const { feed, fake } = setup({ concurrency: 1 });
    feed.start();
    fake.list.resolve([pc(1), pc(2), pc(3), pc(4)]);
    await flush();
    await fake.answer(Object.assign(new Error('not a reseller customer'), { kind: 'notFound' }));
    assert.equal(fake.gets.length, 2, 'a 404 (not a reseller customer) goes on');
    await fake.answer(Object.assign(new Error('Forbidden'), { kind: 'forbidden' }));
    assert.equal(fake.gets.length, 2, 'a 403 stops the pass: every other read would fail the same way');
    await feed.settled();
  });

  it('a state set while a read was in flight (Remove DAP) wins; invalidate reads again', async () => {
    const { feed, fake, dap, changed } = setup({ concurrency: 1 });
    feed.start();
    fake.list.resolve([pc(1), pc(2)]);
    await flush();
    dap.set(T(1), false);
    await fake.answer(true);
    assert.equal(dap.states.get(T(1)), false, 'the older read does not overwrite');
    assert.deepEqual(changed, []);
    await fake.answer(true);
    feed.invalidate(T(2));
    await flush();
    assert.equal(fake.gets.at(-1)?.tenantId, T(2));
    assert.equal(fake.gets.length, 3);
    await fake.answer(false);
    assert.equal(dap.states.get(T(2)), false);
    feed.prioritise([T(2)]);
    assert.equal(fake.gets.length, 3, 'read once per session unless invalidated');
  });
});
