import { strict as assert } from 'node:assert';
import { redact } from '../../../../src/core/http/redact';

const JWT = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl';

describe('redact', () => {
  it('removes Authorization header values in every spelling', () => {
    for (const text of [
      `Authorization: Bearer ${JWT}`,
      `authorization: Bearer abc.def`,
      `{"Authorization":"Bearer abc"}`,
      `"authorization": "Bearer x"`,
    ]) {
      const out = redact(text);
      assert.ok(!/abc|eyJ0|Bearer x|def/.test(out), out);
      assert.match(out, /\[redacted\]/);
    }
  });

  it('removes bare bearer tokens and JWT-shaped strings anywhere', () => {
    assert.equal(redact(`token ${JWT} end`), 'token [redacted] end');
    assert.ok(!redact(`bearer opaque-token_123`).includes('opaque'));
  });

  it('removes OAuth secrets in form bodies, query strings and JSON', () => {
    const form = 'grant_type=device_code&client_id=abc&client_secret=s3cr3t&device_code=DC123&code=AUTHCODE&refresh_token=RT';
    const out = redact(form);
    assert.ok(!/s3cr3t|DC123|AUTHCODE|=RT/.test(out), out);
    assert.match(out, /client_id=abc/);
    assert.match(out, /grant_type=device_code/);
    const json = redact('{"access_token":"AT1","refresh_token":"RT1","id_token":"IT1","client_secret":"CS","device_code":"DC"}');
    assert.ok(!/AT1|RT1|IT1|"CS"|"DC"/.test(json), json);
    assert.ok(!redact('https://login/cb?code=XYZ&state=1').includes('XYZ'));
  });

  it('keeps service error codes and ordinary text', () => {
    const body = '{"error":{"code":"invalidRange","message":"Uploaded fragment overlaps with existing data."}}';
    assert.equal(redact(body), body);
    assert.equal(
      redact('GET https://graph.microsoft.com/v1.0/tenantRelationships?$top=300'),
      'GET https://graph.microsoft.com/v1.0/tenantRelationships?$top=300',
    );
  });
});
