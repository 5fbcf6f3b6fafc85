/* eslint-disable @typescript-eslint/no-unsafe-member-access -- the tests read untyped JSON replies */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { isLoopbackRedirectUri } from '../../../src/emulator/tokens';
import { call, type Reply } from './emulatorClient';

const CLIENT = '5a1e0000-0000-4000-8000-0000000000ac';
const REDIRECT = 'http://localhost:53117';
const SCOPE = 'https://graph.microsoft.com/DelegatedAdminRelationship.Read.All openid profile offline_access';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  return `/organizations/oauth2/v2.0/authorize?${new URLSearchParams(params).toString()}`;
}

function baseParams(challenge: string): Record<string, string> {
  return {
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: SCOPE,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st-123',
  };
}

function redirectParams(r: Reply): URLSearchParams {
  assert.equal(r.status, 302, r.text);
  const location = new URL(r.headers.location);
  assert.equal(location.origin, REDIRECT);
  return location.searchParams;
}

function redeem(emu: RunningEmulator, form: Record<string, string>): Promise<Reply> {
  return call(emu, 'POST', '/organizations/oauth2/v2.0/token', {
    form: { grant_type: 'authorization_code', client_id: CLIENT, redirect_uri: REDIRECT, scope: SCOPE, ...form },
  });
}

describe('emulator: authorize endpoint and the authorization_code grant with PKCE', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', timeScale: 100 });
  });
  after(() => emu.close());

  it('approves by itself: 302 to the loopback redirect URI with a code and the state; the code redeems once', async () => {
    const { verifier, challenge } = pkce();
    const q = redirectParams(await call(emu, 'GET', authorizeUrl(baseParams(challenge))));
    assert.equal(q.get('state'), 'st-123');
    const code = q.get('code') ?? '';
    assert.ok(code.length > 20);
    const r = await redeem(emu, { code, code_verifier: verifier });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.token_type, 'Bearer');
    assert.equal(typeof r.json.refresh_token, 'string');
    const claims = JSON.parse(Buffer.from(String(r.json.access_token).split('.')[1], 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(claims.aud, 'https://graph.microsoft.com');
    assert.equal(claims.scp, 'DelegatedAdminRelationship.Read.All');
    assert.equal(claims.appid, CLIENT);
    const again = await redeem(emu, { code, code_verifier: verifier });
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
    assert.match(String(again.json.error_description), /^AADSTS54005:/);
  });

  it('form_post: an auto-submitting form that posts code and state to the redirect URI', async () => {
    const { challenge } = pkce();
    const r = await call(emu, 'GET', authorizeUrl({ ...baseParams(challenge), response_mode: 'form_post' }));
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/html/);
    assert.match(r.text, /<form method="POST" name="hiddenform" action="http:\/\/localhost:53117">/);
    assert.match(r.text, /name="code" value="emu\.ac\.[\w-]+"/);
    assert.match(r.text, /name="state" value="st-123"/);
  });

  it('a wrong, missing or other code_verifier is refused (AADSTS501481) and uses the code up', async () => {
    const { verifier, challenge } = pkce();
    const code = redirectParams(await call(emu, 'GET', authorizeUrl(baseParams(challenge)))).get('code') ?? '';
    const wrong = await redeem(emu, { code, code_verifier: pkce().verifier });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.json.error, 'invalid_grant');
    assert.match(String(wrong.json.error_description), /^AADSTS501481:/);
    const right = await redeem(emu, { code, code_verifier: verifier });
    assert.equal(right.status, 400, 'a code is single-use even after a failed attempt');

    const second = pkce();
    const code2 = redirectParams(await call(emu, 'GET', authorizeUrl(baseParams(second.challenge)))).get('code') ?? '';
    const missing = await redeem(emu, { code: code2 });
    assert.equal(missing.status, 400);
    assert.match(String(missing.json.error_description), /^AADSTS501481:/);
  });

  it('the redeeming client and redirect URI must be those of the authorization request', async () => {
    const a = pkce();
    const codeA = redirectParams(await call(emu, 'GET', authorizeUrl(baseParams(a.challenge)))).get('code') ?? '';
    const otherClient = await redeem(emu, { code: codeA, code_verifier: a.verifier, client_id: '11111111-0000-4000-8000-000000000000' });
    assert.equal(otherClient.status, 400);
    assert.match(String(otherClient.json.error_description), /^AADSTS70000:/);
    const b = pkce();
    const codeB = redirectParams(await call(emu, 'GET', authorizeUrl(baseParams(b.challenge)))).get('code') ?? '';
    const otherRedirect = await redeem(emu, { code: codeB, code_verifier: b.verifier, redirect_uri: 'http://localhost:1' });
    assert.equal(otherRedirect.status, 400);
    assert.match(String(otherRedirect.json.error_description), /^AADSTS70000:/);
  });

  it('no PKCE, plain PKCE or another response_type: the error goes back to the redirect URI with the state', async () => {
    const { challenge } = pkce();
    for (const params of [
      { ...baseParams(challenge), code_challenge: '' },
      { ...baseParams(challenge), code_challenge_method: 'plain' },
    ]) {
      const q = redirectParams(await call(emu, 'GET', authorizeUrl(params)));
      assert.equal(q.get('error'), 'invalid_request');
      assert.equal(q.get('code'), null);
      assert.equal(q.get('state'), 'st-123');
    }
    const token = redirectParams(await call(emu, 'GET', authorizeUrl({ ...baseParams(challenge), response_type: 'token' })));
    assert.equal(token.get('error'), 'unsupported_response_type');
    const badScope = redirectParams(
      await call(emu, 'GET', authorizeUrl({ ...baseParams(challenge), scope: 'https://unknown.example/x.Read' })),
    );
    assert.equal(badScope.get('error'), 'invalid_resource');
  });

  it('never redirects to a non-loopback URI, and needs a client id (an error page instead)', async () => {
    const { challenge } = pkce();
    for (const redirect of ['https://evil.example/cb', 'http://evil.example/', 'http://user:pw@localhost:1/', 'not a url', '']) {
      const r = await call(emu, 'GET', authorizeUrl({ ...baseParams(challenge), redirect_uri: redirect }));
      assert.equal(r.status, 400, redirect);
      assert.equal(r.headers.location, undefined);
      assert.match(r.text, /AADSTS50011/);
    }
    const noClient = await call(emu, 'GET', authorizeUrl({ ...baseParams(challenge), client_id: '' }));
    assert.equal(noClient.status, 400);
    assert.match(noClient.text, /AADSTS900144/);
    const post = await call(emu, 'POST', authorizeUrl(baseParams(challenge)));
    assert.equal(post.status, 405);
  });

  it('loopback redirect URIs: localhost, 127.0.0.1 and [::1] over http only', () => {
    assert.ok(isLoopbackRedirectUri('http://localhost'));
    assert.ok(isLoopbackRedirectUri('http://127.0.0.1:8400/cb'));
    assert.ok(isLoopbackRedirectUri('http://[::1]:9000'));
    assert.ok(!isLoopbackRedirectUri('https://localhost'));
    assert.ok(!isLoopbackRedirectUri('http://localhost.evil.example'));
  });
});
