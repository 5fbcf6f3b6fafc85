// The start-up cache and precise refresh inside a real extension host, with the emulator's large preset:
// the inventory is cached in a file under the extension's global storage (never in globalState), the
// tree paints from that file when it starts without an inventory, and refreshing one customer sends
// only that customer's filtered relationships request.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { type EmulatorRequest, emulatorRequests, emulatorState, resetEmulator, setEmulatorFaults } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle } from './harness/vscodeHelpers';

class RecordingPrompts implements PromptLayer {
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  confirm(_request: ConfirmRequest): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(_items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string): Promise<string | undefined> {
    this.notices.push({ level, message });
    return Promise.resolve(undefined);
  }
}

const LIST_ROUTES = /^\/v1\.0\/tenantRelationships\/(delegatedAdminRelationships|delegatedAdminCustomers)\/?$/;

function listRequests(requests: EmulatorRequest[]): EmulatorRequest[] {
  return requests.filter((r) => r.method === 'GET' && LIST_ROUTES.test(r.path));
}

function decodedQuery(r: EmulatorRequest): string {
  return decodeURIComponent((r.query ?? '').replace(/\+/g, ' '));
}

/** The cache file (version 2): a header line, then one line per customer (`["c", tenantId, …]`) and pending lines. */
function cacheFile(path: string): { header: { version: number; savedAt: number }; customerTenantIds: string[] } {
  const [first, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const rows = lines.map((l) => JSON.parse(l) as unknown[]);
  return {
    header: JSON.parse(first) as { version: number; savedAt: number },
    customerTenantIds: rows.filter((r) => r[0] === 'c').map((r) => r[1] as string),
  };
}

describe('start-up cache file and per-customer refresh (large preset)', function () {
  this.timeout(180_000);
  let api: GdapExplorerApi;
  const prompts = new RecordingPrompts();

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(prompts);
    await resetEmulator({ preset: 'large', seed: 1 });
    await signInWithEmulator(api);
    await treeIdle(api.tree, 120_000);
    api.tree.clear();
    await api.tree.refresh();
    await treeIdle(api.tree, 120_000);
    assert.ok((api.tree.store.current?.customers.length ?? 0) > 1000, 'the large preset is loaded');
  });

  after(async () => {
    await setEmulatorFaults('');
    await resetEmulator({ preset: 'demo' });
    await api.tree.refresh();
    await treeIdle(api.tree, 120_000);
    api.setPromptLayer(undefined);
  });

  it('keeps no inventory in globalState; the cache file holds it, versioned', () => {
    const inventory = api.tree.store.current;
    assert.ok(inventory);
    const stored = JSON.stringify(api.storedState());
    assert.ok(
      !Object.keys(api.storedState()).some((k) => /inventory/i.test(k)),
      `no inventory key in globalState: ${Object.keys(api.storedState()).join(', ')}`,
    );
    for (const c of inventory.customers.slice(0, 50)) {
      assert.ok(!stored.includes(c.tenantId), 'no customer of the inventory in globalState');
    }
    assert.ok(existsSync(api.startupCachePath), `the cache file exists (${api.startupCachePath})`);
    assert.ok(statSync(api.startupCachePath).size > 1_000_000, 'the large inventory is in the file');
    const file = cacheFile(api.startupCachePath);
    assert.equal(file.header.version, 2);
    assert.equal(typeof file.header.savedAt, 'number');
    assert.deepEqual(
      file.customerTenantIds,
      inventory.customers.map((c) => c.tenantId),
    );
  });

  it('a start without an inventory in memory paints the first level from the file while the network load fails', async () => {
    const cached = cacheFile(api.startupCachePath).customerTenantIds.length;
    // Every API answer is cut (invalid JSON): what is painted can only come from the file.
    await setEmulatorFaults('malformed:1');
    try {
      api.tree.clear();
      assert.equal(api.tree.store.current, undefined, 'nothing in memory');
      const before = (await emulatorRequests()).length;
      const roots = await api.tree.getChildren();
      assert.equal(roots.filter((n) => n.kind === 'customer').length, cached, 'every cached customer is painted');
      assert.equal(api.tree.store.isFromCache, true);
      assert.match(api.treeView.description ?? '', /cached/);
      await treeIdle(api.tree, 60_000);
      const answered = listRequests((await emulatorRequests()).slice(before));
      assert.ok(answered.length > 0, 'the background reload was sent (and its answers were cut)');
      assert.equal(api.tree.store.isFromCache, true, 'the failed reload left the cached inventory shown');
    } finally {
      await setEmulatorFaults('');
    }
    await api.tree.refresh();
    await treeIdle(api.tree, 120_000);
    assert.equal(api.tree.store.isFromCache, false, 'a successful reload replaces the cached inventory');
  });

  it('refreshing one customer sends only its filtered relationships request and updates only its subtree', async () => {
    const inventory = api.tree.store.current;
    assert.ok(inventory);
    const roots = (await api.tree.getChildren()) as (GdapNode & { tenantId?: string })[];
    const node = roots.find((n) => n.kind === 'customer' && (api.tree.store.findCustomer(n.tenantId ?? '')?.relationships.length ?? 0) > 1);
    assert.ok(node?.tenantId, 'a customer with relationships');
    const tenantId = node.tenantId;
    const others = inventory.customers.filter((c) => c.tenantId !== tenantId);

    const before = (await emulatorRequests()).length;
    await api.tree.refresh(node);
    await treeIdle(api.tree);
    const sent = listRequests((await emulatorRequests()).slice(before));
    assert.equal(sent.length, 1, `one list request: ${sent.map((r) => `${r.path}?${decodedQuery(r)}`).join('\n')}`);
    assert.match(sent[0].path, /delegatedAdminRelationships\/?$/);
    assert.ok(decodedQuery(sent[0]).includes(`$filter=customer/tenantId eq '${tenantId}'`), decodedQuery(sent[0]));

    const after = api.tree.store.current;
    assert.ok(after);
    assert.equal(after.customers.length, inventory.customers.length);
    for (const c of others) {
      assert.equal(
        after.customers.find((x) => x.tenantId === c.tenantId),
        c,
        'other customers are the same objects: not reloaded',
      );
    }
    const state = await emulatorState();
    const expected = state.relationships
      .filter((r) => (r.customer as { tenantId?: string } | null)?.tenantId === tenantId)
      .map((r) => r.id)
      .sort();
    assert.deepEqual(
      api.tree.store
        .findCustomer(tenantId)
        ?.relationships.map((r) => r.id)
        .sort(),
      expected,
    );
  });

  it('drops the nodes of customers that are gone after a reload', async () => {
    const roots = await api.tree.getChildren();
    const largeOnly = roots.find((n) => n.kind === 'customer');
    assert.ok(largeOnly?.id);
    assert.ok(api.tree.findNode(largeOnly.id), 'interned while shown');
    await resetEmulator({ preset: 'empty' });
    await api.tree.refresh();
    await treeIdle(api.tree);
    assert.equal(api.tree.store.current?.customers.length, 0);
    assert.equal(api.tree.findNode(largeOnly.id), undefined, 'no node kept for a customer that is gone');
  });
});
