import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { actorFromToken } from '../../../src/core/auth/actorFromToken';
import { createClientCredentialsTokenProvider } from '../../../src/core/auth/clientCredentialsTokenProvider';
import { createCompositeTokenProvider } from '../../../src/core/auth/compositeTokenProvider';
import {
  emulatorAuthorityMetadata,
  graphAppScope,
  graphDelegatedScope,
  msalLoggerOptions,
  partnerCenterScope,
  resolveMsalAuthority,
} from '../../../src/core/auth/msalConfig';
import { createMsalNetworkClient } from '../../../src/core/auth/msalNetworkClient';
import { toSignInError } from '../../../src/core/auth/signInError';
import { createStaticTokenProvider, staticTokensFromEnv } from '../../../src/core/auth/staticTokenProvider';
import { createFileTokenCacheStore, defaultStateDir } from '../../../src/core/auth/tokenCacheStore';
import { resolveEndpoints } from '../../../src/core/http/clouds';
import { GdapError } from '../../../src/core/http/gdapError';
import type { RequestLogEntry } from '../../../src/core/http/requestLog';
import { createHttpTransport } from '../../../src/core/http/transport';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

describe('auth: token sources without network', () => {
  it('static tokens: from env, per audience, actor from claims, missing audience is an auth error', async () => {
    assert.equal(staticTokensFromEnv({}), undefined);
    assert.equal(staticTokensFromEnv({ GDAP_GRAPH_TOKEN: '  ' }), undefined);
    const graph = jwt({ upn: 'admin@contoso.com' });
    const tokens = staticTokensFromEnv({ GDAP_GRAPH_TOKEN: graph });
    assert.deepEqual(tokens, { graph, partnerCenter: undefined });
    const p = createStaticTokenProvider(tokens ?? {});
    assert.equal(await p.getToken('graph'), graph);
    await assert.rejects(
      p.getToken('partnerCenter'),
      (e: GdapError) => e.kind === 'auth' && /GDAP_PARTNER_CENTER_TOKEN/.test(e.message) && !e.message.includes(graph),
    );
    assert.deepEqual(await p.getActor(), { kind: 'user', id: 'admin@contoso.com', label: 'admin@contoso.com' });
  });

  it('actor from token: UPN, app id, or nothing for opaque tokens', () => {
    assert.equal(actorFromToken(jwt({ preferred_username: 'u@x.com', appid: 'a' }))?.id, 'u@x.com');
    assert.deepEqual(actorFromToken(jwt({ appid: '11111111-1111-1111-1111-111111111111' })), {
      kind: 'app',
      id: '11111111-1111-1111-1111-111111111111',
      label: '11111111-1111-1111-1111-111111111111',
    });
    assert.equal(actorFromToken('opaque-token'), undefined);
    assert.equal(actorFromToken('a.b.c'), undefined);
  });

  it('composite routes by audience and reports the actor per audience', async () => {
    const app = createStaticTokenProvider({ graph: jwt({ appid: 'app-1' }) });
    const user = createStaticTokenProvider({ partnerCenter: jwt({ upn: 'u@x.com' }) });
    const c = createCompositeTokenProvider({ graph: app, partnerCenter: user });
    assert.match(await c.getToken('graph'), /^eyJ/);
    assert.match(await c.getToken('partnerCenter'), /^eyJ/);
    assert.equal((await c.getActor())?.id, 'app-1');
    assert.equal((await c.getActorFor('partnerCenter'))?.id, 'u@x.com');
  });

  it('client credentials refuse Partner Center with a clear auth error, before any request', async () => {
    const endpoints = resolveEndpoints({ cloud: 'global' });
    const transport = { send: () => Promise.reject(new Error('no request expected')), close: () => undefined };
    const p = createClientCredentialsTokenProvider({ endpoints, transport, tenant: 'contoso.com', clientId: 'c', clientSecret: 's' });
    await assert.rejects(p.getToken('partnerCenter'), (e: GdapError) => e.kind === 'auth' && /needs a signed-in user/.test(e.message));
    assert.equal(await p.getActor(), undefined);
    assert.throws(
      () => createClientCredentialsTokenProvider({ endpoints, transport, tenant: 't', clientId: 'c', clientSecret: '' }),
      /GDAP_CLIENT_SECRET/,
    );
  });

  it('scopes per cloud (docs/api-notes.md §7, §8.1, §11)', () => {
    const global = resolveEndpoints({ cloud: 'global' });
    const usgov = resolveEndpoints({ cloud: 'usgov' });
    assert.equal(graphDelegatedScope(global), 'https://graph.microsoft.com/DelegatedAdminRelationship.ReadWrite.All');
    assert.equal(graphDelegatedScope(usgov, true), 'https://graph.microsoft.us/DelegatedAdminRelationship.Read.All');
    assert.equal(graphAppScope(usgov), 'https://graph.microsoft.us/.default');
    assert.equal(partnerCenterScope(global), 'https://api.partnercenter.microsoft.com/user_impersonation');
  });

  it('msal logger drops PII messages and is PII-off', () => {
    const seen: string[] = [];
    const opts = msalLoggerOptions((m) => seen.push(m));
    assert.equal(opts.piiLoggingEnabled, false);
    opts.loggerCallback?.(1, 'pii: user@x.com', true);
    opts.loggerCallback?.(1, 'plain warning', false);
    assert.deepEqual(seen, ['plain warning']);
  });

  it('sign-in errors keep the msal code and never a token', () => {
    const token = jwt({ upn: 'x' });
    const e = toSignInError({ errorCode: 'invalid_client', errorMessage: `bad secret access_token=${token}` }, 'App sign-in');
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /App sign-in failed \(invalid_client\)/);
    assert.ok(!e.message.includes(token));
    assert.equal(toSignInError(new GdapError({ kind: 'cancelled', message: 'c' }), 'x').kind, 'cancelled');
    assert.equal(toSignInError(new GdapError({ kind: 'network', message: 'down' }), 'x').kind, 'auth');
  });

  it('token cache file: created 0600 in a 0700 folder, read back, XDG_STATE_HOME honoured', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-cache-'));
    try {
      assert.equal(defaultStateDir({ XDG_STATE_HOME: dir }), path.join(dir, 'gdap'));
      assert.equal(defaultStateDir({ XDG_STATE_HOME: 'relative' }), path.join(os.homedir(), '.local', 'state', 'gdap'));
      const file = path.join(defaultStateDir({ XDG_STATE_HOME: dir }), 'cache.json');
      const store = createFileTokenCacheStore(file);
      assert.equal(await store.load(), undefined);
      await store.save('{"a":1}');
      assert.equal(await store.load(), '{"a":1}');
      assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
      assert.equal((await fs.stat(path.dirname(file))).mode & 0o777, 0o700);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('auth: msal network client and emulator authority', () => {
  let server: http.Server;
  let origin: string;
  const seen: { method: string; url: string; body: string; contentType?: string }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', body, contentType: req.headers['content-type'] });
        if (req.url === '/t1/v2.0/.well-known/openid-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ token_endpoint: `${origin}/t1/oauth2/v2.0/token`, issuer: 'served-issuer' }));
        } else if (req.url === '/notjson') {
          res.writeHead(200);
          res.end('<html>');
        } else {
          res.writeHead(400, { 'content-type': 'application/json', 'x-ms-request-id': 'r1' });
          res.end(JSON.stringify({ error: 'invalid_grant' }));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('sends through the transport, parses JSON, keeps status and headers, logs without the query', async () => {
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: origin });
    const transport = createHttpTransport({ endpoints });
    const log: RequestLogEntry[] = [];
    try {
      const client = createMsalNetworkClient(transport, { log: (e) => log.push(e) });
      const post = await client.sendPostRequestAsync<{ error: string }>(`${origin}/t1/oauth2/v2.0/token?x=secret`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_secret=s3cret',
      });
      assert.equal(post.status, 400);
      assert.equal(post.body.error, 'invalid_grant');
      assert.equal(post.headers['x-ms-request-id'], 'r1');
      const last = seen[seen.length - 1];
      assert.equal(last.method, 'POST');
      assert.equal(last.body, 'grant_type=client_credentials&client_secret=s3cret');
      assert.equal(last.contentType, 'application/x-www-form-urlencoded');
      await assert.rejects(
        client.sendGetRequestAsync(`${origin}/notjson`),
        (e: GdapError) => e.kind === 'invalidResponse' && !e.message.includes('<html>'),
      );
      assert.deepEqual(
        log.map((e) => [e.method, e.url, e.status]),
        [
          ['POST', `${origin}/t1/oauth2/v2.0/token`, 400],
          ['GET', `${origin}/notjson`, 200],
        ],
      );
    } finally {
      transport.close();
    }
  });

  it('emulator authority: known authority = its host, metadata fetched and merged over the fixed layout', async () => {
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: origin });
    const transport = createHttpTransport({ endpoints });
    try {
      const a = await resolveMsalAuthority(endpoints, 't1', transport);
      assert.equal(a.authority, `${origin}/t1`);
      assert.deepEqual(a.knownAuthorities, [new URL(origin).host]);
      const meta = JSON.parse(a.authorityMetadata ?? '{}') as Record<string, string>;
      assert.equal(meta.issuer, 'served-issuer');
      assert.equal(meta.jwks_uri, `${origin}/t1/discovery/v2.0/keys`);
      // No served metadata (400 here): the fixed layout.
      const b = await resolveMsalAuthority(endpoints, 'other', transport);
      assert.deepEqual(JSON.parse(b.authorityMetadata ?? '{}'), emulatorAuthorityMetadata(origin, 'other'));
      await assert.rejects(resolveMsalAuthority(endpoints, '../etc', transport), (e: GdapError) => e.kind === 'invalidInput');
      const real = await resolveMsalAuthority(resolveEndpoints({ cloud: 'usgov' }), 'contoso.com', transport);
      assert.deepEqual(real, { authority: 'https://login.microsoftonline.us/contoso.com' });
    } finally {
      transport.close();
    }
  });
});
