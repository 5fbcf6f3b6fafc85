import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClientCredentialsTokenProvider } from '../../../src/core/auth/clientCredentialsTokenProvider';
import { createDeviceCodeTokenProvider, type DeviceCodePrompt } from '../../../src/core/auth/deviceCodeTokenProvider';
import { createFileTokenCacheStore } from '../../../src/core/auth/tokenCacheStore';
import { resolveEndpoints, type ServiceEndpoints } from '../../../src/core/http/clouds';
import type { RequestLogEntry } from '../../../src/core/http/requestLog';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';

/** msal-node against the emulator's Entra endpoints, every request through core's transport. */
describe('auth: msal-node against the emulator', function () {
  this.timeout(15_000);
  let emu: RunningEmulator;
  let endpoints: ServiceEndpoints;
  let transport: HttpTransport;
  let dir: string;

  before(async () => {
    emu = await startEmulator({ port: 0, preset: 'empty' });
    endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-auth-'));
  });
  after(async () => {
    transport.close();
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('client credentials: an app-only Graph token, cached, app id as actor; nothing but the emulator contacted', async () => {
    const log: RequestLogEntry[] = [];
    const p = createClientCredentialsTokenProvider({
      endpoints,
      transport,
      tenant: emu.partnerTenantId,
      clientId: 'app-123',
      clientSecret: 'secret',
      log: (e) => log.push(e),
    });
    const t1 = await p.getToken('graph');
    assert.match(t1, /^eyJ/);
    assert.equal(await p.getToken('graph'), t1, 'second call served from msal cache');
    assert.notEqual(await p.getToken('graph', { forceRefresh: true }), undefined);
    assert.deepEqual(await p.getActor(), { kind: 'app', id: 'app-123', label: 'app-123' });
    assert.ok(log.length >= 2 && log.every((e) => e.url.startsWith(emu.url)));
    assert.ok(log.every((e) => !e.url.includes('?')));
  });

  it('client credentials: the token is reused per request without msal, renewed on force and near its expiry', async () => {
    const log: RequestLogEntry[] = [];
    const p = createClientCredentialsTokenProvider({
      endpoints,
      transport,
      tenant: emu.partnerTenantId,
      clientId: 'app-held',
      clientSecret: 'secret',
      log: (e) => log.push(e),
    });
    const tokenRequests = (): number => log.filter((e) => e.url.endsWith('/oauth2/v2.0/token')).length;
    const t1 = await p.getToken('graph');
    for (let i = 0; i < 50; i++) {
      assert.equal(await p.getToken('graph'), t1);
    }
    assert.equal(tokenRequests(), 1);
    const t2 = await p.getToken('graph', { forceRefresh: true });
    assert.equal(tokenRequests(), 2, 'a forced refresh goes to the token endpoint');
    assert.equal(await p.getToken('graph'), t2, 'and its token is the one reused');
    // A token with less than the 5-minute renewal margin left is not reused: an emulator issuing
    // 4-minute tokens makes every call a new token request.
    const short = await startEmulator({ port: 0, preset: 'empty', tokenLifetimeSeconds: 240 });
    const shortEndpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: short.url, emulatorCaPem: short.caPem });
    const shortTransport = createHttpTransport({ endpoints: shortEndpoints });
    try {
      const shortLog: RequestLogEntry[] = [];
      const q = createClientCredentialsTokenProvider({
        endpoints: shortEndpoints,
        transport: shortTransport,
        tenant: short.partnerTenantId,
        clientId: 'app-short',
        clientSecret: 'secret',
        log: (e) => shortLog.push(e),
      });
      await q.getToken('graph');
      await q.getToken('graph');
      assert.equal(shortLog.filter((e) => e.url.endsWith('/oauth2/v2.0/token')).length, 2);
    } finally {
      shortTransport.close();
      await short.close();
    }
  });

  it('client credentials refuse a Partner Center token with an auth error', async () => {
    const p = createClientCredentialsTokenProvider({
      endpoints,
      transport,
      tenant: emu.partnerTenantId,
      clientId: 'app-123',
      clientSecret: 'x',
    });
    // Remove-DAP needs App+User (docs/api-notes.md §8.1): refused before any request.
    await assert.rejects(p.getToken('partnerCenter'), (e: { kind?: string }) => e.kind === 'auth');
  });

  it('device code: prompt delivered to the callback, Graph then Partner Center silently, cache file 0600 reused', async () => {
    const prompts: DeviceCodePrompt[] = [];
    const file = path.join(dir, 'gdap', 'cache.json');
    const make = (): ReturnType<typeof createDeviceCodeTokenProvider> =>
      createDeviceCodeTokenProvider({
        endpoints,
        transport,
        tenant: emu.partnerTenantId,
        clientId: 'public-app',
        cache: createFileTokenCacheStore(file),
        onDeviceCode: (p) => prompts.push(p),
      });
    const p = make();
    const graph = await p.getToken('graph');
    assert.match(graph, /^eyJ/);
    assert.equal(prompts.length, 1);
    assert.ok(prompts[0].userCode.length > 0 && prompts[0].message.includes(prompts[0].userCode));
    const pc = await p.getToken('partnerCenter');
    assert.notEqual(pc, graph);
    assert.equal(prompts.length, 1, 'Partner Center came from the refresh token, no second prompt');
    const actor = await p.getActor();
    assert.equal(actor?.kind, 'user');
    assert.match(actor?.id ?? '', /@/);
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);

    // A new process (new provider) signs in silently from the persisted cache.
    const again = make();
    assert.match(await again.getToken('graph', { forceRefresh: true }), /^eyJ/);
    assert.equal(prompts.length, 1);
    assert.equal((await again.getActor())?.id, actor?.id);

    // Non-interactive without a cache: an auth error, no prompt.
    const silentOnly = createDeviceCodeTokenProvider({
      endpoints,
      transport,
      tenant: emu.partnerTenantId,
      clientId: 'public-app',
      interactive: false,
      onDeviceCode: (x) => prompts.push(x),
    });
    await assert.rejects(silentOnly.getToken('graph'), (e: { kind?: string }) => e.kind === 'auth');
    assert.equal(prompts.length, 1);
  });
});
