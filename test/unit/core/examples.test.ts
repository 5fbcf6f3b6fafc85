import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorFromResponse } from '../../../src/core/http/errorMapping';
import {
  normaliseAccessAssignment,
  normaliseCustomer,
  normaliseOperation,
  normaliseRelationship,
  normaliseRequest,
  normaliseServiceManagementDetail,
} from '../../../src/core/graph/normalise';
import { collectionSchema } from '../../../src/core/graph/schemas';
import { REMOVE_DAP_BODY } from '../../../src/core/partnerCenter/partnerCenterClient';
import { example, EXAMPLES_DIR, exampleJson } from './helpers/testServer';

const list = (name: string, normalise: (raw: unknown) => unknown): number =>
  collectionSchema.parse(exampleJson(name)).value.map(normalise).length;

/** Parses an `.http` example: request or status line, headers (blank lines tolerated, §12 / INDEX notes). */
function parseHttp(text: string): { method?: string; url?: string; status?: number; headers: Record<string, string> } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== 'HTTPCopy');
  const first = lines[0] ?? '';
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (m !== null) {
      headers[m[1].toLowerCase()] = m[2];
    }
  }
  const status = /^HTTP\/1\.1 (\d{3})/.exec(first);
  if (status !== null) {
    return { status: Number(status[1]), headers };
  }
  const [method, url] = first.split(' ');
  return { method, url, headers };
}

/** One check per documented example; a new example without a check fails the suite. */
const CHECKS: Record<string, () => void> = {
  'delegatedadminaccessassignment-get.response.json': () =>
    assert.equal(normaliseAccessAssignment(exampleJson('delegatedadminaccessassignment-get.response.json'), 'r').status, 'active'),
  'delegatedadmincustomer-get.response.json': () =>
    assert.equal(normaliseCustomer(exampleJson('delegatedadmincustomer-get.response.json')).displayName, 'Contoso Inc'),
  'delegatedadmincustomer-list-servicemanagementdetails.response.json': () =>
    assert.equal(list('delegatedadmincustomer-list-servicemanagementdetails.response.json', normaliseServiceManagementDetail), 4),
  'delegatedadminrelationship-get.response.json': () =>
    assert.equal(normaliseRelationship(exampleJson('delegatedadminrelationship-get.response.json')).status, 'active'),
  'delegatedadminrelationship-list-accessassignments.response.json': () =>
    assert.equal(
      list('delegatedadminrelationship-list-accessassignments.response.json', (r) => normaliseAccessAssignment(r, 'x')),
      2,
    ),
  'delegatedadminrelationship-list-operations.response.json': () =>
    assert.equal(
      list('delegatedadminrelationship-list-operations.response.json', (r) => normaliseOperation(r, 'x')),
      2,
    ),
  'delegatedadminrelationship-list-requests.response.json': () =>
    assert.equal(
      list('delegatedadminrelationship-list-requests.response.json', (r) => normaliseRequest(r, 'x')),
      2,
    ),
  'delegatedadminrelationship-post-accessassignments.response.json': () =>
    assert.equal(
      normaliseAccessAssignment(exampleJson('delegatedadminrelationship-post-accessassignments.response.json'), 'x').status,
      'pending',
    ),
  'delegatedadminrelationship-post-requests.response.json': () =>
    assert.equal(normaliseRequest(exampleJson('delegatedadminrelationship-post-requests.response.json'), 'x').action, 'lockForApproval'),
  'delegatedadminrelationship-update.response-202.json': () =>
    assert.deepEqual(exampleJson('delegatedadminrelationship-update.response-202.json'), {}),
  'delegatedadminrelationship-update.response.json': () =>
    assert.equal(normaliseRelationship(exampleJson('delegatedadminrelationship-update.response.json')).status, 'created'),
  'delegatedadminrelationshipoperation-get.response.json': () =>
    assert.equal(normaliseOperation(exampleJson('delegatedadminrelationshipoperation-get.response.json'), 'x').status, 'succeeded'),
  'delegatedadminrelationshiprequest-get.response.json': () =>
    assert.equal(normaliseRequest(exampleJson('delegatedadminrelationshiprequest-get.response.json'), 'x').status, 'created'),
  'tenantrelationship-list-delegatedadmincustomers.response.json': () =>
    assert.equal(list('tenantrelationship-list-delegatedadmincustomers.response.json', normaliseCustomer), 2),
  'tenantrelationship-list-delegatedadminrelationships.response.json': () =>
    assert.equal(list('tenantrelationship-list-delegatedadminrelationships.response.json', normaliseRelationship), 3),
  'tenantrelationship-post-delegatedadminrelationships.response.json': () =>
    assert.equal(normaliseRelationship(exampleJson('tenantrelationship-post-delegatedadminrelationships.response.json')).status, 'created'),
  // Request bodies: the client builds exactly these (asserted in gdapClient.test.ts / partnerCenterClient.test.ts).
  'delegatedadminaccessassignment-update.request.json': () =>
    assert.ok(
      Array.isArray(
        (exampleJson('delegatedadminaccessassignment-update.request.json') as { accessDetails: { unifiedRoles: unknown } }).accessDetails
          .unifiedRoles,
      ),
    ),
  'delegatedadminrelationship-post-accessassignments.request.json': () =>
    assert.ok(exampleJson('delegatedadminrelationship-post-accessassignments.request.json')),
  'delegatedadminrelationship-post-requests.request.json': () =>
    assert.deepEqual(exampleJson('delegatedadminrelationship-post-requests.request.json'), { action: 'lockForApproval' }),
  'delegatedadminrelationship-update.request.json': () => assert.ok(exampleJson('delegatedadminrelationship-update.request.json')),
  'tenantrelationship-post-delegatedadminrelationships.request.json': () =>
    assert.ok(exampleJson('tenantrelationship-post-delegatedadminrelationships.request.json')),
  'partnercenter-remove-dap.request.json': () =>
    assert.deepEqual(exampleJson('partnercenter-remove-dap.request.json'), JSON.parse(REMOVE_DAP_BODY)),
  // Request lines: the four If-Match routes of §6 and the Partner Center calls.
  'delegatedadminaccessassignment-delete.request.http': () =>
    assert.match(parseHttp(example('delegatedadminaccessassignment-delete.request.http')).headers['if-match'], /^W\/"/),
  'delegatedadminaccessassignment-update.request.http': () =>
    assert.equal(parseHttp(example('delegatedadminaccessassignment-update.request.http')).method, 'PATCH'),
  'delegatedadminrelationship-delete.request.http': () =>
    assert.equal(parseHttp(example('delegatedadminrelationship-delete.request.http')).method, 'DELETE'),
  'delegatedadminrelationship-update.request.http': () =>
    assert.match(parseHttp(example('delegatedadminrelationship-update.request.http')).headers['if-match'], /^W\/"/),
  'partnercenter-get-a-customer-by-id.request.http': () =>
    assert.equal(parseHttp(example('partnercenter-get-a-customer-by-id.request.http')).method, 'GET'),
  'partnercenter-get-a-list-of-customers.request.http': () =>
    assert.match(parseHttp(example('partnercenter-get-a-list-of-customers.request.http')).url ?? '', /\/v1\/customers\?size=40$/),
  'partnercenter-remove-dap.request.http': () => {
    const r = parseHttp(example('partnercenter-remove-dap.request.http'));
    assert.equal(r.method, 'PATCH');
    assert.ok(r.headers['ms-requestid'] !== undefined && r.headers['ms-correlationid'] !== undefined);
  },
  // Responses: success statuses the client accepts; error statuses map to the right kind.
  'delegatedadminaccessassignment-delete.response.http': () =>
    assert.equal(parseHttp(example('delegatedadminaccessassignment-delete.response.http')).status, 204),
  'delegatedadminrelationship-delete.response.http': () =>
    assert.equal(parseHttp(example('delegatedadminrelationship-delete.response.http')).status, 204),
  'delegatedadminaccessassignment-update.response-202.http': () => {
    const r = parseHttp(example('delegatedadminaccessassignment-update.response-202.http'));
    assert.equal(r.status, 202);
    assert.match(r.headers.location, /^https:\/\/.*\/operations\//);
    assert.equal(r.headers['retry-after'], '10');
  },
  'delegatedadminrelationship-update.response-202.http': () =>
    assert.match(parseHttp(example('delegatedadminrelationship-update.response-202.http')).headers.location, /\/operations\/d8dbb27b/),
  'delegatedadminrelationship-post-accessassignments.response.http': () =>
    assert.equal(parseHttp(example('delegatedadminrelationship-post-accessassignments.response.http')).status, 201),
  'delegatedadminrelationship-post-requests.response.http': () =>
    assert.equal(parseHttp(example('delegatedadminrelationship-post-requests.response.http')).status, 201),
  'tenantrelationship-post-delegatedadminrelationships.response.http': () =>
    assert.equal(parseHttp(example('tenantrelationship-post-delegatedadminrelationships.response.http')).status, 201),
  'partnercenter-remove-dap.response.http': () => assert.equal(parseHttp(example('partnercenter-remove-dap.response.http')).status, 200),
  'partnercenter-api-throttling-guidance.response-429.http': () => {
    const r = parseHttp(example('partnercenter-api-throttling-guidance.response-429.http'));
    const body = example('partnercenter-api-throttling-guidance.response-429.http').slice(
      example('partnercenter-api-throttling-guidance.response-429.http').indexOf('{'),
    );
    const e = errorFromResponse({ status: r.status ?? 0, headers: r.headers, body }, { service: 'partnerCenter' });
    assert.equal(e.kind, 'throttled');
    assert.equal(e.retryAfterSeconds, 57);
  },
  'partnercenter-api-throttling-guidance.response-429.json': () =>
    assert.equal(
      errorFromResponse(
        { status: 429, headers: {}, body: example('partnercenter-api-throttling-guidance.response-429.json') },
        { service: 'partnerCenter' },
      ).code,
      '429',
    ),
  'graph-errors.example-error-response.json': () =>
    assert.equal(
      errorFromResponse({ status: 416, headers: {}, body: example('graph-errors.example-error-response.json') }, { service: 'graph' }).code,
      'invalidRange',
    ),
  'partnercenter-error-codes.error-schema.txt': () => {
    const text = example('partnercenter-error-codes.error-schema.txt');
    const body = text.slice(0, text.indexOf('WWW-Authenticate')).replace(/<string>/g, '"x"');
    assert.equal(errorFromResponse({ status: 404, headers: {}, body }, { service: 'partnerCenter' }).kind, 'notFound');
  },
  // Partner Center customer payloads (parsed by PartnerCenterClient; see its tests).
  'partnercenter-get-a-customer-by-id.response.json': () =>
    assert.equal(
      (exampleJson('partnercenter-get-a-customer-by-id.response.json') as { allowDelegatedAccess: boolean }).allowDelegatedAccess,
      true,
    ),
  'partnercenter-get-a-list-of-customers.response.json': () =>
    assert.equal((exampleJson('partnercenter-get-a-list-of-customers.response.json') as { items: unknown[] }).items.length, 2),
  'partnercenter-paging-links.fragment.json': () =>
    assert.ok((exampleJson('partnercenter-paging-links.fragment.json') as { links: { next: unknown } }).links.next),
  // DAP-transition helper APIs (§8.7, retiring): no client; the payloads are at least valid JSON.
  'partnercenter-get-delegated-admin-relation-statistics.response.json': () =>
    assert.equal(
      (exampleJson('partnercenter-get-delegated-admin-relation-statistics.response.json') as { totalDapCustomerCount: number })
        .totalDapCustomerCount,
      200,
    ),
  'partnercenter-list-delegated-admin-customers.response.json': () =>
    assert.equal((exampleJson('partnercenter-list-delegated-admin-customers.response.json') as { value: unknown[] }).value.length, 2),
};

describe('every documented example (test/fixtures/gdap-api-examples)', () => {
  const files = readdirSync(EXAMPLES_DIR)
    .filter((f) => f !== 'INDEX.md')
    .sort();

  it('each example has a check', () => {
    assert.deepEqual(
      files.filter((f) => !(f in CHECKS)),
      [],
    );
    assert.ok(files.length >= 46);
  });

  for (const file of Object.keys(CHECKS).sort()) {
    it(file, () => CHECKS[file]());
  }

  // The fixtures are copies of the examples printed in Microsoft's docs (docs/api-notes.md §12). Where
  // the original collection is at hand, GDAP_API_EXAMPLES_DIR names it and this proves the copies are
  // still verbatim (test/README.md). INDEX.md is the project's own index of them, so it is not compared.
  it('the fixtures are verbatim copies of the collection in GDAP_API_EXAMPLES_DIR, when that is set', () => {
    const upstream = process.env.GDAP_API_EXAMPLES_DIR;
    if (upstream === undefined || upstream === '') {
      return;
    }
    assert.ok(existsSync(upstream), `GDAP_API_EXAMPLES_DIR=${upstream} does not exist; unset it or point it at the examples folder`);
    const theirs = readdirSync(upstream)
      .filter((f) => f !== 'INDEX.md')
      .sort();
    assert.deepEqual(files, theirs, 'the fixture folder and GDAP_API_EXAMPLES_DIR hold different files');
    for (const f of theirs) {
      assert.equal(readFileSync(resolve(EXAMPLES_DIR, f), 'utf8'), readFileSync(resolve(upstream, f), 'utf8'), f);
    }
  });
});
