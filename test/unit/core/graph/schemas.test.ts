import { strict as assert } from 'node:assert';
import { isGdapError } from '../../../../src/core/http/gdapError';
import {
  normaliseAccessAssignment,
  normaliseCustomer,
  normaliseOperation,
  normaliseRelationship,
  normaliseRequest,
  normaliseServiceManagementDetail,
  parseOperationData,
} from '../../../../src/core/graph/normalise';
import { collectionSchema } from '../../../../src/core/graph/schemas';
import { exampleJson } from '../helpers/testServer';

const value = (name: string): unknown[] => collectionSchema.parse(exampleJson(name)).value;

describe('Graph schemas and normalisers (docs/api-notes.md §2, §12)', () => {
  describe('every documented Graph response example parses', () => {
    it('relationships: list (with a reseller item), get, create, 200 update', () => {
      const list = value('tenantrelationship-list-delegatedadminrelationships.response.json').map(normaliseRelationship);
      assert.equal(list.length, 3);
      assert.deepEqual(
        list.map((r) => r.status),
        ['active', 'terminated', 'approvalPending'],
      );
      const get = normaliseRelationship(exampleJson('delegatedadminrelationship-get.response.json'));
      assert.equal(get.id, '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836');
      assert.deepEqual(get.roleDefinitionIds, [
        '729827e3-9c14-49f7-bb1b-9608f156bbb8',
        'fe930be7-5e62-47db-91af-98c3a49a38b1',
        'e6d1a23a-da11-4be4-9570-befc86d067a7',
      ]);
      assert.equal(get.customer?.displayName, 'Contoso Inc');
      const created = normaliseRelationship(exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json'));
      assert.equal(created.status, 'created');
      const updated = normaliseRelationship(exampleJson('delegatedadminrelationship-update.response.json'));
      assert.equal(updated.displayName, 'Updated Contoso admin relationship');
    });

    it('access assignments: list, get, create', () => {
      const list = value('delegatedadminrelationship-list-accessassignments.response.json').map((r) => normaliseAccessAssignment(r, 'rel'));
      assert.equal(list.length, 2);
      assert.equal(list[0].accessContainer.accessContainerType, 'securityGroup');
      assert.equal(list[1].roleDefinitionIds.length, 4);
      assert.equal(list[0].relationshipId, 'rel');
      const created = normaliseAccessAssignment(exampleJson('delegatedadminrelationship-post-accessassignments.response.json'), 'rel');
      assert.equal(created.status, 'pending');
    });

    it('operations, requests, customers and service management details', () => {
      const ops = value('delegatedadminrelationship-list-operations.response.json').map((r) => normaliseOperation(r, 'rel'));
      assert.equal(ops.length, 2);
      const op = normaliseOperation(exampleJson('delegatedadminrelationshipoperation-get.response.json'), 'rel');
      assert.equal(op.status, 'succeeded');
      assert.equal(op.operationType, 'delegatedAdminAccessAssignmentUpdate');
      const reqs = value('delegatedadminrelationship-list-requests.response.json').map((r) => normaliseRequest(r, 'rel'));
      assert.deepEqual(
        reqs.map((r) => r.action),
        ['lockForApproval', 'terminate'],
      );
      assert.equal(normaliseRequest(exampleJson('delegatedadminrelationshiprequest-get.response.json'), 'rel').status, 'created');
      assert.equal(normaliseRequest(exampleJson('delegatedadminrelationship-post-requests.response.json'), 'rel').status, 'created');
      const customers = value('tenantrelationship-list-delegatedadmincustomers.response.json').map(normaliseCustomer);
      assert.deepEqual(
        customers.map((c) => c.displayName),
        ['Contoso Inc', 'Contoso subsidiary Inc'],
      );
      assert.equal(
        normaliseCustomer(exampleJson('delegatedadmincustomer-get.response.json')).tenantId,
        '4fdbff88-9d6b-42e0-9713-45c922ba8001',
      );
      const smd = value('delegatedadmincustomer-list-servicemanagementdetails.response.json').map(normaliseServiceManagementDetail);
      assert.deepEqual(
        smd.map((s) => s.serviceName),
        ['Azure Active Directory', 'Microsoft 365 Lighthouse', 'Dynamics 365 Business Central', 'Teams'],
      );
    });
  });

  describe('§12 quirks', () => {
    it('§12.1 "" dates become null; null dates stay null; endDateTime kept in created', () => {
      const created = normaliseRelationship(exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json'));
      assert.equal(created.activatedDateTime, null);
      assert.equal(created.endDateTime, '2024-02-10T11:24:42.3148266Z');
      const reseller = value('tenantrelationship-list-delegatedadminrelationships.response.json').map(normaliseRelationship)[2];
      assert.equal(reseller.activatedDateTime, null);
      assert.equal(reseller.endDateTime, null);
    });

    it('§12.2 7-digit fractions are kept verbatim', () => {
      const r = normaliseRelationship(exampleJson('delegatedadminrelationship-get.response.json'));
      assert.equal(r.createdDateTime, '2022-02-10T11:24:42.3148266Z');
      assert.equal(r.lastModifiedDateTime, '2022-02-10T11:26:44.9941884Z');
    });

    it('§12.3 durations stay ISO-8601 strings (P730D, P180D, PT0S, P0D)', () => {
      const list = value('tenantrelationship-list-delegatedadminrelationships.response.json').map(normaliseRelationship);
      assert.deepEqual(
        list.map((r) => [r.duration, r.autoExtendDuration]),
        [
          ['P730D', 'P180D'],
          ['P30D', 'PT0S'],
          ['P180D', 'PT0S'],
        ],
      );
      const raw = {
        ...(exampleJson('delegatedadminrelationship-get.response.json') as object),
        autoExtendDuration: 'P0D',
        duration: 'P2Y',
      };
      assert.deepEqual([normaliseRelationship(raw).duration, normaliseRelationship(raw).autoExtendDuration], ['P2Y', 'P0D']);
    });

    it('§12.4 an access assignment id that is not a GUID is accepted', () => {
      assert.equal(
        normaliseAccessAssignment(exampleJson('delegatedadminaccessassignment-get.response.json'), 'r').id,
        'da9d6cf90-083a-47dc-ace2-1da98be3f344',
      );
    });

    it('§12.5 unknown enum values are kept, never thrown', () => {
      const reqs = value('delegatedadminrelationship-list-requests.response.json').map((r) => normaliseRequest(r, 'rel'));
      assert.equal(reqs[1].status, 'running');
      const rel = normaliseRelationship({
        ...(exampleJson('delegatedadminrelationship-get.response.json') as object),
        status: 'someFutureStatus',
      });
      assert.equal(rel.status, 'someFutureStatus');
      const aa = normaliseAccessAssignment(
        {
          ...(exampleJson('delegatedadminaccessassignment-get.response.json') as object),
          status: 'unknownFutureValue',
          accessContainer: { accessContainerId: 'x', accessContainerType: 'unknownFutureValue' },
        },
        'r',
      );
      assert.equal(aa.status, 'unknownFutureValue');
      assert.equal(aa.accessContainer.accessContainerType, 'unknownFutureValue');
      const op = normaliseOperation(
        {
          ...(exampleJson('delegatedadminrelationshipoperation-get.response.json') as object),
          operationType: 'newKind',
          status: 'unknownFutureValue',
        },
        'r',
      );
      assert.deepEqual([op.operationType, op.status], ['newKind', 'unknownFutureValue']);
    });

    it('§12.6 action unknownFutureValue (reject without Prefer) is kept as sent', () => {
      const r = normaliseRequest(
        { ...(exampleJson('delegatedadminrelationshiprequest-get.response.json') as object), action: 'unknownFutureValue' },
        'rel',
      );
      assert.equal(r.action, 'unknownFutureValue');
      assert.equal(
        normaliseRequest({ ...(exampleJson('delegatedadminrelationshiprequest-get.response.json') as object), action: 'reject' }, 'rel')
          .action,
        'reject',
      );
    });

    it('§12.7 operation data is parsed from its JSON string, tolerating failure', () => {
      const op = normaliseOperation(exampleJson('delegatedadminrelationshipoperation-get.response.json'), 'rel');
      assert.deepEqual((op.data as { accessDetails: unknown }).accessDetails, {
        unifiedRoles: [{ roleDefinitionId: 'e3973bdf-4987-49ae-837a-ba8e231c7286' }],
      });
      assert.equal(typeof op.rawData, 'string');
      const broken = normaliseOperation(
        { ...(exampleJson('delegatedadminrelationshipoperation-get.response.json') as object), data: '{not json' },
        'rel',
      );
      assert.equal(broken.data, null);
      assert.equal(broken.rawData, '{not json');
      assert.equal(parseOperationData(null), null);
      assert.equal(parseOperationData(''), null);
    });

    it('§12.8 operations carry @odata.etag', () => {
      const ops = value('delegatedadminrelationship-list-operations.response.json').map((r) => normaliseOperation(r, 'rel'));
      assert.equal(ops[0].etag, 'W/"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw=="');
    });

    it('§12.9 a 202 body of {} (with whitespace) is valid JSON and no entity', () => {
      assert.deepEqual(exampleJson('delegatedadminrelationship-update.response-202.json'), {});
    });

    it('§12.10 annotation order and collection @odata.context on creates do not matter', () => {
      const created = normaliseAccessAssignment(exampleJson('delegatedadminrelationship-post-accessassignments.response.json'), 'r');
      assert.equal(created.etag, 'W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="');
      const get = normaliseAccessAssignment(exampleJson('delegatedadminaccessassignment-get.response.json'), 'r');
      assert.equal(get.etag, 'W/"JYsD02WrMDI5OC0wMDAwLTAyMDAtMDAwMC02MjJiZTA0YjAwMDAiJw=="');
    });

    it('§12.11 @odata.type dispatch reads the reseller subtype and its extra properties', () => {
      const [first, , reseller] = value('tenantrelationship-list-delegatedadminrelationships.response.json').map(normaliseRelationship);
      assert.equal(first.type, 'relationship');
      assert.equal(first.isPartnerConsentPending, undefined);
      assert.equal(reseller.type, 'resellerRelationship');
      assert.equal(reseller.isPartnerConsentPending, true);
      assert.equal(reseller.indirectProviderTenantId, '60ea59db-a506-485e-94c5-d115f369e239');
    });

    it('§12.12 shortened examples: missing activatedDateTime, endDateTime, customer.displayName', () => {
      const r = normaliseRelationship(exampleJson('delegatedadminrelationship-update.response.json'));
      assert.equal(r.activatedDateTime, null);
      assert.equal(r.endDateTime, null);
      assert.deepEqual(r.customer, { tenantId: '52eaad04-13a2-4a2f-9ce8-93a294fadf36', displayName: null });
      const noCustomer = { ...(exampleJson('delegatedadminrelationship-update.response.json') as Record<string, unknown>) };
      delete noCustomer.customer;
      assert.equal(normaliseRelationship(noCustomer).customer, null);
    });

    it('§12.13 the ETag keeps its quotes, as the If-Match header needs it', () => {
      const r = normaliseRelationship(exampleJson('delegatedadminrelationship-get.response.json'));
      assert.equal(r.etag, 'W/"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw=="');
    });

    it('§12.14 identical ETags on different objects are not treated as identity', () => {
      const list = value('tenantrelationship-list-delegatedadminrelationships.response.json').map(normaliseRelationship);
      assert.equal(list[0].etag, list[2].etag, 'the docs reuse one ETag');
      assert.equal(new Set(list.map((r) => r.id)).size, 3, 'all three relationships are kept');
    });

    it('unknown properties are ignored', () => {
      const r = normaliseRelationship({
        ...(exampleJson('delegatedadminrelationship-get.response.json') as object),
        brandNewProperty: { x: 1 },
      });
      assert.ok(!('brandNewProperty' in r));
    });

    it('a record that fails its schema becomes GdapError invalidResponse, never a zod error', () => {
      for (const bad of [
        null,
        'x',
        { id: 'r' },
        { ...(exampleJson('delegatedadminrelationship-get.response.json') as object), status: 42 },
      ]) {
        assert.throws(
          () => normaliseRelationship(bad),
          (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse' && /relationship/.test(e.message),
        );
      }
      assert.throws(
        () => normaliseAccessAssignment({ id: 'a', status: 'active' }, 'r'),
        (e: unknown) => isGdapError(e) && e.kind === 'invalidResponse' && /accessContainer/.test(e.message),
      );
    });
  });
});
