import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  normaliseAccessAssignment,
  normaliseCustomer,
  normaliseOperation,
  normaliseRelationship,
  normaliseRequest,
  normaliseServiceManagementDetail,
  parseOperationData,
  parseOrThrow,
} from '../../../src/core/graph/normalise';
import { batchResponseSchema, collectionSchema } from '../../../src/core/graph/schemas';
import { errorFromResponse, parseErrorBody, parseRetryAfter } from '../../../src/core/http/errorMapping';
import { isGdapError } from '../../../src/core/http/gdapError';
import { redact } from '../../../src/core/http/redact';
import { exampleJson } from '../core/helpers/testServer';
import { bodyTextFrom, payloadFrom } from './mutate';

const REL = 'a1b2c3d4-0000-0000-0000-000000000001-b2c3d4e5-0000-0000-0000-000000000002';
const RUNS = { numRuns: 150, seed: 20240601 };

/** The only acceptable failure: GdapError `invalidResponse` with one readable line. */
function onlyInvalidResponse(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    assert.ok(isGdapError(e), `not a GdapError: ${String(e)}`);
    assert.equal(e.kind, 'invalidResponse', e.message);
    assert.ok(e.message.length > 10 && !e.message.includes('\n'), e.message);
  }
}

const first = (name: string): unknown => {
  const v = exampleJson(name) as { value?: unknown[] };
  return Array.isArray(v.value) ? v.value[0] : v;
};

const cases: [string, unknown, (raw: unknown) => unknown][] = [
  ['relationship (get)', exampleJson('delegatedadminrelationship-get.response.json'), normaliseRelationship],
  ['relationship (list item)', first('tenantrelationship-list-delegatedadminrelationships.response.json'), normaliseRelationship],
  ['access assignment', exampleJson('delegatedadminaccessassignment-get.response.json'), (r) => normaliseAccessAssignment(r, REL)],
  ['customer', exampleJson('delegatedadmincustomer-get.response.json'), normaliseCustomer],
  [
    'service management detail',
    first('delegatedadmincustomer-list-servicemanagementdetails.response.json'),
    normaliseServiceManagementDetail,
  ],
  ['operation', exampleJson('delegatedadminrelationshipoperation-get.response.json'), (r) => normaliseOperation(r, REL)],
  ['request', exampleJson('delegatedadminrelationshiprequest-get.response.json'), (r) => normaliseRequest(r, REL)],
];

describe('fuzz: schemas and normalisers take any payload without an uncaught exception', () => {
  for (const [what, example, normalise] of cases) {
    it(`${what}: mutated examples and random JSON give a model or invalidResponse`, () => {
      // The unmutated example must normalise: otherwise the property below would pass vacuously.
      assert.doesNotThrow(() => normalise(example));
      fc.assert(
        fc.property(payloadFrom(example), (raw) => onlyInvalidResponse(() => normalise(raw))),
        RUNS,
      );
    });
  }

  it('collections and $batch envelopes', () => {
    const list = exampleJson('tenantrelationship-list-delegatedadminrelationships.response.json');
    fc.assert(
      fc.property(payloadFrom(list), (raw) => onlyInvalidResponse(() => parseOrThrow(collectionSchema, raw, 'relationships'))),
      RUNS,
    );
    const batch = { responses: [{ id: '1', status: 200, headers: {}, body: exampleJson('delegatedadminrelationship-get.response.json') }] };
    fc.assert(
      fc.property(payloadFrom(batch), (raw) => onlyInvalidResponse(() => parseOrThrow(batchResponseSchema, raw, 'a batch'))),
      RUNS,
    );
  });

  it('operation data strings (JSON inside JSON)', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.string(), bodyTextFrom({ id: 'x', accessDetails: { unifiedRoles: [] } }))), (text) =>
        onlyInvalidResponse(() => parseOperationData(text)),
      ),
      RUNS,
    );
  });

  it('error mapping: any status, headers and body give one GdapError with a clear line, never a token', () => {
    const graphError = exampleJson('graph-errors.example-error-response.json');
    const token = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.oneof(bodyTextFrom(graphError), bodyTextFrom({ code: 900118, description: `bad ${token}`, data: [], source: 'PartnerFD' })),
        fc.option(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.nat().map(String),
            fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
          ),
        ),
        fc.constantFrom('graph' as const, 'partnerCenter' as const),
        (status, body, retryAfter, service) => {
          const headers: Record<string, string> = retryAfter === null ? {} : { 'retry-after': retryAfter };
          const e = errorFromResponse(
            { status, headers, body },
            { service, method: 'GET', url: 'https://graph.microsoft.com/v1.0/x' },
            1_700_000_000_000,
          );
          assert.ok(isGdapError(e));
          assert.ok(e.message.length > 10 && !e.message.includes(token), e.message);
          assert.equal(typeof e.kind, 'string');
          parseErrorBody(body);
          const ms = parseRetryAfter(retryAfter ?? undefined, 1_700_000_000_000);
          assert.ok(ms === undefined || (Number.isFinite(ms) && ms >= 0));
        },
      ),
      RUNS,
    );
  });

  it('redaction never throws and removes issued-token shapes from any text', () => {
    const token = fc
      .tuple(fc.base64String({ minLength: 8, maxLength: 40 }), fc.base64String({ minLength: 8, maxLength: 40 }))
      .map(([a, b]) => `eyJ${a.replace(/[+/=]/g, 'x')}.${b.replace(/[+/=]/g, 'y')}.sig`);
    fc.assert(
      fc.property(fc.string(), token, fc.string(), (pre, t, post) => {
        const out = redact(`${pre}${t}${post}`);
        assert.ok(!out.includes(t), out);
      }),
      RUNS,
    );
  });
});
