import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  fastAccessAssignment,
  fastBatchResponse,
  fastCollection,
  fastCustomer,
  fastRelationship,
} from '../../../src/core/graph/fastSchemas';
import {
  normaliseAccessAssignmentWithZod,
  normaliseCustomerWithZod,
  normaliseRelationshipWithZod,
} from '../../../src/core/graph/normalise';
import { batchResponseSchema, collectionSchema, RESELLER_RELATIONSHIP_TYPE } from '../../../src/core/graph/schemas';
import { exampleJson } from '../core/helpers/testServer';
import { payloadFrom } from './mutate';

const REL = 'a1b2c3d4-0000-0000-0000-000000000001-b2c3d4e5-0000-0000-0000-000000000002';
const RUNS = { numRuns: 400, seed: 20261130 };

/** What the zod definition makes of `raw`: its result, or the fact that it refused. */
function reference(fn: () => unknown): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: fn() };
  } catch {
    return { ok: false };
  }
}

/** The fast path may decline (undefined) anything; what it accepts, zod accepts with the same result, same key order. */
function agrees(fast: unknown, zod: () => unknown): void {
  if (fast === undefined) {
    return;
  }
  const ref = reference(zod);
  assert.ok(ref.ok, `the fast path accepted what zod refuses: ${JSON.stringify(fast)}`);
  assert.deepStrictEqual(fast, ref.value);
  assert.equal(JSON.stringify(fast), JSON.stringify(ref.value));
}

const first = (name: string): unknown => (exampleJson(name) as { value: unknown[] }).value[0];
const relationship = first('tenantrelationship-list-delegatedadminrelationships.response.json');
const reseller = { ...(relationship as object), '@odata.type': RESELLER_RELATIONSHIP_TYPE, indirectProviderTenantId: null };
const assignment = exampleJson('delegatedadminaccessassignment-get.response.json');
const customer = exampleJson('delegatedadmincustomer-get.response.json');

describe('fast validators agree with the zod schemas (fastSchemas.ts)', () => {
  it('take the fast path for the documented examples, with the zod result', () => {
    for (const raw of [relationship, reseller]) {
      const fast = fastRelationship(raw);
      assert.notEqual(fast, undefined);
      agrees(fast, () => normaliseRelationshipWithZod(raw));
    }
    assert.equal(fastRelationship(reseller)?.type, 'resellerRelationship');
    assert.notEqual(fastAccessAssignment(assignment, REL), undefined);
    agrees(fastAccessAssignment(assignment, REL), () => normaliseAccessAssignmentWithZod(assignment, REL));
    assert.notEqual(fastCustomer(customer), undefined);
    agrees(fastCustomer(customer), () => normaliseCustomerWithZod(customer));
  });

  it('relationships: mutated examples give the zod result or fall back', () => {
    fc.assert(
      fc.property(fc.oneof(payloadFrom(relationship), payloadFrom(reseller)), (raw) =>
        agrees(fastRelationship(raw), () => normaliseRelationshipWithZod(raw)),
      ),
      RUNS,
    );
  });

  it('access assignments: mutated examples give the zod result or fall back', () => {
    fc.assert(
      fc.property(payloadFrom(assignment), (raw) =>
        agrees(fastAccessAssignment(raw, REL), () => normaliseAccessAssignmentWithZod(raw, REL)),
      ),
      RUNS,
    );
  });

  it('customers: mutated examples give the zod result or fall back', () => {
    fc.assert(
      fc.property(payloadFrom(customer), (raw) => agrees(fastCustomer(raw), () => normaliseCustomerWithZod(raw))),
      RUNS,
    );
  });

  it('collection pages and $batch answers: accepted only where zod accepts, with the same items', () => {
    const page = exampleJson('delegatedadminrelationship-list-accessassignments.response.json');
    const withNext = { ...(page as object), '@odata.nextLink': 'https://graph.microsoft.com/v1.0/x?$skiptoken=1' };
    const batch = {
      responses: [
        { id: '1', status: 200, headers: { 'content-type': 'application/json' }, body: page },
        { id: '2', status: 429, headers: { 'retry-after': '1' } },
      ],
    };
    assert.notEqual(fastCollection(withNext), undefined);
    assert.notEqual(fastBatchResponse(batch), undefined);
    fc.assert(
      fc.property(fc.oneof(payloadFrom(page), payloadFrom(withNext)), (raw) => {
        const fast = fastCollection(raw);
        if (fast !== undefined) {
          const ref = collectionSchema.safeParse(raw);
          assert.ok(ref.success);
          assert.deepStrictEqual({ ...fast, value: [...fast.value] }, ref.data);
        }
      }),
      RUNS,
    );
    fc.assert(
      fc.property(payloadFrom(batch), (raw) => {
        const fast = fastBatchResponse(raw);
        if (fast !== undefined) {
          const ref = batchResponseSchema.safeParse(raw);
          assert.ok(ref.success);
          assert.deepStrictEqual(
            fast.responses.map((r) => [r.id, r.status, r.headers ?? null, r.body]),
            ref.data.responses.map((r) => [r.id, r.status, r.headers ?? null, r.body]),
          );
        }
      }),
      RUNS,
    );
  });
});
