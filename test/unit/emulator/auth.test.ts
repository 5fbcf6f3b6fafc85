/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- conformance tests read untyped JSON replies and compare their shapes */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  PublicClientApplication,
} from '@azure/msal-node';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { CUSTOMERS, REL, call } from './emulatorClient';

/** msal network client that trusts only the emulator's CA and refuses every other origin. */
function emulatorNetwork(emu: RunningEmulator, seen: string[]): INetworkModule {
  const send = <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    seen.push(`${method} ${url}`);
    if (new URL(url).origin !== emu.url) {
      return Promise.reject(new Error(`unexpected network access to ${url}`));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers: options?.headers, ca: emu.caPem, agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString('utf8')));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text) as T });
        });
      });
      req.on('error', reject);
      req.end(options?.body);
    });
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

function claims(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('emulator auth: token endpoints, audiences and msal-node', () => {
  let emu: RunningEmulator;
  before(async () => {
    emu = await startEmulator({ preset: 'demo', timeScale: 100 });
  });
  after(() => emu.close());

  it('client_credentials: app-only JWT with roles/appid for the Graph audience; empty secret refused', async () => {
    const r = await call(emu, 'POST', '/organizations/oauth2/v2.0/token', {
      form: { grant_type: 'client_credentials', client_id: 'my-app', client_secret: 's', scope: 'https://graph.microsoft.com/.default' },
    });
    assert.equal(r.status, 200);
    assert.match(r.json.access_token, /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    const c = claims(r.json.access_token);
    assert.equal(c.aud, 'https://graph.microsoft.com');
    assert.equal(c.appid, 'my-app');
    assert.equal(c.tid, emu.partnerTenantId);
    assert.ok(Array.isArray(c.roles));
    assert.ok(c.exp > Date.now() / 1000);
    const noSecret = await call(emu, 'POST', '/organizations/oauth2/v2.0/token', {
      form: { grant_type: 'client_credentials', client_id: 'my-app', client_secret: '', scope: 'https://graph.microsoft.com/.default' },
    });
    assert.equal(noSecret.status, 401);
    assert.equal(noSecret.json.error, 'invalid_client');
    const us = await call(emu, 'POST', '/x/oauth2/v2.0/token', {
      form: { grant_type: 'client_credentials', client_id: 'a', client_secret: 's', scope: 'https://graph.microsoft.us/.default' },
    });
    assert.equal(claims(us.json.access_token).aud, 'https://graph.microsoft.us');
    assert.equal((await call(emu, 'GET', CUSTOMERS, { token: us.json.access_token })).status, 200);
  });

  it('device code: one authorization_pending, then a user token with id_token, client_info and refresh_token; refresh works', async () => {
    const dc = await call(emu, 'POST', '/common/oauth2/v2.0/devicecode', {
      form: { client_id: 'cli', scope: 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All offline_access' },
    });
    assert.equal(dc.status, 200);
    for (const k of ['device_code', 'user_code', 'verification_uri', 'expires_in', 'interval', 'message']) {
      assert.ok(k in dc.json, k);
    }
    const form = { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'cli', device_code: dc.json.device_code };
    const first = await call(emu, 'POST', '/common/oauth2/v2.0/token', { form });
    assert.equal(first.status, 400);
    assert.equal(first.json.error, 'authorization_pending');
    const second = await call(emu, 'POST', '/common/oauth2/v2.0/token', { form });
    assert.equal(second.status, 200);
    const c = claims(second.json.access_token);
    assert.equal(c.scp, 'DelegatedAdminRelationship.ReadWrite.All');
    assert.ok(c.upn && c.preferred_username && c.oid);
    assert.equal(claims(second.json.id_token).aud, 'cli');
    assert.deepEqual(JSON.parse(Buffer.from(second.json.client_info, 'base64url').toString()), { uid: c.oid, utid: emu.partnerTenantId });
    const pc = await call(emu, 'POST', '/common/oauth2/v2.0/token', {
      form: {
        grant_type: 'refresh_token',
        client_id: 'cli',
        refresh_token: second.json.refresh_token,
        scope: 'https://api.partnercenter.microsoft.com/user_impersonation',
      },
    });
    assert.equal(pc.status, 200);
    assert.equal(claims(pc.json.access_token).aud, 'https://api.partnercenter.microsoft.com');
    assert.equal((await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: pc.json.access_token })).status, 200);
    assert.equal((await call(emu, 'GET', REL, { token: pc.json.access_token })).status, 401, 'PC token on Graph');
    assert.equal(
      (await call(emu, 'GET', '/partnercenter/v1/customers?size=2', { token: second.json.access_token })).status,
      401,
      'Graph token on PC',
    );
    // The control API lists every secret it handed out, for the token-hygiene tests to look for.
    const issued: string[] = (await call(emu, 'GET', '/_emulator/issued')).json.secrets;
    for (const secret of [
      dc.json.device_code,
      second.json.access_token,
      second.json.refresh_token,
      second.json.id_token,
      pc.json.access_token,
    ]) {
      assert.ok(issued.includes(secret), `listed as issued: ${String(secret).slice(0, 8)}…`);
    }
    assert.ok(!issued.includes(dc.json.user_code), 'the user code is shown to the user, not a secret');
  });

  it('missing, expired and garbage tokens → 401 with WWW-Authenticate; read-only scope cannot write', async () => {
    const expired = emu.issueToken({ audience: 'graph', kind: 'user', expiresInSeconds: -5 });
    const forged = emu.issueToken({ audience: 'graph', kind: 'user' }).slice(0, -4) + 'AAAA';
    for (const token of [undefined, expired, 'garbage', forged]) {
      const r = await call(emu, 'GET', REL, { token });
      assert.equal(r.status, 401);
      assert.match(r.headers['www-authenticate'], /^Bearer /);
      assert.equal(r.json.error.code, 'InvalidAuthenticationToken');
      const pc = await call(emu, 'GET', '/partnercenter/v1/customers?size=1', { token });
      assert.equal(pc.status, 401);
      assert.ok(pc.headers['www-authenticate']);
    }
    const ro = emu.issueToken({ audience: 'graph', kind: 'user', permissions: ['DelegatedAdminRelationship.Read.All'] });
    assert.equal((await call(emu, 'GET', REL, { token: ro })).status, 200);
    assert.equal((await call(emu, 'POST', REL, { token: ro, body: {} })).status, 403);
  });

  it('a user outside Admin Agents gets 200 with empty lists (docs/api-notes.md §3.19)', async () => {
    const t = emu.issueToken({ audience: 'graph', kind: 'user' });
    const set = await call(emu, 'POST', '/_emulator/user', { body: { adminAgents: false } });
    assert.equal(set.status, 200);
    try {
      const r = await call(emu, 'GET', REL, { token: t });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.value, []);
      assert.deepEqual((await call(emu, 'GET', CUSTOMERS, { token: t })).json.value, []);
      const app = emu.issueToken({ audience: 'graph', kind: 'app' });
      assert.ok((await call(emu, 'GET', REL, { token: app })).json.value.length > 0, 'app-only is not affected');
    } finally {
      emu.setAdminAgents(true);
    }
    assert.ok((await call(emu, 'GET', REL, { token: t })).json.value.length > 0);
  });

  it('msal-node: device code (public client) and client credentials (confidential client), no other network', async () => {
    const seen: string[] = [];
    const tenant = emu.partnerTenantId;
    const metaResponse = await call(emu, 'GET', `/${tenant}/v2.0/.well-known/openid-configuration`);
    assert.equal(metaResponse.json.issuer, `${emu.url}/${tenant}/v2.0`);
    const auth = {
      authority: `${emu.url}/${tenant}`,
      knownAuthorities: [new URL(emu.url).host],
      authorityMetadata: JSON.stringify(metaResponse.json),
    };
    const pca = new PublicClientApplication({
      auth: { clientId: 'public-client', ...auth },
      system: { networkClient: emulatorNetwork(emu, seen) },
    });
    let message = '';
    const user = await pca.acquireTokenByDeviceCode({
      scopes: ['https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All'],
      deviceCodeCallback: (r) => {
        message = r.message;
      },
    });
    assert.ok(user);
    assert.match(message, /enter the code/);
    assert.equal(user.account?.tenantId, tenant);
    assert.equal((await call(emu, 'GET', REL, { token: user.accessToken })).status, 200);
    const cca = new ConfidentialClientApplication({
      auth: { clientId: 'conf-client', clientSecret: 'secret', ...auth },
      system: { networkClient: emulatorNetwork(emu, seen) },
    });
    const app = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    assert.ok(app);
    assert.equal(claims(app.accessToken).idtyp, 'app');
    assert.equal((await call(emu, 'GET', CUSTOMERS, { token: app.accessToken })).status, 200);
    assert.ok(seen.length >= 3);
    assert.ok(seen.every((s) => s.includes(emu.url)));
  });
});
