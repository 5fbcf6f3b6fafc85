/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-member-access -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { CUSTOMERS, REL, call } from './emulatorClient';

// Verbatim copies of the examples in Microsoft's docs (docs/api-notes.md §12; the core examples test
// checks them against the original collection when GDAP_API_EXAMPLES_DIR is set).
const EXAMPLES = join(__dirname, '../../fixtures/gdap-api-examples');
function example(name: string): any {
  return JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Every property of the documented example exists in ours with the same JSON type, recursively. */
function assertShape(ours: any, doc: any, path = '$'): void {
  assert.equal(kind(ours), kind(doc), `${path}: type ${kind(ours)} vs documented ${kind(doc)}`);
  if (Array.isArray(doc)) {
    if (doc.length > 0) {
      assert.ok(ours.length > 0, `${path}: documented array has items, ours is empty`);
      assertShape(ours[0], doc[0], `${path}[0]`);
    }
  } else if (kind(doc) === 'object') {
    for (const k of Object.keys(doc)) {
      assert.ok(k in ours, `${path}.${k} missing`);
      assertShape(ours[k], doc[k], `${path}.${k}`);
    }
  }
}

function annotations(o: Record<string, unknown>): string[] {
  return Object.keys(o)
    .filter((k) => k.startsWith('@odata.'))
    .sort();
}

describe('emulator conformance with the documented examples', () => {
  let emu: RunningEmulator;
  let token: string;
  let userPc: string;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', seed: 7, timeScale: 200 });
    token = emu.issueToken({ audience: 'graph', kind: 'user' });
    userPc = emu.issueToken({ audience: 'partnerCenter', kind: 'user' });
  });
  after(() => emu.close());

  function activeWith(predicate: (r: any) => boolean = () => true): any {
    const rel = [...emu.store.relationships.values()].find(
      (r) => r.status === 'active' && !r.reseller && r.assignments.length > 0 && predicate(r),
    );
    assert.ok(rel, 'demo data has an active relationship');
    return rel;
  }

  it('list relationships: items of both types match the list example, incl. the reseller item', async () => {
    const doc = example('tenantrelationship-list-delegatedadminrelationships.response.json');
    const r = await call(emu, 'GET', `${REL}?$top=300`, { token });
    assert.equal(r.status, 200);
    assert.deepEqual(
      Object.keys(r.json).filter((k) => k !== '@odata.nextLink'),
      ['@odata.context', 'value'],
    );
    assert.match(r.json['@odata.context'], /\/v1\.0\/tenantRelationships\/\$metadata#delegatedAdminRelationships$/);
    const plain = r.json.value.find(
      (x: any) => x['@odata.type'] === '#microsoft.graph.delegatedAdminRelationship' && x.status === 'active',
    );
    const reseller = r.json.value.find(
      (x: any) => x['@odata.type'] === '#microsoft.graph.resellerDelegatedAdminRelationship' && x.status === 'approvalPending',
    );
    assertShape(plain, doc.value[0]);
    assert.deepEqual(annotations(plain), annotations(doc.value[0]));
    assert.ok(reseller, 'demo data contains an approvalPending reseller relationship');
    assertShape(reseller, doc.value[2]);
    assert.deepEqual(Object.keys(reseller).sort(), Object.keys(doc.value[2]).sort());
  });

  it('get relationship matches the get example', async () => {
    const doc = example('delegatedadminrelationship-get.response.json');
    const rel = activeWith();
    const r = await call(emu, 'GET', `${REL}/${rel.id}`, { token });
    assert.equal(r.status, 200);
    assertShape(r.json, doc);
    assert.deepEqual(Object.keys(r.json).sort(), Object.keys(doc).sort());
    assert.deepEqual(Object.keys(r.json).slice(0, 2), ['@odata.type', '@odata.context']);
    assert.equal(r.json['@odata.etag'], rel.etag);
  });

  it('create relationship: 201 + Location, body like the create example ("" activatedDateTime, collection context)', async () => {
    const body = example('tenantrelationship-post-delegatedadminrelationships.request.json');
    const doc = example('tenantrelationship-post-delegatedadminrelationships.response.json');
    const r = await call(emu, 'POST', REL, { token, body });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.location, `${emu.url}${REL}/${r.json.id}`);
    assertShape(r.json, doc);
    assert.deepEqual(Object.keys(r.json).sort(), Object.keys(doc).sort());
    assert.equal(r.json.status, 'created');
    assert.equal(r.json.activatedDateTime, '');
    assert.match(r.json['@odata.context'], /#delegatedAdminRelationships$/);
    assert.match(r.json.createdDateTime, /\.\d{7}Z$/);
  });

  it('update relationship (created): 200 body like the update example', async () => {
    const doc = example('delegatedadminrelationship-update.response.json');
    const created = await call(emu, 'POST', REL, {
      token,
      body: { ...example('tenantrelationship-post-delegatedadminrelationships.request.json'), displayName: 'Conformance update' },
    });
    const patch = example('delegatedadminrelationship-update.request.json');
    const r = await call(emu, 'PATCH', `${REL}/${created.json.id}`, {
      token,
      body: patch,
      headers: { 'if-match': created.json['@odata.etag'] },
    });
    assert.equal(r.status, 200, r.text);
    assertShape(r.json, doc);
    assert.equal(r.json.displayName, 'Updated Contoso admin relationship');
    assert.equal(r.json.duration, 'P31D');
    assert.notEqual(r.json['@odata.etag'], created.json['@odata.etag']);
  });

  it('access assignments: list, get and create match their examples', async () => {
    const rel = activeWith();
    const list = await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments`, { token });
    assert.equal(list.status, 200);
    assertShape(list.json, example('delegatedadminrelationship-list-accessassignments.response.json'));
    const one = await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments/${rel.assignments[0].id}`, { token });
    assertShape(one.json, example('delegatedadminaccessassignment-get.response.json'));
    assert.deepEqual(annotations(one.json), annotations(example('delegatedadminaccessassignment-get.response.json')));
    const freeGroup = emu.store.securityGroups.find((g) => !rel.assignments.some((a: any) => a.containerId === g.id));
    assert.ok(freeGroup);
    const created = await call(emu, 'POST', `${REL}/${rel.id}/accessAssignments`, {
      token,
      body: {
        accessContainer: { accessContainerId: freeGroup.id, accessContainerType: 'securityGroup' },
        accessDetails: { unifiedRoles: [{ roleDefinitionId: rel.roles[0] }] },
      },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.location, `${emu.url}${REL}/${rel.id}/accessAssignments/${created.json.id}`);
    assertShape(created.json, example('delegatedadminrelationship-post-accessassignments.response.json'));
    assert.equal(created.json.status, 'pending');
  });

  it('requests: create, list and get match their examples', async () => {
    const c = await call(emu, 'POST', REL, {
      token,
      body: { ...example('tenantrelationship-post-delegatedadminrelationships.request.json'), displayName: 'Conformance lock' },
    });
    const r = await call(emu, 'POST', `${REL}/${c.json.id}/requests`, {
      token,
      body: example('delegatedadminrelationship-post-requests.request.json'),
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.location, `${emu.url}${REL}/${c.json.id}/requests/${r.json.id}`);
    assertShape(r.json, example('delegatedadminrelationship-post-requests.response.json'));
    assert.match(r.json['@odata.context'], /#requests$/);
    const list = await call(emu, 'GET', `${REL}/${c.json.id}/requests`, { token });
    assertShape(list.json, example('delegatedadminrelationship-list-requests.response.json'));
    const one = await call(emu, 'GET', `${REL}/${c.json.id}/requests/${r.json.id}`, { token });
    assertShape(one.json, example('delegatedadminrelationshiprequest-get.response.json'));
  });

  it('operations and the 202 of an assignment update match their examples', async () => {
    const rel = activeWith((r) => r.roles.length >= 2);
    const a = rel.assignments[0];
    const newRoles = rel.roles
      .filter((x: string) => !a.roles.includes(x))
      .slice(0, 1)
      .concat(a.roles.slice(0, 1));
    const r = await call(emu, 'PATCH', `${REL}/${rel.id}/accessAssignments/${a.id}`, {
      token,
      headers: { 'if-match': a.etag },
      body: { accessDetails: { unifiedRoles: newRoles.map((roleDefinitionId: string) => ({ roleDefinitionId })) } },
    });
    assert.equal(r.status, 202, r.text);
    assert.deepEqual(r.json, {});
    assert.equal(r.headers['retry-after'], '1');
    assert.match(r.headers['content-type'], /application\/json/);
    assert.ok(r.headers.location.startsWith(`${emu.url}${REL}/${rel.id}/operations/`));
    const op = await call(emu, 'GET', r.headers.location, { token });
    assertShape(op.json, example('delegatedadminrelationshipoperation-get.response.json'));
    assert.equal(typeof JSON.parse(op.json.data).accessDetails, 'object');
    const list = await call(emu, 'GET', `${REL}/${rel.id}/operations`, { token });
    assertShape(list.json, example('delegatedadminrelationship-list-operations.response.json'));
  });

  it('customers and service management details match their examples', async () => {
    const list = await call(emu, 'GET', CUSTOMERS, { token });
    assertShape(list.json, example('tenantrelationship-list-delegatedadmincustomers.response.json'));
    const id = list.json.value[0].id;
    assert.equal(id, list.json.value[0].tenantId);
    const one = await call(emu, 'GET', `${CUSTOMERS}/${id}`, { token });
    assertShape(one.json, example('delegatedadmincustomer-get.response.json'));
    assert.deepEqual(Object.keys(one.json).sort(), Object.keys(example('delegatedadmincustomer-get.response.json')).sort());
    const smd = await call(emu, 'GET', `${CUSTOMERS}/${id}/serviceManagementDetails`, { token });
    assertShape(smd.json, example('delegatedadmincustomer-list-servicemanagementdetails.response.json'));
    assert.ok(smd.json['@odata.context'].endsWith(`#delegatedAdminCustomers/${id}/serviceManagementDetails`));
  });

  it('Graph errors use the documented error shape with request-id', async () => {
    const r = await call(emu, 'GET', `${REL}/does-not-exist`, { token });
    assert.equal(r.status, 404);
    assertShape(r.json, example('graph-errors.example-error-response.json'));
    assert.equal(r.json.error.innerError['request-id'], r.headers['request-id']);
    assert.equal(typeof r.json.error.innerError['client-request-id'], 'string');
  });

  it('Partner Center: list, get by id, remove DAP and 429 match their examples', async () => {
    const list = await call(emu, 'GET', '/partnercenter/v1/customers?size=40', { token: userPc });
    assert.equal(list.status, 200);
    assertShape(list.json, example('partnercenter-get-a-list-of-customers.response.json'));
    assert.ok(!('allowDelegatedAccess' in list.json.items[0]));
    const withDap = emu.store.customers.values().next().value!;
    const one = await call(emu, 'GET', `/partnercenter/v1/customers/${withDap.tenantId}`, { token: userPc });
    assertShape(one.json, example('partnercenter-get-a-customer-by-id.response.json'));
    const dap = [...emu.store.customers.values()].find((c) => c.allowDelegatedAccess)!;
    const patched = await call(emu, 'PATCH', `/partnercenter/v1/customers/${dap.tenantId}/`, {
      token: userPc,
      body: example('partnercenter-remove-dap.request.json'),
    });
    assert.equal(patched.status, 200);
    const after = await call(emu, 'GET', `/partnercenter/v1/customers/${dap.tenantId}`, { token: userPc });
    assert.equal(after.json.allowDelegatedAccess, false);
    emu.setFaults('429:1');
    try {
      const t = await call(emu, 'GET', '/partnercenter/v1/customers?size=1', { token: userPc });
      assert.equal(t.status, 429);
      assertShape(t.json, example('partnercenter-api-throttling-guidance.response-429.json'));
      assert.deepEqual(Object.keys(t.json).sort(), ['message', 'statusCode']);
      assert.equal(t.headers['retry-after'], '1');
    } finally {
      emu.setFaults('');
    }
  });

  it('state endpoint returns exactly what the Graph routes return', async () => {
    const state = await call(emu, 'GET', '/_emulator/state');
    const rel = activeWith();
    const fromState = state.json.relationships.find((x: any) => x.id === rel.id);
    const fromList = (await call(emu, 'GET', `${REL}?$filter=id eq '${rel.id}'`, { token })).json.value[0];
    assert.deepEqual(fromState, fromList);
    assert.deepEqual(
      state.json.accessAssignments[rel.id],
      (await call(emu, 'GET', `${REL}/${rel.id}/accessAssignments`, { token })).json.value,
    );
    assert.deepEqual(state.json.customers, (await call(emu, 'GET', `${CUSTOMERS}?$top=300`, { token })).json.value);
    assert.deepEqual(Object.keys(state.json.partnerCenterCustomers[0]).sort(), ['allowDelegatedAccess', 'companyName', 'id']);
  });
});
