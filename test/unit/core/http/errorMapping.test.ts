import { strict as assert } from 'node:assert';
import {
  errorFromParsedResponse,
  errorFromResponse,
  humanMessage,
  kindForStatus,
  parseRetryAfter,
} from '../../../../src/core/http/errorMapping';
import { example, exampleJson } from '../helpers/testServer';

describe('error mapping (docs/api-notes.md §8.8, §9.1)', () => {
  it('maps statuses to kinds', () => {
    assert.deepEqual([400, 401, 403, 404, 409, 412, 429, 500, 503, 504].map(kindForStatus), [
      'invalidInput',
      'auth',
      'forbidden',
      'notFound',
      'conflict',
      'preconditionFailed',
      'throttled',
      'server',
      'server',
      'server',
    ]);
  });

  it('maps the documented Graph error example (innerError, request-id)', () => {
    const e = errorFromParsedResponse(400, {}, exampleJson('graph-errors.example-error-response.json'), { service: 'graph' });
    assert.equal(e.kind, 'invalidInput');
    assert.equal(e.code, 'invalidRange');
    assert.equal(e.serviceMessage, 'Uploaded fragment overlaps with existing data.');
    assert.equal(e.requestId, 'request-id');
    assert.equal(e.status, 400);
  });

  it('accepts innererror / requestId / client-request-id spellings, nested', () => {
    const e = errorFromParsedResponse(
      404,
      {},
      { error: { code: 'itemNotFound', message: 'nope', innererror: { innererror: { requestId: 'r-2', 'client-request-id': 'c-2' } } } },
      { service: 'graph' },
    );
    assert.equal(e.kind, 'notFound');
    assert.equal(e.requestId, 'r-2');
    assert.equal(e.clientRequestId, 'c-2');
    const f = errorFromParsedResponse(
      500,
      { 'request-id': 'hdr' },
      { error: { code: 'x', innerError: { 'request-id': 'body' } } },
      { service: 'graph', clientRequestId: 'mine' },
    );
    assert.equal(f.requestId, 'hdr', 'the response header wins');
    assert.equal(f.clientRequestId, 'mine');
  });

  it('maps the Graph 429 body with Retry-After', () => {
    const body = {
      error: {
        code: 'TooManyRequests',
        message: 'Please retry again later.',
        innerError: { code: '429', date: '2024-01-01T00:00:00', 'request-id': 'rq', status: '429' },
      },
    };
    const e = errorFromParsedResponse(429, { 'retry-after': '7' }, body, { service: 'graph' });
    assert.equal(e.kind, 'throttled');
    assert.equal(e.retryAfterSeconds, 7);
    assert.equal(e.requestId, 'rq');
    assert.match(e.message, /throttl/i);
    assert.match(e.message, /7 s/);
  });

  it('maps the Partner Center 429 example {statusCode, message}', () => {
    const http = example('partnercenter-api-throttling-guidance.response-429.http');
    const retryAfter = /Retry-After:\s*(\d+)/.exec(http)?.[1];
    const e = errorFromResponse(
      {
        status: 429,
        headers: { 'retry-after': retryAfter ?? '' },
        body: example('partnercenter-api-throttling-guidance.response-429.json'),
      },
      { service: 'partnerCenter' },
    );
    assert.equal(e.kind, 'throttled');
    assert.equal(e.code, '429');
    assert.equal(e.retryAfterSeconds, 57);
    assert.equal(e.serviceMessage, 'Rate limit is exceeded. Try again in 57 seconds.');
  });

  it('maps the Partner Center error schema with a numeric or a string code', () => {
    const schema = example('partnercenter-error-codes.error-schema.txt');
    const jsonPart = schema.slice(0, schema.indexOf('WWW-Authenticate'));
    assert.match(schema, /WWW-Authenticate: OAuth realm=/);
    const numeric = jsonPart
      .replace('"code": <string>', '"code": 900118')
      .replace('"description": <string>', '"description": "Invalid Customer Id"')
      .replace('"source": <string>', '"source": "PartnerFD"');
    const e = errorFromResponse({ status: 400, headers: { 'ms-requestid': 'pc-req' }, body: numeric }, { service: 'partnerCenter' });
    assert.equal(e.code, '900118');
    assert.equal(e.serviceMessage, 'Invalid Customer Id');
    assert.equal(e.requestId, 'pc-req');
    assert.equal(e.kind, 'invalidInput');
    const str = errorFromResponse(
      { status: 403, headers: {}, body: '{"code":"20002","description":"no commerce relationship","data":[],"source":"PartnerFD"}' },
      { service: 'partnerCenter' },
    );
    assert.equal(str.code, '20002');
    assert.equal(str.kind, 'forbidden');
    assert.match(str.message, /Admin Agent/);
  });

  it('tolerates a body that is not JSON', () => {
    const e = errorFromResponse({ status: 502, headers: {}, body: '<html>bad gateway</html>' }, { service: 'graph' });
    assert.equal(e.kind, 'server');
    assert.equal(e.code, undefined);
  });

  it('has a human message per kind (403 names the roles, 401 sign in, 412 changed, 429 throttled)', () => {
    assert.match(humanMessage('forbidden', 'graph'), /Admin Agent/);
    assert.match(humanMessage('forbidden', 'graph'), /relationship-admin|GDAP/);
    assert.match(humanMessage('auth', 'graph'), /Sign in again/);
    assert.match(humanMessage('preconditionFailed', 'graph'), /changed since it was read/);
    assert.match(humanMessage('throttled', 'partnerCenter'), /throttl/i);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('Tue, 21 Jul 2020 04:10:58 GMT');
    assert.equal(parseRetryAfter('57', now), 57_000);
    assert.equal(parseRetryAfter(' 10 ', now), 10_000);
    assert.equal(parseRetryAfter('Tue, 21 Jul 2020 04:11:08 GMT', now), 10_000);
    assert.equal(parseRetryAfter('Tue, 21 Jul 2020 04:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('never puts a token into an error', () => {
    const e = errorFromParsedResponse(
      400,
      {},
      { error: { code: 'bad', message: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig rejected' } },
      { service: 'graph' },
    );
    assert.ok(!e.message.includes('eyJ'));
    assert.ok(!(e.serviceMessage ?? '').includes('eyJ'));
  });
});
