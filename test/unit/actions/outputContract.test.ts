import { strict as assert } from 'node:assert';
import { loadInventory } from '../../../src/core/actions/inventory';
import { planTerminate } from '../../../src/core/actions/plans';
import { inventoryJson, inventoryJsonParts, relationshipJson } from '../../../src/core/domain/projection';
import { domainRoles, type DomainRole } from '../../../src/core/domain/roles';
import { jsonChunks, relationshipsToCsv } from '../../../src/cli/inventoryOutput';
import { testBed } from './fakes/fakeContext';

/*
 * The CLI's output contract (README.md, "Commands") is a projection of the domain model: these tests pin
 * its field names and order, and that internal fields (ETags) stay out of it.
 */

const RELATIONSHIP_FIELDS = [
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
];

function seeded(): ReturnType<typeof testBed> {
  const bed = testBed();
  bed.graph.addRelationship({ id: 'r1', displayName: 'Contoso GDAP', customer: { tenantId: 't1', displayName: 'Contoso' } });
  bed.graph.addRelationship({ id: 'r2', displayName: 'Open invite', status: 'approvalPending', customer: null });
  bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1' });
  return bed;
}

describe('CLI output contract (projection of the domain model)', () => {
  it('the domain inventory keeps ETags; the inventory JSON has exactly the documented fields in order, and no ETag', async () => {
    const bed = seeded();
    const inventory = await loadInventory(bed.graph, {
      includeAssignments: true,
      now: new Date('2026-01-01T00:00:00Z'),
      source: 'emulator',
    });
    const domain = inventory.customers[0]?.relationships[0];
    assert.match(domain?.etag ?? '', /^W\/"etag-/, 'the domain relationship keeps its ETag');
    assert.match(domain?.accessAssignments?.[0]?.etag ?? '', /^W\/"etag-/, 'and so does its assignment');

    const json = JSON.parse(JSON.stringify(inventoryJson(inventory))) as Record<string, unknown> & {
      customers: (Record<string, unknown> & {
        relationships: (Record<string, unknown> & { accessAssignments: object[]; roles: object[] })[];
      })[];
      pendingRelationships: Record<string, unknown>[];
    };
    assert.deepEqual(Object.keys(json), ['generatedAt', 'source', 'customers', 'pendingRelationships']);
    assert.deepEqual(Object.keys(json.customers[0] ?? {}), ['tenantId', 'displayName', 'relationships']);
    const r = json.customers[0]?.relationships[0];
    assert.deepEqual(Object.keys(r ?? {}), [...RELATIONSHIP_FIELDS, 'accessAssignments']);
    assert.deepEqual(Object.keys(r?.customer ?? {}), ['tenantId', 'displayName']);
    assert.deepEqual(Object.keys(r?.roles[0] ?? {}), ['roleDefinitionId', 'name', 'privileged']);
    assert.deepEqual(Object.keys(r?.accessAssignments[0] ?? {}), [
      'id',
      'status',
      'accessContainer',
      'roles',
      'createdDateTime',
      'lastModifiedDateTime',
    ]);
    assert.deepEqual(Object.keys(json.pendingRelationships[0] ?? {}), RELATIONSHIP_FIELDS);
    assert.doesNotMatch(JSON.stringify(json), /etag/i);
  });

  it('the piece-by-piece JSON (lists projected a group at a time) is the text of the whole JSON view', async () => {
    const bed = seeded();
    const inventory = await loadInventory(bed.graph, { includeAssignments: true, now: new Date('2026-01-01T00:00:00Z') });
    const { top, element } = inventoryJsonParts(inventory);
    assert.equal([...jsonChunks(top, element)].join(''), `${JSON.stringify(inventoryJson(inventory), null, 2)}\n`);
    const withErrors = { ...inventory, assignmentErrors: [{ relationshipId: 'r1', kind: 'throttled', message: 'later' }] };
    const parts = inventoryJsonParts(withErrors);
    assert.equal([...jsonChunks(parts.top, parts.element)].join(''), `${JSON.stringify(inventoryJson(withErrors), null, 2)}\n`);
    assert.ok(Array.isArray(inventoryJson(withErrors).assignmentErrors));
  });

  it('expiring relationships project to the same relationship shape', async () => {
    const bed = seeded();
    const inventory = await loadInventory(bed.graph, { includeAssignments: false });
    const json = relationshipJson(inventory.customers[0]?.relationships[0] ?? assert.fail('no relationship'));
    assert.deepEqual(Object.keys(json), RELATIONSHIP_FIELDS);
  });

  it('roles: the shared role objects pass through; any other role is copied to exactly its three fields', async () => {
    const bed = seeded();
    const inventory = await loadInventory(bed.graph, { includeAssignments: false });
    const domain = inventory.customers[0]?.relationships[0] ?? assert.fail('no relationship');
    const shared = domainRoles(['62e90394-69f5-4237-9190-012177145e10', '729827e3-9c14-49f7-bb1b-9608f156bbb8']);
    const allShared = relationshipJson({ ...domain, roles: shared });
    assert.equal(allShared.roles[0], shared[0]);
    assert.equal(allShared.roles[1], shared[1]);
    const own = { roleDefinitionId: 'x-role', name: 'X', privileged: false, note: 'not in the contract' } as DomainRole;
    const mixed = relationshipJson({ ...domain, roles: [shared[0], own] });
    assert.equal(mixed.roles[0], shared[0]);
    assert.notEqual(mixed.roles[1], own);
    assert.deepEqual(Object.keys(mixed.roles[1] ?? {}), ['roleDefinitionId', 'name', 'privileged']);
  });

  it('CSV columns are pinned', async () => {
    const bed = seeded();
    const inventory = await loadInventory(bed.graph, { includeAssignments: true });
    const header = (csv: string): string => csv.split('\r\n')[0] ?? '';
    const relationships = inventory.customers.flatMap((c) => c.relationships);
    assert.equal(
      header(relationshipsToCsv(relationships, false)),
      'customerTenantId,customerDisplayName,relationshipId,relationshipDisplayName,status,createdDateTime,activatedDateTime,endDateTime,duration,autoExtendDuration,roles,privileged',
    );
    assert.equal(
      header(relationshipsToCsv(relationships, true)),
      'customerTenantId,customerDisplayName,relationshipId,relationshipDisplayName,status,createdDateTime,activatedDateTime,endDateTime,duration,autoExtendDuration,roles,privileged,' +
        'assignmentId,assignmentStatus,accessContainerId,accessContainerType,assignmentRoles,assignmentCreatedDateTime,assignmentLastModifiedDateTime',
    );
  });

  it('the terminate --dry-run plan item fields are pinned', async () => {
    const bed = seeded();
    const [item] = await planTerminate(bed.graph, ['r1']);
    assert.deepEqual(Object.keys(item ?? {}), [
      'id',
      'name',
      'customerName',
      'customerTenantId',
      'status',
      'endDateTime',
      'roles',
      'willAct',
      'reason',
      'impact',
    ]);
  });
});
