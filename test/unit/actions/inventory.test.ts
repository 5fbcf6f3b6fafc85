import { strict as assert } from 'node:assert';
import { loadInventory } from '../../../src/core/actions/inventory';
import { inventoryJson } from '../../../src/core/domain/projection';
import { FakeGdap } from './fakes/fakeGdap';

function seed(graph: FakeGdap, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const tenant = `tenant-${i % 50}`;
    graph.addRelationship({
      id: `r${i}`,
      displayName: `Rel ${String(i).padStart(4, '0')}`,
      status: i % 4 === 0 ? 'terminated' : i % 4 === 1 ? 'expiring' : 'active',
      customer: { tenantId: tenant, displayName: `Rel name of ${tenant}` },
    });
    graph.addAssignment({ id: `a${i}`, relationshipId: `r${i}` });
  }
  graph.customers = Array.from({ length: 49 }, (_, i) => ({
    id: `tenant-${i}`,
    tenantId: `tenant-${i}`,
    displayName: `Customer ${String(49 - i).padStart(2, '0')}`,
    etag: null,
  }));
}

describe('loadInventory', () => {
  it('one paged pass + the customers list + batched assignments: request count follows the formula', async () => {
    const graph = new FakeGdap();
    seed(graph, 650);
    const inventory = await loadInventory(graph, { includeAssignments: true, now: new Date('2026-01-01T00:00:00Z'), source: 'emulator' });
    const activeOrExpiring = 650 - Math.ceil(650 / 4);
    // ⌈650/300⌉ relationship pages + 1 customer page + ⌈active/20⌉ batches.
    assert.equal(graph.requestCount, 3 + 1 + Math.ceil(activeOrExpiring / 20));
    assert.equal(graph.callsOf('listRelationships').length, 1);
    assert.equal((graph.callsOf('listRelationships')[0]?.args[0] as { top: number }).top, 300);
    assert.equal(graph.callsOf('listCustomers').length, 1);
    assert.equal(graph.callsOf('listAccessAssignmentsForMany').length, 1);
    assert.equal((graph.callsOf('listAccessAssignmentsForMany')[0]?.args[0] as string[]).length, activeOrExpiring);
    assert.equal(
      graph.callsOf('getCustomer').length + graph.callsOf('listAccessAssignments').length + graph.callsOf('getRelationship').length,
      0,
    );
    assert.equal(inventory.generatedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(inventory.source, 'emulator');
    assert.equal(inventory.customers.length, 50);
    assert.equal(
      inventory.customers.reduce((n, c) => n + c.relationships.length, 0),
      650,
    );
  });

  it('sorts customers by display name, falling back to the relationship customer name', async () => {
    const graph = new FakeGdap();
    seed(graph, 100);
    const inventory = await loadInventory(graph, { includeAssignments: false });
    const names = inventory.customers.map((c) => c.displayName);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, 'en')),
    );
    assert.ok(names.includes('Rel name of tenant-49'), 'customer missing from the list keeps the relationship name');
    assert.equal(names[0], 'Customer 01');
  });

  it('assignments only for active/expiring, JSON field names of the CLI contract', async () => {
    const graph = new FakeGdap();
    graph.addRelationship({
      id: 'r1',
      status: 'active',
      customer: { tenantId: 't1', displayName: 'Contoso' },
      roleDefinitionIds: ['62e90394-69f5-4237-9190-012177145e10'],
    });
    graph.addRelationship({ id: 'r2', status: 'terminated', customer: { tenantId: 't1', displayName: 'Contoso' } });
    graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const inventory = await loadInventory(graph, { includeAssignments: true });
    // The CLI contract is the JSON projection of the domain inventory (which also keeps ETags).
    const [customer] = inventoryJson(inventory).customers;
    assert.deepEqual(Object.keys(customer ?? {}), ['tenantId', 'displayName', 'relationships']);
    const r1 = customer?.relationships.find((r) => r.id === 'r1');
    const r2 = customer?.relationships.find((r) => r.id === 'r2');
    assert.deepEqual(Object.keys(r1 ?? {}), [
      'id',
      'displayName',
      'status',
      'createdDateTime',
      'activatedDateTime',
      'endDateTime',
      'duration',
      'autoExtendDuration',
      'customer',
      'roles',
      'accessAssignments',
    ]);
    assert.deepEqual(r1?.roles, [
      { roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', name: 'Global Administrator', privileged: true },
    ]);
    assert.deepEqual(Object.keys(r1?.accessAssignments?.[0] ?? {}), [
      'id',
      'status',
      'accessContainer',
      'roles',
      'createdDateTime',
      'lastModifiedDateTime',
    ]);
    assert.equal(r2?.accessAssignments, undefined);
  });

  it('puts relationships with no customer tenant into pendingRelationships', async () => {
    const graph = new FakeGdap();
    graph.addRelationship({ id: 'open', status: 'approvalPending', customer: null });
    graph.addRelationship({ id: 'open2', status: 'created', customer: { tenantId: null, displayName: null } });
    const inventory = await loadInventory(graph, { includeAssignments: false });
    assert.deepEqual(inventory.pendingRelationships.map((r) => r.id).sort(), ['open', 'open2']);
    assert.equal(inventory.customers.length, 0);
  });

  it('a failed assignment load is recorded per relationship, not fatal', async () => {
    const graph = new FakeGdap();
    graph.addRelationship({ id: 'r1', customer: { tenantId: 't1', displayName: 'A' } });
    graph.addRelationship({ id: 'r2', customer: { tenantId: 't1', displayName: 'A' } });
    graph.faults.add('listAccessAssignmentsForMany:r2', { kind: 'forbidden', applied: false, status: 403 });
    const inventory = await loadInventory(graph, { includeAssignments: true });
    const rels = inventory.customers[0]?.relationships ?? [];
    assert.deepEqual(rels.find((r) => r.id === 'r1')?.accessAssignments, []);
    assert.equal(rels.find((r) => r.id === 'r2')?.accessAssignmentsError?.kind, 'forbidden');
    assert.deepEqual(
      inventory.assignmentErrors?.map((e) => e.relationshipId),
      ['r2'],
    );
  });

  it('passes the customer and status filters to the relationship list', async () => {
    const graph = new FakeGdap();
    seed(graph, 40);
    const inventory = await loadInventory(graph, { includeAssignments: false, customerTenantId: 'tenant-3', status: 'active' });
    const args = graph.callsOf('listRelationships')[0]?.args[0] as { customerTenantId: string; status: string };
    assert.equal(args.customerTenantId, 'tenant-3');
    assert.equal(args.status, 'active');
    assert.deepEqual(
      inventory.customers.map((c) => c.tenantId),
      ['tenant-3'],
    );
    assert.ok(inventory.customers[0]?.relationships.every((r) => r.status === 'active'));
  });

  it('every relationship and assignment holding a role shares one frozen role object, which the JSON view keeps', async () => {
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const graph = new FakeGdap();
    for (const id of ['r1', 'r2']) {
      graph.addRelationship({ id, status: 'active', customer: { tenantId: 't1', displayName: 'Contoso' }, roleDefinitionIds: [GA] });
      graph.addAssignment({ id: `a-${id}`, relationshipId: id, roleDefinitionIds: [GA] });
    }
    const inventory = await loadInventory(graph, { includeAssignments: true });
    const rels = inventory.customers[0]?.relationships ?? [];
    const held = rels.flatMap((r) => [...r.roles, ...(r.accessAssignments ?? []).flatMap((a) => a.roles)]);
    assert.equal(held.length, 4);
    assert.ok(held.every((role) => role === held[0]));
    assert.ok(Object.isFrozen(held[0]));
    const json = inventoryJson(inventory);
    assert.equal(json.customers[0]?.relationships[0]?.roles[0], held[0]);
    assert.equal(
      JSON.stringify(json.customers[0]?.relationships[0]?.roles),
      JSON.stringify([{ roleDefinitionId: GA, name: 'Global Administrator', privileged: true }]),
    );
  });

  it('a relationship listed twice (a page that shifted) appears once, in its latest version', async () => {
    const graph = new FakeGdap();
    const first = graph.addRelationship({ id: 'r1', status: 'active', customer: { tenantId: 't1', displayName: 'Contoso' } });
    graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
    const later = { ...first, status: 'terminated' as const };
    const listing = Object.assign(Object.create(graph) as FakeGdap, {
      listRelationships: async function* () {
        yield first;
        await Promise.resolve(); // the next page
        yield later;
      },
    });
    const inventory = await loadInventory(listing, { includeAssignments: true });
    const rels = inventory.customers.flatMap((c) => c.relationships);
    assert.equal(rels.length, 1);
    assert.equal(rels[0]?.status, 'terminated');
    assert.equal(rels[0]?.accessAssignments, undefined);
  });
});
