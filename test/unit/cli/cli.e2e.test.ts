import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { CliIo } from '../../../src/cli/cliIo';
import { runCli } from '../../../src/cli/run';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { emulatorEnv, mutatingRequests, runCliOnTerminal, runCliProcess, type CliRun } from './harness/bundledCli';

/*
 * End to end: the bundled CLI (built exactly as esbuild.config.mjs builds dist/cli.js and
 * dist/emulator.js, into a temporary folder so parallel builds never collide) against the real emulator
 * started in-process. Every issued token is captured from the emulator and searched for in stdout,
 * stderr, the journal and the state folder.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface State {
  relationships: { id: string; displayName: string; status: string; customer?: { tenantId?: string } }[];
  accessAssignments: Record<string, { id: string; status: string }[]>;
  partnerCenterCustomers: { id: string; companyName: string; allowDelegatedAccess: boolean }[];
}

describe('gdap CLI end to end against the emulator', function () {
  this.timeout(20_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;
  const issued = new Set<string>();
  const outputs: string[] = [];

  async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const r = await runCliProcess(cli, args, { ...emulatorEnv(emu, path.join(dir, 'state')), ...env }, 15_000);
    outputs.push(r.stdout, r.stderr);
    return r;
  }

  async function runOnTerminal(args: string[], columns: number): Promise<CliRun> {
    const r = await runCliOnTerminal(cli, args, emulatorEnv(emu, path.join(dir, 'state')), columns, 15_000);
    outputs.push(r.stdout, r.stderr);
    return r;
  }

  async function control<T>(p: string, init?: { method: string; body: string }): Promise<T> {
    // The control routes need no token; Node's fetch cannot take a CA, so use the transport-free https module.
    const https = await import('node:https');
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        `${emu.url}${p}`,
        { method: init?.method ?? 'GET', ca: emu.caPem, headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(JSON.parse(text) as T));
        },
      );
      req.on('error', reject);
      req.end(init?.body);
    });
  }

  const state = (): Promise<State> => control<State>('/_emulator/state');
  const mutations = (): Promise<{ method: string; path: string }[]> => Promise.resolve(mutatingRequests(emu));

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-cli-e2e-'));
    const common: esbuild.BuildOptions = {
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
      absWorkingDir: ROOT,
    };
    await Promise.all([
      esbuild.build({
        ...common,
        entryPoints: ['src/cli/main.ts'],
        outfile: path.join(dir, 'cli.js'),
        banner: { js: '#!/usr/bin/env node' },
      }),
      esbuild.build({ ...common, entryPoints: ['src/emulator/main.ts'], outfile: path.join(dir, 'emulator.js') }),
    ]);
    cli = path.join(dir, 'cli.js');
    emu = await startEmulator({ port: 0, preset: 'demo', seed: 7, timeScale: 200 });
    // Capture every token the emulator hands out (access, refresh, id) to prove none leaks.
    const tokens = emu.tokens as unknown as { token: (...a: unknown[]) => { body?: unknown }; issue: (...a: unknown[]) => string };
    const origToken = tokens.token.bind(tokens);
    tokens.token = (...a: unknown[]) => {
      const r = origToken(...a);
      const b = r.body as Record<string, unknown> | undefined;
      for (const k of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof b?.[k] === 'string') {
          issued.add(b[k]);
        }
      }
      return r;
    };
    const origIssue = tokens.issue.bind(tokens);
    tokens.issue = (...a: unknown[]) => {
      const t = origIssue(...a);
      issued.add(t);
      return t;
    };
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  afterEach(async () => {
    await control('/_emulator/faults', { method: 'POST', body: JSON.stringify({ faults: '' }) });
  });

  it('--version, --help and per-command help', async () => {
    const v = await run(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = await run(['terminate', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /--dry-run/);
    assert.match(h.stdout, /Exit codes: 0 ok, 1/);
  });

  it('inventory json: the contract shape, customers sorted, --customer and --status filters', async () => {
    const r = await run(['inventory', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const inv = JSON.parse(r.stdout) as {
      generatedAt: string;
      source: string;
      customers: { tenantId: string; displayName: string; relationships: Record<string, unknown>[] }[];
      pendingRelationships: unknown[];
    };
    assert.equal(inv.source, 'emulator');
    assert.ok(inv.customers.length > 5);
    const names = inv.customers.map((c) => c.displayName);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    const r0 = inv.customers[0].relationships[0];
    assert.deepEqual(
      Object.keys(r0).sort(),
      [
        'activatedDateTime',
        'autoExtendDuration',
        'createdDateTime',
        'customer',
        'displayName',
        'duration',
        'endDateTime',
        'id',
        'roles',
        'status',
      ].sort(),
    );
    assert.ok(!('accessAssignments' in r0));
    const customer = inv.customers[1].tenantId;
    const one = JSON.parse((await run(['inventory', '-q', '--customer', customer])).stdout) as typeof inv;
    assert.deepEqual(
      one.customers.map((c) => c.tenantId),
      [customer],
    );
    const pending = JSON.parse((await run(['inventory', '-q', '--status', 'approvalPending'])).stdout) as typeof inv;
    const all = [...pending.customers.flatMap((c) => c.relationships), ...(pending.pendingRelationships as Record<string, unknown>[])];
    assert.ok(all.length > 0 && all.every((x) => x.status === 'approvalPending'));
  });

  it('inventory --assignments as RFC 4180 CSV', async () => {
    const r = await run(['inventory', '-q', '--assignments', '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\r\n');
    assert.match(lines[0], /^customerTenantId,customerDisplayName,relationshipId,.*,assignmentId,assignmentStatus,accessContainerId/);
    assert.equal(lines[lines.length - 1], '');
    const s = await state();
    const assignmentCount = s.relationships
      .filter((x) => x.status === 'active' || x.status === 'expiring')
      .reduce((n, x) => n + (s.accessAssignments[x.id]?.length ?? 0), 0);
    assert.ok(lines.length - 2 >= assignmentCount);
    const firstAssignment = Object.values(s.accessAssignments).find((a) => a.length > 0)?.[0];
    assert.ok(firstAssignment !== undefined && r.stdout.includes(firstAssignment.id));
  });

  it('expiring: only active, not auto-extending, within --days', async () => {
    const r = await run(['expiring', '-q', '--days', '60']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      days: number;
      relationships: { status: string; endDateTime: string; autoExtendDuration: string }[];
    };
    assert.equal(out.days, 60);
    const limit = Date.now() + 61 * 86_400_000;
    for (const x of out.relationships) {
      assert.equal(x.status, 'active');
      assert.ok(Date.parse(x.endDateTime) <= limit);
    }
  });

  it('on a terminal: inventory and expiring print a table that fits its width; piped, the same commands print JSON', async () => {
    const s = await state();
    const mlt = s.relationships.find((x) => x.displayName.startsWith('MLT_'));
    assert.ok(mlt !== undefined, 'the demo preset has a Microsoft-led transition relationship');

    const wide = await runOnTerminal(['inventory', '-q'], 200);
    assert.equal(wide.code, 0, wide.stdout);
    const lines = wide.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^CUSTOMER +RELATIONSHIP +ORIGIN +STATUS +ENDS +EXTENDS +ROLES +ID$/);
    assert.match(lines[1], /^─+( +─+){7}$/);
    assert.match(lines[lines.length - 1], /^\d+ customers, \d+ relationships$/);
    const mltLine = lines.find((l) => l.endsWith(mlt.id));
    assert.ok(mltLine !== undefined, 'the whole id on a 200-cell terminal');
    assert.match(mltLine, /Microsoft-led transition/);
    for (const l of lines) {
      assert.ok([...l].length <= 200, l);
    }

    const narrow = await runOnTerminal(['expiring', '-q', '--days', '730'], 72);
    assert.equal(narrow.code, 0, narrow.stdout);
    const narrowLines = narrow.stdout.trimEnd().split('\n');
    // So narrow that even headers give way, but every column is still there.
    assert.match(narrowLines[0], /^CUSTOMER +RELATION\S*… +ORIGIN +ENDS +DAYS LEFT +ROLES +ID$/);
    assert.ok(narrowLines.length > 2);
    // Every line within 72 cells (the demo names are single-width), cut ones end in an ellipsis.
    assert.ok(
      narrowLines.every((l) => [...l].length <= 72),
      narrow.stdout,
    );
    assert.ok(narrowLines.slice(2).some((l) => l.includes('…')));

    const piped = await run(['inventory', '-q']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.ok(Array.isArray((JSON.parse(piped.stdout) as { customers: unknown[] }).customers));
    const asked = await runOnTerminal(['expiring', '-q', '--format', 'json'], 80);
    assert.equal((JSON.parse(asked.stdout) as { days: number }).days, 30);
    const tableInFile = await run(['expiring', '-q', '--days', '730', '--format', 'table']);
    assert.match(tableInFile.stdout, /^CUSTOMER +RELATIONSHIP/);
  });

  it('on a terminal: a mutation prints one line per target; piped, the JSON results', async () => {
    const s = await state();
    const [first, second] = s.relationships.filter((x) => x.status === 'active' && x.customer?.tenantId !== undefined).slice(-2);
    const missing = '11111111-2222-4333-8444-555555555556';
    const r = await runOnTerminal(['terminate', first.id, missing, '--yes', '-q'], 120);
    assert.equal(r.code, 1, r.stdout);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `✓ Terminated '${first.displayName}' (${(await customerName(first.customer?.tenantId)) ?? ''})`);
    assert.match(lines[1], new RegExp(`^✗ Failed to terminate ${missing}: Relationship not found`));
    const piped = await run(['terminate', second.id, '--yes', '-q', '--no-wait']);
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(
      (JSON.parse(piped.stdout) as { results: { id: string }[] }).results.map((x) => x.id),
      [second.id],
    );
  });

  /** The customer's name as the inventory gives it. */
  async function customerName(tenantId: string | undefined): Promise<string | undefined> {
    const inv = JSON.parse((await run(['inventory', '-q'])).stdout) as { customers: { tenantId: string; displayName: string }[] };
    return inv.customers.find((c) => c.tenantId === tenantId)?.displayName;
  }

  it('terminate: --dry-run sends nothing; then done / alreadyDone / skipped / failed with exit 1', async () => {
    const s = await state();
    const active = s.relationships.filter((x) => x.status === 'active')[0].id;
    const pending = s.relationships.find((x) => x.status === 'approvalPending');
    assert.ok(pending !== undefined, 'the demo preset has an approvalPending relationship');
    const missing = '11111111-2222-4333-8444-555555555555';
    const before = (await mutations()).length;
    const dry = await run(['terminate', active, pending.id, '--dry-run', '-q']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { dryRun: boolean; plan: { id: string; willAct: boolean }[] };
    assert.equal(plan.dryRun, true);
    assert.deepEqual(
      plan.plan.map((p) => p.willAct),
      [true, false],
    );
    assert.equal((await mutations()).length, before, 'dry run sent a mutation');

    const r = await run(['terminate', active, pending.id, missing, '--yes', '-q']);
    assert.equal(r.code, 1, r.stderr);
    const results = (JSON.parse(r.stdout) as { results: { id: string; outcome: string; status: string | null; error: string | null }[] })
      .results;
    assert.deepEqual(
      results.map((x) => [x.id, x.outcome]),
      [
        [active, 'done'],
        [pending.id, 'skipped'],
        [missing, 'failed'],
      ],
    );
    assert.equal(results[0].status, 'terminated');
    assert.match(results[1].error ?? '', /approvalPending/);
    assert.deepEqual(Object.keys(results[2]), ['id', 'outcome', 'status', 'error']);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one error line');
    assert.equal((await state()).relationships.find((x) => x.id === active)?.status, 'terminated');

    const again = await run(['terminate', active, '--yes', '-q']);
    assert.equal(again.code, 0);
    assert.equal((JSON.parse(again.stdout) as { results: { outcome: string }[] }).results[0].outcome, 'alreadyDone');

    const journal = await fs.readFile(path.join(dir, 'state', 'gdap', 'journal.jsonl'), 'utf8');
    outputs.push(journal);
    const records = journal
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; target: { relationshipId?: string }; actor: string | null });
    assert.ok(records.some((x) => x.type === 'intent' && x.target.relationshipId === active));
    assert.ok(records.some((x) => x.type === 'outcome' && x.target.relationshipId === active));
    assert.equal((await fs.stat(path.join(dir, 'state', 'gdap', 'journal.jsonl'))).mode & 0o777, 0o600);
  });

  it('remove-assignment with --journal PATH, and its refusal paths', async () => {
    const s = await state();
    const rel = s.relationships.find((x) => x.status === 'active' && (s.accessAssignments[x.id] ?? []).some((a) => a.status === 'active'));
    assert.ok(rel !== undefined);
    const assignment = s.accessAssignments[rel.id].find((a) => a.status === 'active');
    assert.ok(assignment !== undefined);
    const journal = path.join(dir, 'custom', 'j.jsonl');
    const noTty = await run(['remove-assignment', rel.id, assignment.id]);
    assert.equal(noTty.code, 2);
    assert.match(noTty.stderr, /no terminal to ask on/);
    const r = await run(['remove-assignment', rel.id, assignment.id, '--yes', '-q', '--journal', journal]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      results: [{ id: `${rel.id}/${assignment.id}`, outcome: 'done', status: 'deleted', error: null }],
    });
    const text = await fs.readFile(journal, 'utf8');
    outputs.push(text);
    assert.match(text, /"action":"removeAccessAssignment"/);
  });

  it('a run interrupted last time (intent without outcome) is settled by reading before anything new is sent', async () => {
    const s = await state();
    const active = s.relationships.filter((x) => x.status === 'active');
    assert.ok(active.length >= 2);
    const [interrupted, next] = active;
    const journal = path.join(dir, 'interrupted', 'j.jsonl');
    await fs.mkdir(path.dirname(journal), { recursive: true });
    const intent = {
      time: new Date().toISOString(),
      type: 'intent',
      operationId: 'op-interrupted',
      action: 'terminateRelationship',
      actor: null,
      cloud: 'global',
      target: { relationshipId: interrupted.id, name: interrupted.displayName },
      priorStatus: 'active',
      priorEtag: null,
    };
    await fs.writeFile(journal, `${JSON.stringify(intent)}\n`);
    const sentBefore = (await mutations()).length;
    const r = await run(['terminate', next.id, '--yes', '-q', '--journal', journal, '--no-wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`gdap: journal: .*${interrupted.id}.*did not take effect`));
    const records = (await fs.readFile(journal, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; operationId: string; status?: string });
    assert.deepEqual(
      records.filter((x) => x.operationId === 'op-interrupted').map((x) => [x.type, x.status ?? null]),
      [
        ['intent', null],
        ['reconciled', 'active'],
      ],
    );
    // The interrupted target was only read: nothing was sent to it.
    const sent = (await mutations()).slice(sentBefore);
    assert.deepEqual(
      sent.filter((m) => m.path.includes(interrupted.id)),
      [],
    );
    assert.equal(sent.filter((m) => m.path.includes(next.id)).length, 1, 'the new target was terminated');
    // A second run finds nothing open.
    const again = await run(['terminate', next.id, '--yes', '-q', '--journal', journal, '--no-wait']);
    assert.doesNotMatch(again.stderr, /gdap: journal:/);
  });

  it('remove-dap: user token through the device code sign-in; app-only refused with exit 3', async () => {
    const customer = (await state()).partnerCenterCustomers.find((c) => c.allowDelegatedAccess);
    assert.ok(customer !== undefined);
    const r = await run(['remove-dap', customer.id, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /emulator sign-in for Partner Center/);
    assert.deepEqual(JSON.parse(r.stdout), { results: [{ id: customer.id, outcome: 'done', status: 'dapOff', error: null }] });
    assert.equal((await state()).partnerCenterCustomers.find((c) => c.id === customer.id)?.allowDelegatedAccess, false);
    const again = await run(['remove-dap', customer.id, '--yes', '-q']);
    assert.equal((JSON.parse(again.stdout) as { results: { outcome: string }[] }).results[0].outcome, 'alreadyDone');

    const app = await run(
      ['remove-dap', customer.id, '--yes', '--client-id', '3f0c1a8e-5b7d-4c2a-9e61-2d4b8a7c6f10', '--tenant', 'contoso.onmicrosoft.com'],
      { GDAP_CLIENT_SECRET: 'shh' },
    );
    assert.equal(app.code, 3);
    assert.match(app.stderr, /Partner Center needs a signed-in user/);
    assert.equal(app.stdout, '');
  });

  it('on a terminal without --yes: shows the plan, "n" sends nothing (exit 2), "y" proceeds', async () => {
    const id = (await state()).relationships.filter((x) => x.status === 'active')[1].id;
    const answers = ['n', 'y'];
    const questions: string[] = [];
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      env: { XDG_STATE_HOME: path.join(dir, 'state'), GDAP_EMULATOR_URL: emu.url, GDAP_EMULATOR_CA: emu.caFile },
      stdout: { write: (t: string | Uint8Array) => (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')) },
      stderr: { write: (t: string) => (stderr += t) },
      stderrIsTTY: true,
      stdinIsTTY: true,
      ask: (q: string) => {
        questions.push(q);
        return Promise.resolve(answers.shift() ?? '');
      },
      scriptDir: dir,
      signal: new AbortController().signal,
    };
    const before = (await mutations()).length;
    assert.equal(await runCli(['terminate', id], io), 2);
    assert.equal((await mutations()).length, before);
    assert.match(stderr, /Terminate 1 target\(s\) in the emulator:\n {2}\* .*\[active\]/);
    assert.match(stderr, /cancelled; nothing was changed/);
    assert.equal(stdout, '');
    assert.equal(await runCli(['terminate', id, '--timeout', '30'], io), 0, stderr);
    assert.equal(questions.length, 2);
    assert.equal((JSON.parse(stdout) as { results: { outcome: string }[] }).results[0].outcome, 'done');
    assert.match(stderr, new RegExp(`gdap: ${id}: done`), 'progress on a terminal');
    outputs.push(stdout, stderr);
  });

  it('gdap emulator runs emulator.js with the same options and stops on SIGTERM with exit 0', async () => {
    const child = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--preset', 'empty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ca-file line: ${out}`)), 8000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (/ca-file: /.test(out)) {
          clearTimeout(t);
          resolve();
        }
      });
    });
    assert.match(out.split('\n')[0], /https:\/\/127\.0\.0\.1:\d+/);
    const code = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    child.kill('SIGTERM');
    assert.equal(await code, 0);
  });

  it('refusals: non-loopback emulator, bad GUID, unknown option → 2; bad token → 3', async () => {
    const far = await run(['inventory', '--emulator', 'https://example.com']);
    assert.equal(far.code, 2);
    assert.match(far.stderr, /must run on this machine/);
    const bad = await run(['terminate', 'nope', '--yes']);
    assert.equal(bad.code, 2);
    const unknown = await run(['inventory', '--frobnicate']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.split('\n').filter(Boolean).length, 1);
    const denied = await run(['inventory', '-q'], { GDAP_GRAPH_TOKEN: 'not-a-token' });
    assert.equal(denied.code, 3, denied.stderr);
    assert.equal(denied.stdout, '');
  });

  it('faults: 503s are retried and the command still succeeds; --verbose shows the request log, redacted', async () => {
    await control('/_emulator/faults', { method: 'POST', body: JSON.stringify({ faults: '503:0.3', faultSeed: 3 }) });
    const r = await run(['inventory', '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /gdap: http GET \S+\/v1\.0\/tenantRelationships\/\S+ 503 [^\n]*\n(?:[^\n]*\n)*?[^\n]*tenantRelationships\/[^\n]* attempt 2/,
    );
    assert.match(r.stderr, /gdap: http POST .*\/oauth2\/v2\.0\/token 200/);
    assert.ok(!/authorization:/i.test(r.stderr));
    assert.ok((JSON.parse(r.stdout) as { customers: unknown[] }).customers.length > 0);
  });

  it('env tokens come first; no issued token ever appears in stdout, stderr, the journal or the state folder', async () => {
    // Our own token from the emulator's endpoint, handed in through the environment.
    const token = emu.issueToken({ audience: 'graph', kind: 'app', clientId: 'e2e-app' });
    issued.add(token);
    const r = await run(['inventory', '--verbose'], { GDAP_GRAPH_TOKEN: token });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(issued.size >= 3, `tokens captured: ${issued.size}`);
    const stateFiles: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await fs.readdir(d, { withFileTypes: true }).catch(() => [])) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          await walk(p);
        } else {
          stateFiles.push(await fs.readFile(p, 'utf8'));
        }
      }
    };
    await walk(path.join(dir, 'state'));
    await walk(path.join(dir, 'custom'));
    const haystack = [...outputs, ...stateFiles].join('\n');
    for (const t of issued) {
      assert.ok(!haystack.includes(t), 'an issued token leaked');
      assert.ok(!haystack.includes(t.slice(0, 40)), 'a token prefix leaked');
    }
  });
});
