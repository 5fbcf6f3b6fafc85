import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { browserCommand, openSystemBrowser } from '../../../src/cli/cliAuth';
import type { CliIo } from '../../../src/cli/cliIo';
import { runCli } from '../../../src/cli/run';
import { createInteractiveTokenProvider, type InteractiveSignInOptions } from '../../../src/core/auth/interactiveTokenProvider';
import { createFileTokenCacheStore } from '../../../src/core/auth/tokenCacheStore';
import { resolveEndpoints, type ServiceEndpoints } from '../../../src/core/http/clouds';
import type { GdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { emulatorBrowser, type BrowserVisit } from './emulatorBrowser';

const CLIENT_ID = '7b0c0000-0000-4000-8000-0000000b7045';

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function portIsClosed(url: string): Promise<boolean> {
  const port = Number(new URL(url).port);
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

/** Sign-in with authorization code + PKCE on a loopback redirect, msal-node against the emulator. */
describe('auth: browser sign-in (authorization code + PKCE, loopback redirect)', function () {
  this.timeout(20_000);
  let emu: RunningEmulator;
  let endpoints: ServiceEndpoints;
  let transport: HttpTransport;
  let dir: string;

  before(async () => {
    emu = await startEmulator({ port: 0, preset: 'demo', customers: 4, seed: 5, timeScale: 100 });
    endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    transport = createHttpTransport({ endpoints });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-browser-'));
  });
  after(async () => {
    transport.close();
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  function provider(
    extra: Partial<InteractiveSignInOptions> & Pick<InteractiveSignInOptions, 'openBrowser'>,
  ): ReturnType<typeof createInteractiveTokenProvider> {
    return createInteractiveTokenProvider({ endpoints, transport, tenant: emu.partnerTenantId, clientId: CLIENT_ID, ...extra });
  }

  it('signs in through the browser once, then Graph and Partner Center tokens come silently', async () => {
    const visits: BrowserVisit[] = [];
    const cacheFile = path.join(dir, 'one', 'msal-cache.json');
    const p = provider({ openBrowser: emulatorBrowser(emu.caPem, visits), cache: createFileTokenCacheStore(cacheFile) });
    const actor = await p.signIn();
    assert.equal(actor.kind, 'user');
    assert.equal(actor.id, emu.tokens.user.upn);
    assert.equal(visits.length, 1);
    const url = new URL(visits[0].authorizeUrl);
    assert.equal(url.origin + url.pathname, `${emu.url}/${emu.partnerTenantId}/oauth2/v2.0/authorize`);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.match(url.searchParams.get('redirect_uri') ?? '', /^http:\/\/localhost:\d+$/);
    assert.equal(visits[0].loopbackStatus, 200);
    assert.match(visits[0].loopbackPage, /Signed in\. You can close this tab/);
    assert.ok(await portIsClosed(url.searchParams.get('redirect_uri') ?? ''), 'the loopback listener is closed after the sign-in');

    const graph = await p.getToken('graph');
    assert.equal(claims(graph).aud, 'https://graph.microsoft.com');
    assert.equal(claims(graph).scp, 'DelegatedAdminRelationship.ReadWrite.All');
    const pc = await p.getToken('partnerCenter');
    assert.equal(claims(pc).aud, 'https://api.partnercenter.microsoft.com');
    assert.equal(visits.length, 1, 'no second browser sign-in');
    assert.equal((await fs.stat(cacheFile)).mode & 0o777, 0o600);

    // A new process with the same cache: silent, no browser.
    const again = provider({
      openBrowser: () => Promise.reject(new Error('no browser expected')),
      cache: createFileTokenCacheStore(cacheFile),
    });
    assert.match(await again.getToken('graph'), /^eyJ/);
    assert.equal((await again.getActor())?.id, emu.tokens.user.upn);
    await again.signOut();
    // Signed out: the same provider no longer hands out the token it held for requests.
    await assert.rejects(again.getToken('graph'));
    const afterSignOut = provider({
      openBrowser: () => Promise.reject(new Error('x')),
      cache: createFileTokenCacheStore(cacheFile),
      interactive: false,
    });
    await assert.rejects(afterSignOut.getToken('graph'), (e: GdapError) => e.kind === 'auth' && /not signed in/.test(e.message));
  });

  it('concurrent token requests open one browser tab', async () => {
    const visits: BrowserVisit[] = [];
    const p = provider({ openBrowser: emulatorBrowser(emu.caPem, visits) });
    const [a, b] = await Promise.all([p.getToken('graph'), p.getToken('graph')]);
    assert.match(a, /^eyJ/);
    assert.match(b, /^eyJ/);
    assert.equal(visits.length, 1);
  });

  it('cancelling (Ctrl+C) ends the wait, closes the loopback listener and reports cancelled', async () => {
    const controller = new AbortController();
    let opened = '';
    const p = provider({
      openBrowser: (url) => {
        opened = url;
        // The user never finishes in the browser; they press Ctrl+C instead.
        setTimeout(() => controller.abort(), 50);
        return Promise.resolve();
      },
    });
    await assert.rejects(p.getToken('graph', { signal: controller.signal }), (e: GdapError) => e.kind === 'cancelled');
    assert.ok(await portIsClosed(new URL(opened).searchParams.get('redirect_uri') ?? ''));
  });

  it('an already cancelled request opens no browser', async () => {
    const controller = new AbortController();
    controller.abort();
    let opened = 0;
    const p = provider({ openBrowser: () => Promise.resolve(void opened++) });
    await assert.rejects(p.getToken('graph', { signal: controller.signal }), (e: GdapError) => e.kind === 'cancelled');
    assert.equal(opened, 0);
  });

  it('a browser that never comes back times out with the fix (device code)', async () => {
    const p = provider({ openBrowser: () => Promise.resolve(), timeoutMs: 200 });
    await assert.rejects(
      p.getToken('graph'),
      (e: GdapError) => e.kind === 'auth' && /timed out/.test(e.message) && /--device-code/.test(e.message),
    );
  });

  it('an error from the authorize endpoint (unknown resource) is an auth error with the AADSTS code, no token', async () => {
    const visits: BrowserVisit[] = [];
    const p = createInteractiveTokenProvider({
      endpoints,
      transport,
      tenant: emu.partnerTenantId,
      clientId: CLIENT_ID,
      extraGraphScopes: ['https://unknown.example/Read'],
      openBrowser: emulatorBrowser(emu.caPem, visits),
    });
    await assert.rejects(p.getToken('graph'), (e: GdapError) => e.kind === 'auth' && /invalid_resource|AADSTS/.test(e.message));
    assert.match(visits[0].loopbackPage, /did not complete/);
  });

  describe('CLI', () => {
    function io(env: NodeJS.ProcessEnv, openBrowser?: (url: string) => Promise<void>): CliIo & { out: string[]; err: string[] } {
      const out: string[] = [];
      const err: string[] = [];
      return {
        env,
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: (t: string) => err.push(t) },
        stderrIsTTY: false,
        stdinIsTTY: false,
        ask: () => Promise.resolve(''),
        scriptDir: dir,
        signal: new AbortController().signal,
        openBrowser,
        out,
        err,
      };
    }

    it('--client-id and --tenant without a secret: the browser sign-in is the default, and nothing secret is printed', async () => {
      const caFile = path.join(dir, 'ca.pem');
      await fs.writeFile(caFile, emu.caPem);
      const secrets = new Set<string>();
      const tokenFn = emu.tokens.token.bind(emu.tokens);
      const authorizeFn = emu.tokens.authorize.bind(emu.tokens);
      emu.tokens.token = (baseUrl, form) => {
        const res = tokenFn(baseUrl, form);
        const body = res.body as Record<string, unknown>;
        for (const k of ['access_token', 'refresh_token', 'id_token']) {
          if (typeof body[k] === 'string') {
            secrets.add(body[k]);
          }
        }
        for (const k of ['code', 'code_verifier']) {
          const v = form.get(k);
          if (v !== null) {
            secrets.add(v);
          }
        }
        return res;
      };
      emu.tokens.authorize = (query) => {
        const out = authorizeFn(query);
        const code = /name="code" value="([^"]+)"/.exec(out.html ?? '')?.[1];
        if (code !== undefined) {
          secrets.add(code);
        }
        return out;
      };
      try {
        const visits: BrowserVisit[] = [];
        const state = path.join(dir, 'cli-state');
        const cli = io({ XDG_STATE_HOME: state }, emulatorBrowser(emu.caPem, visits));
        const code = await runCli(
          [
            'inventory',
            '--verbose',
            '--emulator',
            emu.url,
            '--emulator-ca',
            caFile,
            '--client-id',
            CLIENT_ID,
            '--tenant',
            emu.partnerTenantId,
          ],
          cli,
        );
        assert.equal(code, 0, cli.err.join(''));
        assert.equal(visits.length, 1, 'one browser sign-in');
        const inventory = JSON.parse(cli.out.join('')) as { customers: unknown[] };
        assert.ok(inventory.customers.length > 0);
        assert.ok(secrets.size >= 4, 'code, verifier and tokens were captured');
        const printed = cli.out.join('') + cli.err.join('');
        assert.match(printed, /POST .*oauth2\/v2\.0\/token/, 'the verbose log shows the token request (without its body)');
        for (const s of secrets) {
          assert.ok(!printed.includes(s), `output contains a secret (${s.slice(0, 8)}…)`);
        }
        const files = await fs.readdir(state, { recursive: true });
        assert.ok(
          files.some((f) => /msal-cache-/.test(f)),
          'the refresh token is kept in the msal cache file',
        );

        // Second run: the cached sign-in, no browser.
        const second = io({ XDG_STATE_HOME: state }, () => Promise.reject(new Error('no browser expected')));
        const again = await runCli(
          ['expiring', '--emulator', emu.url, '--emulator-ca', caFile, '--client-id', CLIENT_ID, '--tenant', emu.partnerTenantId],
          second,
        );
        assert.equal(again, 0, second.err.join(''));
      } finally {
        emu.tokens.token = tokenFn;
        emu.tokens.authorize = authorizeFn;
      }
    });

    it('no browser can be opened: the link is printed on stderr', async () => {
      const saved = process.env.PATH;
      const empty = await fs.mkdtemp(path.join(dir, 'no-browser-'));
      process.env.PATH = empty;
      try {
        const shown: string[] = [];
        await openSystemBrowser('https://login.example/authorize?x=1', (url) => shown.push(url), 'linux');
        assert.deepEqual(shown, ['https://login.example/authorize?x=1']);
      } finally {
        process.env.PATH = saved;
      }
    });

    it('opens the system browser with xdg-open, open or start', () => {
      const url = 'https://login.example/a?b=1&c=2';
      assert.deepEqual(browserCommand(url, 'linux'), { command: 'xdg-open', args: [url] });
      assert.deepEqual(browserCommand(url, 'darwin'), { command: 'open', args: [url] });
      const win = browserCommand(url, 'win32');
      assert.equal(win.command, 'cmd');
      assert.match(win.args.join(' '), /start "" "https:\/\/login\.example\/a\?b=1\^&c=2"/);
    });
  });
});
