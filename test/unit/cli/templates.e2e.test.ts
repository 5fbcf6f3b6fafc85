import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GLOBAL_ADMINISTRATOR_ROLE_ID as GA } from '../../../src/core/roles/roleCatalog';
import type { RelationshipRecord } from '../../../src/emulator/model';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { bundleCli } from './harness/bundledCli';

/*
 * GDAP as code end to end: the bundled CLI against the emulator started in-process. export → plan (exit
 * 0) → edit → plan (exit 4, exactly the edits) → apply → plan (exit 0); an invalid file lists every
 * problem; plan sends nothing (the emulator's request log).
 */

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Change {
  action: string;
  customerTenantId: string;
  relationshipId: string | null;
  groupId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
}

interface TemplateJson {
  version: 1;
  relationships: {
    name: string;
    customers: '*' | string[];
    duration?: string;
    autoExtend?: boolean;
    roles: string[];
    assignments?: { group: string; roles: string[] }[];
    exclusive?: boolean;
  }[];
}

describe('gdap plan / apply / export end to end against the emulator', function () {
  this.timeout(90_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;

  async function run(args: string[]): Promise<RunResult> {
    const child = spawn(process.execPath, [cli, ...args], {
      env: {
        PATH: process.env.PATH,
        XDG_STATE_HOME: path.join(dir, 'state'),
        GDAP_EMULATOR_URL: emu.url,
        GDAP_EMULATOR_CA: emu.caFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(killer);
    return { code, stdout, stderr };
  }

  /** Changes sent to the API (not sign-in, not reads, not the emulator's control routes). */
  const mutations = (): { method: string; path: string }[] =>
    emu
      .requests()
      .filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator') && !r.path.includes('/oauth2/') && !r.path.endsWith('$batch'));

  const changes = (r: RunResult): Change[] => (JSON.parse(r.stdout) as { changes: Change[] }).changes;

  async function writeTemplate(name: string, t: unknown): Promise<string> {
    const file = path.join(dir, name);
    await fs.writeFile(file, typeof t === 'string' ? t : JSON.stringify(t, null, 2));
    return file;
  }

  /** An active relationship of a customer that has only this one active relationship, without Global Administrator. */
  function pickCustomer(): RelationshipRecord {
    const all = [...emu.store.relationships.values()];
    const r = all.find(
      (x) =>
        x.status === 'active' &&
        !x.reseller &&
        x.customer?.tenantId !== undefined &&
        !x.roles.includes(GA) &&
        x.roles.length >= 2 &&
        all.filter((y) => y.customer?.tenantId === x.customer?.tenantId && y.status === 'active').length === 1,
    );
    if (r === undefined) {
      throw new Error('no suitable customer in the demo data');
    }
    return r;
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-templates-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', customers: 40, seed: 23, timeScale: 200 });
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('export → plan (0) → edit → plan (4, exactly the edits) → apply → plan (0); plan sends nothing', async () => {
    const r = pickCustomer();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const exported = await run(['export', '--customer', tenantId]);
    assert.equal(exported.code, 0, exported.stderr);
    const template = JSON.parse(exported.stdout) as TemplateJson;
    assert.equal(template.version, 1);
    assert.equal(template.relationships.length, 1);
    const entry = template.relationships[0];
    assert.deepEqual(entry.customers, [tenantId]);
    assert.equal(entry.name, r.displayName);

    const sent = mutations().length;
    const file = await writeTemplate('exported.gdap.json', template);
    const clean = await run(['plan', file, '--format', 'json']);
    assert.equal(clean.code, 0, clean.stderr + clean.stdout);
    assert.deepEqual(changes(clean), []);

    // Edit: a new group gets the first role, and auto-extend flips.
    const used = new Set((entry.assignments ?? []).map((a) => a.group));
    const newGroup = emu.store.securityGroups.find((g) => !used.has(g.id.toLowerCase()))?.id.toLowerCase() ?? '';
    const wasOn = entry.autoExtend === true;
    entry.autoExtend = !wasOn;
    entry.assignments = [...(entry.assignments ?? []), { group: newGroup, roles: [entry.roles[0]] }];
    await writeTemplate('exported.gdap.json', template);
    const edited = await run(['plan', file]);
    assert.equal(edited.code, 4, edited.stderr);
    assert.deepEqual(
      changes(edited).map((c) => [c.action, c.customerTenantId, c.relationshipId, c.groupId, c.reason]),
      [
        [wasOn ? 'autoExtendOff' : 'autoExtendOn', tenantId, r.id, null, null],
        ['assign', tenantId, r.id, newGroup, null],
      ],
    );
    assert.deepEqual((JSON.parse(edited.stdout) as { summary: object }).summary, {
      [wasOn ? 'autoExtendOff' : 'autoExtendOn']: 1,
      assign: 1,
    });
    assert.equal(mutations().length, sent, 'plan sent nothing');

    const dry = await run(['apply', file, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(changes(dry), changes(edited), '--dry-run prints the plan');
    assert.equal(mutations().length, sent, 'apply --dry-run sent nothing');

    const text = await run(['plan', file, '--format', 'text']);
    assert.equal(text.code, 4);
    assert.match(text.stdout, /2 change\(s\)/);
    assert.match(text.stdout, new RegExp(`\\+ \\[${entry.name.replace(/[()[\]]/g, '\\$&')}\\].*assign group ${newGroup}`));

    const applied = await run(['apply', file, '--yes', '--format', 'json']);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    const results = (JSON.parse(applied.stdout) as { results: { action: string; outcome: string }[] }).results;
    assert.deepEqual(
      results.map((x) => [x.action, x.outcome]),
      [
        [wasOn ? 'autoExtendOff' : 'autoExtendOn', 'done'],
        ['assign', 'done'],
      ],
    );
    const live = emu.store.relationships.get(r.id);
    assert.equal(live?.autoExtendDuration === 'P180D', !wasOn);
    assert.ok(live?.assignments.some((a) => a.containerId.toLowerCase() === newGroup && a.status === 'active'));

    const again = await run(['plan', file]);
    assert.equal(again.code, 0, again.stdout);
    assert.deepEqual(changes(again), []);
  });

  it('creates for a customer without a matching relationship (locked, assignments planned); a second apply finds nothing', async () => {
    const r = pickCustomer();
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const group = emu.store.securityGroups[0].id.toLowerCase();
    const file = await writeTemplate('new.gdap.json', {
      version: 1,
      relationships: [
        {
          name: 'Templated support',
          customers: [tenantId, '99999999-9999-4999-8999-999999999999'],
          autoExtend: true,
          roles: ['Helpdesk Administrator', 'Global Reader'],
          assignments: [{ group, roles: ['Global Reader'] }],
        },
      ],
    });
    const sent = mutations().length;
    const plan = await run(['plan', file]);
    assert.equal(plan.code, 4);
    const planned = changes(plan);
    assert.deepEqual(
      planned.map((c) => [c.action, c.customerTenantId, c.reason === null]),
      [
        ['create', tenantId, true],
        ['create', '99999999-9999-4999-8999-999999999999', false],
      ],
    );
    assert.match(planned[1].reason ?? '', /not one of your customers/);
    assert.equal(mutations().length, sent, 'plan sent nothing');

    const applied = await run(['apply', file, '--yes']);
    // The unknown customer cannot be done: exit 1, and it says so.
    assert.equal(applied.code, 1, applied.stderr);
    const results = (JSON.parse(applied.stdout) as { results: { action: string; outcome: string; createdRelationshipId?: string }[] })
      .results;
    assert.deepEqual(
      results.map((x) => [x.action, x.outcome]),
      [
        ['create', 'done'],
        ['create', 'skipped'],
      ],
    );
    const created = emu.store.relationships.get(results[0].createdRelationshipId ?? '');
    assert.equal(created?.status, 'approvalPending');
    assert.match(created?.displayName ?? '', new RegExp(`^Templated support \\(${tenantId.slice(0, 8)}\\)$`));
    const plannedFile = JSON.parse(await fs.readFile(path.join(dir, 'state', 'gdap', 'planned-assignments.json'), 'utf8')) as {
      relationships: Record<string, unknown>;
    };
    assert.ok(plannedFile.relationships[created?.id ?? ''] !== undefined, 'assignments planned for the new relationship');

    const afterSent = mutations().length;
    const second = await run(['apply', file, '--yes']);
    const secondResults = (JSON.parse(second.stdout) as { results: { action: string; outcome: string }[] }).results;
    assert.deepEqual(
      secondResults.map((x) => [x.action, x.outcome]),
      [['create', 'skipped']],
      'only the unknown customer is left; the new relationship is awaited',
    );
    assert.equal(mutations().length, afterSent, 'the second apply sent nothing');
    const waiting = await run(['plan', file]);
    assert.equal((JSON.parse(waiting.stdout) as { waiting: { relationshipId: string }[] }).waiting[0].relationshipId, created?.id);
  });

  it('an invalid file lists every problem with its JSON path (exit 2) and sends no request at all', async () => {
    const before = emu.requests().length;
    const file = await writeTemplate('bad.gdap.json', {
      version: 1,
      relationships: [
        {
          name: 'Broken',
          customers: ['nope'],
          duration: 'P9999D',
          roles: ['Helpdesk Adminstrator'],
          assignments: [
            { group: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', roles: ['Global Reader'] },
            { group: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', roles: [] },
          ],
        },
      ],
    });
    for (const command of [
      ['plan', file],
      ['apply', file, '--yes'],
    ]) {
      const r = await run([...command, '--format', 'json']);
      assert.equal(r.code, 2, r.stderr);
      for (const p of [
        '$.relationships[0].customers[0]',
        '$.relationships[0].duration',
        '$.relationships[0].roles[0]',
        '$.relationships[0].assignments[1].roles',
      ]) {
        assert.ok(r.stderr.includes(`${file}: ${p}: `), `${p} in ${r.stderr}`);
      }
      assert.match(r.stderr, /Did you mean "Helpdesk Administrator"/);
      const problems = (JSON.parse(r.stdout) as { problems: { path: string }[] }).problems;
      assert.ok(problems.length >= 4);
    }
    const syntax = await run(['plan', await writeTemplate('syntax.gdap.json', '{"version": 1,')]);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, /not valid JSON/);
    assert.equal(emu.requests().length, before, 'no request for an invalid file');
  });

  it('a template carrying a credential is a problem (exit 2) that names where, never the value, and sends nothing', async () => {
    const before = emu.requests().length;
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJleGFtcGxlLW9ubHkifQ.';
    const file = await writeTemplate('secret.gdap.json', {
      version: 1,
      client_secret: 'example-only-not-a-secret',
      relationships: [{ name: `Support ${jwt}`, customers: '*', roles: ['Helpdesk Administrator'] }],
    });
    const r = await run(['plan', file, '--format', 'json']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.includes(`${file}: $.client_secret: The field "client_secret" holds a credential`), r.stderr);
    assert.ok(r.stderr.includes(`${file}: $.relationships[0].name: The value of this field looks like a token (JWT)`), r.stderr);
    assert.ok(!`${r.stdout}${r.stderr}`.includes('example-only-not-a-secret') && !`${r.stdout}${r.stderr}`.includes(jwt));
    assert.equal(emu.requests().length, before, 'no request for a template with a credential');
  });

  it('refuses bad command lines with exit 2', async () => {
    const refusals: [string[], RegExp][] = [
      [['plan'], /Name one template file/],
      [['plan', 'a.gdap.json', '--format', 'csv'], /--format must be json or text/],
      [['apply', 'a.gdap.json'], /Refusing to apply a template without confirmation/],
      [['export', '--customer', 'nope'], /--customer must be a customer tenant id/],
      [['plan', path.join(dir, 'missing.gdap.json')], /Cannot read the template/],
    ];
    for (const [args, message] of refusals) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const help = await run(['--help']);
    assert.match(help.stdout, / {2}plan \| apply /);
    const planHelp = await run(['plan', '--help']);
    assert.match(planHelp.stdout, /Usage: gdap plan FILE/);
  });
});
