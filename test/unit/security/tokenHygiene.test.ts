import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ActionContext } from '../../../src/core/actions/actionTypes';
import { loadInventory } from '../../../src/core/actions/inventory';
import { FileJournal } from '../../../src/core/actions/journal';
import { removeAccessAssignments } from '../../../src/core/actions/removeAccessAssignments';
import { removeDap } from '../../../src/core/actions/removeDap';
import { terminateRelationships } from '../../../src/core/actions/terminateRelationships';
import { createClientCredentialsTokenProvider } from '../../../src/core/auth/clientCredentialsTokenProvider';
import { createDeviceCodeTokenProvider, type DeviceCodePrompt } from '../../../src/core/auth/deviceCodeTokenProvider';
import { createFileTokenCacheStore } from '../../../src/core/auth/tokenCacheStore';
import { createCoreClients } from '../../../src/core/coreClients';
import { resolveEndpoints } from '../../../src/core/http/clouds';
import { createHttpTransport } from '../../../src/core/http/transport';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server';
import { MFA_CLAIMS } from '../../../src/emulator/tokens';
import { emulatorBrowser, type BrowserVisit } from '../auth/emulatorBrowser';

// Token hygiene (core and CLI): sign in against the emulator
// through the real msal sources, run every action and every CLI command with --verbose, collect every
// secret the emulator issued (access, refresh and id tokens, device codes, authorization codes and the
// PKCE verifiers sent to redeem them) and scan everything the
// product wrote for them. The one place tokens may live is the msal cache file (0600).
const CLIENT_ID = '3c2b1a00-0000-4000-8000-00000000c11e';
const CLI = resolve(__dirname, '../../../dist/cli.js');

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 99, stdout, stderr });
    });
  });
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      out.push(...filesUnder(p));
    } else {
      out.push(p);
    }
  }
  return out;
}

describe('token hygiene: no issued token reaches a log, an output, the journal or a cache file', function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let dir: string;
  const secrets = new Set<string>();

  before(async () => {
    emu = await startEmulator({ preset: 'demo', customers: 24, seed: 3, timeScale: 100, deviceCodeIntervalSeconds: 1 });
    // Record every secret the token endpoints hand out.
    const tokenFn = emu.tokens.token.bind(emu.tokens);
    emu.tokens.token = (baseUrl, form) => {
      const res = tokenFn(baseUrl, form);
      const body = res.body as Record<string, unknown> | undefined;
      for (const k of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof body?.[k] === 'string') {
          secrets.add(body[k]);
        }
      }
      for (const k of ['code', 'code_verifier']) {
        const v = form.get(k);
        if (v !== null && v !== '') {
          secrets.add(v);
        }
      }
      return res;
    };
    const authorizeFn = emu.tokens.authorize.bind(emu.tokens);
    emu.tokens.authorize = (query) => {
      const out = authorizeFn(query);
      const code =
        /name="code" value="([^"]+)"/.exec(out.html ?? '')?.[1] ?? new URL(out.headers.location ?? 'x:/').searchParams.get('code');
      if (code !== undefined && code !== null) {
        secrets.add(code);
      }
      return out;
    };
    const deviceFn = emu.tokens.deviceCode.bind(emu.tokens);
    emu.tokens.deviceCode = (baseUrl, form) => {
      const res = deviceFn(baseUrl, form);
      const code = (res.body as { device_code?: unknown } | undefined)?.device_code;
      if (typeof code === 'string') {
        secrets.add(code);
      }
      return res;
    };
    dir = mkdtempSync(join(tmpdir(), 'gdap-hygiene-'));
  });
  after(async () => {
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scan = (where: string, text: string): void => {
    assert.ok(secrets.size > 0, 'the test captured the issued tokens');
    for (const s of secrets) {
      assert.ok(!text.includes(s), `${where} contains an issued secret (${s.slice(0, 12)}…)`);
      // A token's signature alone is as bad as the whole token.
      const sig = s.split('.')[2];
      if (sig !== undefined && sig.length > 16) {
        assert.ok(!text.includes(sig), `${where} contains a token signature`);
      }
    }
  };

  it('core: device code and client credentials sign-in, then inventory, terminate, remove assignment and remove DAP', async () => {
    const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
    const transport = createHttpTransport({ endpoints });
    const logged: string[] = [];
    const log = (e: unknown): void => void logged.push(JSON.stringify(e));
    const msalLog = (m: string): void => void logged.push(m);
    const prompts: DeviceCodePrompt[] = [];
    const cacheFile = join(dir, 'core', 'msal-cache.json');
    try {
      const user = createDeviceCodeTokenProvider({
        endpoints,
        transport,
        tenant: emu.partnerTenantId,
        clientId: CLIENT_ID,
        log,
        msalLog,
        cache: createFileTokenCacheStore(cacheFile),
        onDeviceCode: (p) => prompts.push(p),
      });
      const app = createClientCredentialsTokenProvider({
        endpoints,
        transport,
        tenant: emu.partnerTenantId,
        clientId: CLIENT_ID,
        clientSecret: 'emulator-secret-value',
        log,
        msalLog,
      });
      await app.getToken('graph');
      const clients = createCoreClients({ endpoints, tokens: user, log });
      const journalPath = join(dir, 'core', 'journal.jsonl');
      const journal = new FileJournal(journalPath);
      try {
        const inventory = await loadInventory(clients.graph, { includeAssignments: true });
        const ctx: ActionContext = {
          graph: clients.graph,
          partnerCenter: clients.partnerCenter,
          journal,
          actor: await user.getActor(),
          cloud: 'global',
          concurrency: 4,
        };
        const rels = inventory.customers.flatMap((c) => c.relationships).filter((r) => r.status === 'active');
        assert.ok(rels.length >= 2, 'the demo data has active relationships');
        const withAssignment = rels.find((r) => (r.accessAssignments ?? []).length > 0);
        assert.ok(withAssignment !== undefined);
        const assignment = (withAssignment.accessAssignments ?? [])[0];
        const toTerminate = rels.find((r) => r.id !== withAssignment.id);
        assert.ok(toTerminate !== undefined);
        const opts = { pollIntervalMs: 100, timeoutMs: 20_000 };
        const results = [
          ...(await terminateRelationships(ctx, [toTerminate.id], opts)),
          ...(await removeAccessAssignments(ctx, [{ relationshipId: withAssignment.id, assignmentId: assignment.id }], opts)),
        ];
        const dapOn = [...emu.store.customers.values()].find((c) => c.allowDelegatedAccess);
        if (dapOn !== undefined) {
          results.push(...(await removeDap(ctx, [dapOn.tenantId], opts)));
        }
        assert.ok(
          results.every((r) => r.outcome === 'done'),
          JSON.stringify(results),
        );
        await journal.close();
        scan('journal', readFileSync(journalPath, 'utf8'));
      } finally {
        clients.dispose();
      }
      assert.equal(prompts.length, 1, 'one device-code prompt was shown');
      const all = logged.join('\n');
      scan('request log and msal log', all);
      // The device-code prompt is shown to the user, never logged.
      assert.ok(!all.includes(prompts[0].userCode), 'user code in the log');
      assert.ok(!all.includes(prompts[0].message), 'device-code message in the log');
      assert.ok(!all.includes('emulator-secret-value'), 'client secret in the log');
      // The msal cache file is where refresh tokens belong: owner-only.
      assert.equal(statSync(cacheFile).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'core')).mode & 0o077, 0, 'cache directory not readable by others');
    } finally {
      transport.close();
    }
  });

  const cliRuns = async (ctx: Mocha.Context, pick: (base: string[], device: string[], view: StateView) => string[][]): Promise<void> => {
    try {
      statSync(CLI);
    } catch {
      assert.fail(`${CLI} is missing: run \`npm run build\` first (npm test builds before the unit tests).`);
    }
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emu.caPem);
    const state = join(dir, 'cli-state');
    const env = { PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: state, NO_COLOR: '1' };
    const journal = join(state, 'journal.jsonl');
    const base = ['--emulator', emu.url, '--emulator-ca', caFile, '--verbose', '--journal', journal];
    const device = ['--device-code', '--client-id', CLIENT_ID, '--tenant', emu.partnerTenantId];
    const outputs: string[] = [];
    for (const args of pick(base, device, await fetchState(emu))) {
      const r = await run(args, env);
      // `gdap check` exits 4 when it has findings; everything else must succeed.
      assert.ok(r.code === 0 || (args[0] === 'check' && r.code === 4), `gdap ${args.slice(0, 2).join(' ')} exited ${r.code}: ${r.stderr}`);
      outputs.push(r.stdout, r.stderr);
      scan(`gdap ${args[0]} stdout`, r.stdout);
      scan(`gdap ${args[0]} stderr`, r.stderr);
    }
    assert.ok(/\b(GET|POST|PATCH|DELETE)\b/.test(outputs.join('')), 'the verbose request log was printed');
    for (const file of filesUnder(state)) {
      if (/msal-cache/.test(file)) {
        assert.equal(statSync(file).mode & 0o777, 0o600, `${file} must be owner-only`);
      } else {
        scan(file, readFileSync(file, 'utf8'));
      }
    }
  };

  it('CLI: inventory (emulator sign-in and device code) and expiring with --verbose', async function () {
    await cliRuns(this, (base, device) => [
      ['inventory', '--assignments', ...base],
      ['inventory', '--format', 'csv', ...base, ...device],
      ['expiring', '--days', '400', ...base],
    ]);
  });

  it('CLI: terminate, remove-assignment and remove-dap with --verbose and a journal', async function () {
    await cliRuns(this, (base, _device, view) => {
      const active = view.relationships.filter((r) => r.status === 'active');
      const withAssignment = active.find((r) => (view.accessAssignments[r.id] ?? []).some((a) => a.status === 'active'));
      assert.ok(withAssignment !== undefined);
      const assignmentId = (view.accessAssignments[withAssignment.id] ?? []).find((a) => a.status === 'active')?.id ?? '';
      const terminate = active.find((r) => r.id !== withAssignment.id);
      assert.ok(terminate !== undefined);
      const dap = view.partnerCenterCustomers.find((c) => c.allowDelegatedAccess);
      return [
        ['terminate', terminate.id, '--yes', '--no-wait', ...base],
        ['remove-assignment', withAssignment.id, assignmentId, '--yes', '--no-wait', ...base],
        ...(dap !== undefined ? [['remove-dap', dap.id, '--yes', ...base]] : []),
      ];
    });
    const journal = readFileSync(join(dir, 'cli-state', 'journal.jsonl'), 'utf8');
    assert.ok(journal.includes('"intent"') && journal.includes('"outcome"'), 'the CLI journalled its actions');
  });

  it('CLI: remove-dap and check refused for MFA (claims challenge) with --verbose: no token and no claims anywhere', async () => {
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, emu.caPem);
    const env = { PATH: process.env.PATH, HOME: dir, XDG_STATE_HOME: join(dir, 'mfa-state'), NO_COLOR: '1' };
    const base = ['--emulator', emu.url, '--emulator-ca', caFile, '--verbose'];
    const dap = (await fetchState(emu)).partnerCenterCustomers.find((c) => c.allowDelegatedAccess);
    assert.ok(dap !== undefined, 'a customer with DAP on');
    const claims = JSON.stringify(MFA_CLAIMS);
    emu.options.requirePcMfa = true;
    try {
      for (const args of [
        ['remove-dap', dap.id, '--yes', ...base],
        ['check', ...base],
      ]) {
        const r = await run(args, env);
        assert.equal(r.code, 3, `gdap ${args[0]} exits 3 on the MFA refusal: ${r.stderr}`);
        assert.match(r.stderr, /requires multi-factor authentication/);
        for (const [where, text] of [
          [`gdap ${args[0]} stdout`, r.stdout],
          [`gdap ${args[0]} stderr`, r.stderr],
        ] as const) {
          scan(where, text);
          assert.ok(!text.includes(claims) && !text.includes(Buffer.from(claims).toString('base64')), `${where} contains the claims`);
        }
      }
    } finally {
      emu.options.requirePcMfa = false;
    }
  });

  it('CLI: the grant and renewal commands, access and check with --verbose and a journal', async function () {
    const GA = '62e90394-69f5-4237-9190-012177145e10';
    const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020177';
    const active = [...emu.store.relationships.values()].filter(
      (r) => r.status === 'active' && !r.reseller && r.customer?.tenantId !== undefined && r.displayName.length <= 40,
    );
    const withAssignment = active.find((r) => r.assignments.some((a) => a.status === 'active' && a.roles.length > 0));
    assert.ok(withAssignment !== undefined, 'the demo data has an active assignment');
    const assignment = withAssignment.assignments.find((a) => a.status === 'active' && a.roles.length > 0);
    const [assignTo, autoExtend, removeGa, makeRenewable, renew] = active.filter((r) => r !== withAssignment);
    assert.ok(renew !== undefined, 'five more active relationships');
    for (const r of [removeGa, makeRenewable]) {
      r.roles = [...new Set([...r.roles, GA])];
      r.autoExtendDuration = 'PT0S';
    }
    autoExtend.roles = autoExtend.roles.filter((x) => x !== GA);
    autoExtend.autoExtendDuration = 'PT0S';
    await cliRuns(this, (base) => [
      [
        'create',
        '--name',
        'Hygiene check',
        '--roles',
        'Directory Readers',
        '--customer',
        assignTo.customer?.tenantId ?? '',
        '--yes',
        ...base,
      ],
      ['assign', assignTo.id, '--group', GROUP, '--roles', assignTo.roles.filter((x) => x !== GA)[0] ?? '', '--yes', '--no-wait', ...base],
      ['set-roles', withAssignment.id, assignment?.id ?? '', '--roles', assignment?.roles[0] ?? '', '--yes', '--no-wait', ...base],
      ['history', withAssignment.id, ...base],
      ['invites', ...base],
      ['auto-extend', 'on', autoExtend.id, '--yes', ...base],
      ['remove-ga', removeGa.id, '--yes', ...base],
      ['make-renewable', makeRenewable.id, '--yes', ...base],
      ['renew', renew.id, '--yes', ...base],
      ['access', ...base],
      ['check', ...base],
    ]);
    const journal = readFileSync(join(dir, 'cli-state', 'journal.jsonl'), 'utf8');
    for (const action of [
      'createRelationship',
      'createAccessAssignment',
      'autoExtendOn',
      'removeGlobalAdministrator',
      'makeRenewable',
      'renewRelationship',
    ]) {
      assert.ok(journal.includes(`"${action}"`), `the journal holds ${action}`);
    }
  });

  it('CLI: browser sign-in (authorization code + PKCE) with no browser to open: the link on stderr, nothing secret anywhere', async () => {
    try {
      statSync(CLI);
    } catch {
      assert.fail(`${CLI} is missing: run \`npm run build\` first (npm test builds before the unit tests).`);
    }
    const caFile = join(dir, 'ca-browser.pem');
    writeFileSync(caFile, emu.caPem);
    const state = join(dir, 'browser-state');
    // PATH holds no xdg-open/open: the CLI must print the sign-in link, and the test plays the browser.
    const noBrowser = join(dir, 'empty-path');
    mkdirSync(noBrowser, { recursive: true });
    const env = { PATH: noBrowser, HOME: dir, XDG_STATE_HOME: state, NO_COLOR: '1' };
    const args = [
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
    ];
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const visits: BrowserVisit[] = [];
    const browser = emulatorBrowser(emu.caPem, visits);
    let visited: Promise<void> | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const link = /^(https:\/\/\S+\/oauth2\/v2\.0\/authorize\?\S+)$/m.exec(stderr);
      if (link !== null && visited === undefined) {
        visited = browser(link[1]);
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    clearTimeout(killer);
    await visited;
    assert.equal(code, 0, stderr);
    assert.equal(visits.length, 1, 'the printed link led to one sign-in');
    assert.match(stderr, /no browser could be opened/);
    scan('gdap inventory (browser sign-in) stdout', stdout);
    scan('gdap inventory (browser sign-in) stderr', stderr);
    for (const file of filesUnder(state)) {
      if (/msal-cache/.test(file)) {
        assert.equal(statSync(file).mode & 0o777, 0o600, `${file} must be owner-only`);
      } else {
        scan(file, readFileSync(file, 'utf8'));
      }
    }
    assert.ok(
      [...secrets].some((s) => s.startsWith('emu.ac.')),
      'the authorization code was captured and checked',
    );
  });
});

interface StateView {
  relationships: { id: string; status: string }[];
  accessAssignments: Record<string, { id: string; status: string }[]>;
  partnerCenterCustomers: { id: string; allowDelegatedAccess: boolean }[];
}

async function fetchState(emu: RunningEmulator): Promise<StateView> {
  const https = await import('node:https');
  return new Promise((done, fail) => {
    https
      .get(`${emu.url}/_emulator/state`, { ca: emu.caPem }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(JSON.parse(Buffer.concat(chunks).toString('utf8')) as StateView));
      })
      .on('error', fail);
  });
}
