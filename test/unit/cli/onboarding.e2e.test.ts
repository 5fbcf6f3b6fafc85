import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/cliIo';
import { runCli } from '../../../src/cli/run';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { call } from '../emulator/emulatorClient';

/*
 * The grant-side commands end to end, in-process, against the real emulator over HTTPS: every command,
 * every refusal (exit 2 and no request sent, proved with the emulator's request log), --dry-run sends
 * nothing, and the planned assignments are granted once the customer approves.
 */

const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const GROUP = '0f0e0d0c-0b0a-4908-8706-050403020100';
const GROUP2 = '1f0e0d0c-0b0a-4908-8706-050403020100';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  json<T = Record<string, unknown>>(): T;
}

interface Result {
  id: string;
  outcome: string;
  status: string | null;
  error: string | null;
}

describe('gdap create, lock, delete, assign, set-roles, history, invites, grant-planned', function () {
  this.timeout(30_000);
  let dir: string;
  let emu: RunningEmulator;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-onboarding-e2e-'));
    emu = await startEmulator({ preset: 'demo', seed: 11, timeScale: 200 });
  });
  after(async () => {
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function run(args: string[]): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      env: { XDG_STATE_HOME: path.join(dir, 'state'), GDAP_EMULATOR_URL: emu.url, GDAP_EMULATOR_CA: emu.caFile },
      stdout: { write: (t: string | Uint8Array) => (stdout += typeof t === 'string' ? t : Buffer.from(t).toString('utf8')) },
      stderr: { write: (t: string) => (stderr += t) },
      stderrIsTTY: false,
      stdinIsTTY: false,
      ask: () => Promise.resolve('n'),
      scriptDir: dir,
      signal: new AbortController().signal,
    };
    const code = await runCli(args, io);
    return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
  }

  /** API requests (not sign-in, not control) the emulator logged. */
  const apiRequests = (): number => emu.requests().filter((r) => r.path.startsWith('/v1.0/')).length;
  const writes = (): { method: string; path: string }[] =>
    emu.requests().filter((r) => r.path.startsWith('/v1.0/') && r.method !== 'GET' && !r.path.includes('batch'));

  async function refused(args: string[], message: RegExp): Promise<void> {
    const before = apiRequests();
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.equal(apiRequests(), before, `${args.join(' ')} sent a request`);
  }

  it('refuses invalid input before any request', async () => {
    await refused(
      ['create', '--name', 'x', '--roles', 'Global Raeder', '--yes'],
      /Unknown role "Global Raeder"\. Did you mean "Global Reader"/,
    );
    await refused(['create', '--name', 'x'.repeat(51), '--roles', 'Global Reader', '--yes'], /1 to 50 characters/);
    await refused(['create', '--name', 'x', '--roles', 'Global Reader', '--duration', 'P3Y', '--yes'], /between P1D and P2Y/);
    await refused(['create', '--name', 'x', '--roles', 'Global Administrator', '--auto-extend', '--yes'], /Auto-extend is not available/);
    await refused(['create', '--name', 'x', '--roles', 'Global Reader', '--customer', 'contoso', '--yes'], /customer tenant id/);
    await refused(['create', '--roles', 'Global Reader', '--yes'], /needs --name/);
    await refused(
      ['create', '--name', 'x', '--roles', 'Global Reader', '--assign', `${GROUP}=Helpdesk Administrator`, '--yes'],
      /must be among --roles/,
    );
    await refused(['create', '--name', 'x', '--roles', 'Global Reader', '--assign', 'nogroup', '--yes'], /GROUP_ID=ROLES/);
    await refused(['create', '--name', 'x', '--roles', 'Global Reader'], /Refusing to create relationship without confirmation/);
    await refused(['lock', '--yes'], /at least one relationship id/);
    await refused(['lock', 'not-an-id', '--yes'], /not a relationship id/);
    await refused(['delete', 'nope', '--yes'], /not a relationship id/);
    await refused(['assign', GROUP, '--group', 'g', '--roles', 'Global Reader', '--yes'], /--group must be a security group id/);
    await refused(['assign', GROUP, '--group', GROUP, '--yes'], /needs --roles/);
    await refused(['set-roles', GROUP, 'x', '--roles', 'Global Reader', '--yes'], /not an access assignment id/);
    await refused(['set-roles', GROUP, GROUP, '--roles', 'Nope', '--yes'], /Unknown role "Nope"/);
    await refused(['history'], /Usage: gdap history/);
    await refused(['invites', '--format', 'xml'], /--format must be json or csv/);
    await refused(['grant-planned', 'x', '--yes'], /not a relationship id/);
  });

  it('create --dry-run prints the plan and sends nothing', async () => {
    const before = writes().length;
    const r = await run(['create', '--name', 'Dry run', '--roles', 'Global Reader', '--dry-run', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json<{ dryRun: boolean; plan: { name: string; willAct: boolean; roles: { name: string }[] }[] }>();
    assert.equal(out.dryRun, true);
    assert.equal(out.plan[0].willAct, true);
    assert.equal(out.plan[0].roles[0].name, 'Global Reader');
    assert.equal(writes().length, before);
  });

  it('create locks, prints the approval link, and the invitation is listed; history shows the lock', async () => {
    const r = await run(['create', '--name', 'Fabrikam onboarding', '--roles', 'global reader,Helpdesk Administrator', '--yes', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json<{ relationship: { id: string; status: string }; approvalLink: string; results: Result[] }>();
    assert.equal(out.relationship.status, 'approvalPending');
    assert.equal(
      out.approvalLink,
      `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${out.relationship.id}`,
    );
    assert.deepEqual(
      out.results.map((x) => [x.id, x.outcome]),
      [
        [out.relationship.id, 'done'],
        [out.relationship.id, 'done'],
      ],
    );
    const dup = await run(['create', '--name', 'fabrikam ONBOARDING', '--roles', 'Global Reader', '--yes', '-q']);
    assert.equal(dup.code, 1);
    assert.match(dup.json<{ results: Result[] }>().results[0].error ?? '', /already exists/);

    const inv = await run(['invites', '-q']);
    assert.equal(inv.code, 0, inv.stderr);
    const mine = inv
      .json<{ invitations: { id: string; ageDays: number; lapsesOn: string; approvalLink: string }[] }>()
      .invitations.find((i) => i.id === out.relationship.id);
    assert.ok(mine);
    assert.equal(mine.ageDays, 0);
    assert.equal(mine.approvalLink, out.approvalLink);
    const csv = await run(['invites', '--format', 'csv', '-q']);
    assert.match(csv.stdout, /^id,name,customerTenantId,createdDateTime,ageDays,lapsesOn,approvalLink\r\n/);
    assert.ok(csv.stdout.includes(out.relationship.id));

    const history = await run(['history', out.relationship.id, '-q']);
    assert.equal(history.code, 0, history.stderr);
    const h = history.json<{ requests: { action: string }[]; operations: unknown[] }>();
    assert.deepEqual(
      h.requests.map((q) => q.action),
      ['lockForApproval'],
    );
    assert.deepEqual(h.operations, []);
  });

  it('create --no-lock leaves a draft; lock and delete act on drafts only and skip the rest with the reason', async () => {
    const a = (await run(['create', '--name', 'Draft one', '--roles', 'Global Reader', '--no-lock', '--yes', '-q'])).json<{
      relationship: { id: string; status: string };
      approvalLink: null;
    }>();
    const b = (await run(['create', '--name', 'Draft two', '--roles', 'Global Reader', '--no-lock', '--yes', '-q'])).json<{
      relationship: { id: string };
    }>();
    assert.equal(a.relationship.status, 'created');
    assert.equal(a.approvalLink, null);

    const dry = writes().length;
    assert.equal((await run(['lock', a.relationship.id, '--dry-run', '-q'])).code, 0);
    assert.equal((await run(['delete', b.relationship.id, '--dry-run', '-q'])).code, 0);
    assert.equal(writes().length, dry, '--dry-run sent nothing');

    const locked = await run(['lock', a.relationship.id, '--yes', '-q']);
    assert.equal(locked.code, 0, locked.stderr);
    const lockOut = locked.json<{ results: Result[]; approvalLinks: Record<string, string> }>();
    assert.equal(lockOut.results[0].outcome, 'done');
    assert.match(lockOut.approvalLinks[a.relationship.id], /admin\.cloud\.microsoft/);

    const deleted = await run(['delete', b.relationship.id, a.relationship.id, '--yes', '-q']);
    assert.equal(deleted.code, 0, deleted.stderr);
    const results = deleted.json<{ results: Result[] }>().results;
    assert.deepEqual(
      results.map((x) => x.outcome),
      ['done', 'skipped'],
    );
    assert.match(results[1].error ?? '', /Only a draft .* "approvalPending"/);
    const deletes = writes().filter((w) => w.method === 'DELETE');
    assert.equal(deletes.length, 1);
  });

  it('plans assignments at creation and grants them after approval; assign and set-roles', async () => {
    const created = await run([
      'create',
      '--name',
      'Planned grants',
      '--roles',
      'Global Reader,Helpdesk Administrator',
      '--assign',
      `${GROUP}=Global Reader`,
      '--assign',
      `${GROUP2}=Global Reader,Helpdesk Administrator`,
      '--yes',
      '-q',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const id = created.json<{ relationship: { id: string } }>().relationship.id;
    const planned = JSON.parse(await fs.readFile(path.join(dir, 'state', 'gdap', 'planned-assignments.json'), 'utf8')) as {
      relationships: Record<string, unknown[]>;
    };
    assert.equal(planned.relationships[id].length, 2);

    // Not yet approved: nothing is granted, the plan stays.
    const early = await run(['grant-planned', id, '--yes', '-q']);
    assert.equal(early.code, 0, early.stderr);
    assert.deepEqual(
      early.json<{ results: Result[] }>().results.map((x) => x.outcome),
      ['skipped', 'skipped'],
    );

    assert.equal((await call(emu, 'POST', `/_emulator/relationships/${id}/approve`, { body: {} })).status, 200);
    await new Promise((r) => setTimeout(r, 100));
    const granted = await run(['grant-planned', id, '--yes', '-q']);
    assert.equal(granted.code, 0, granted.stderr);
    const grantedResults = granted.json<{ results: Result[] }>().results;
    assert.deepEqual(
      grantedResults.map((x) => [x.outcome, x.status]),
      [
        ['done', 'active'],
        ['done', 'active'],
      ],
    );
    const after = JSON.parse(await fs.readFile(path.join(dir, 'state', 'gdap', 'planned-assignments.json'), 'utf8')) as {
      relationships: Record<string, unknown[]>;
    };
    assert.equal(after.relationships[id], undefined);

    // assign: a role the relationship does not hold is refused before any write.
    const before = writes().length;
    const lacking = await run([
      'assign',
      id,
      '--group',
      '2f0e0d0c-0b0a-4908-8706-050403020100',
      '--roles',
      'User Administrator',
      '--yes',
      '-q',
    ]);
    assert.equal(lacking.code, 1);
    assert.match(lacking.json<{ results: Result[] }>().results[0].error ?? '', /does not hold User Administrator/);
    assert.equal(writes().length, before);
    const assigned = await run([
      'assign',
      id,
      '--group',
      '2f0e0d0c-0b0a-4908-8706-050403020100',
      '--roles',
      'Helpdesk Administrator',
      '--yes',
      '-q',
    ]);
    assert.equal(assigned.code, 0, assigned.stderr);
    const [result] = assigned.json<{ results: Result[] }>().results;
    assert.equal(result.status, 'active');
    const assignmentId = result.id.split('/')[1];

    const setDry = await run(['set-roles', id, assignmentId, '--roles', `${READER},${HELPDESK}`, '--dry-run', '-q']);
    assert.equal(setDry.code, 0, setDry.stderr);
    assert.equal(writes().length, before + 1);
    const set = await run(['set-roles', id, assignmentId, '--roles', `${READER},${HELPDESK}`, '--yes', '-q']);
    assert.equal(set.code, 0, set.stderr);
    assert.deepEqual(
      set.json<{ results: Result[] }>().results.map((x) => [x.outcome, x.status]),
      [['done', 'active']],
    );
    const history = (await run(['history', id, '-q'])).json<{ operations: { status: string }[] }>();
    assert.ok(history.operations.some((o) => o.status === 'succeeded'));
  });
  it('create with the lock failing: the relationship is created, the lock fails, exit 1; gdap lock then locks the draft', async () => {
    const name = 'Lock fails after create';
    // Every lock POST fails for this run (the pipeline may send it again after reading that it did not apply).
    const set = await call(emu, 'POST', '/_emulator/failNext', {
      body: { method: 'POST', pathPattern: '/requests$', status: 500, count: 20 },
    });
    assert.equal(set.status, 200, set.text);
    let r: Run;
    try {
      r = await run(['create', '--name', name, '--roles', 'Global Reader', '--yes', '-q']);
    } finally {
      await call(emu, 'POST', '/_emulator/failNext', { body: { clear: true } });
    }
    assert.equal(r.code, 1, r.stderr);
    const out = r.json<{ relationship: { id: string; status: string }; results: Result[] }>();
    const id = out.relationship.id;
    assert.deepEqual(
      out.results.map((x) => [x.id, x.outcome]),
      [
        [id, 'done'],
        [id, 'failed'],
      ],
    );
    assert.match(out.results[1].error ?? '', /./);
    assert.ok(emu.requests().some((e) => e.failNext === 500 && e.path.endsWith(`/${id}/requests`)));
    const rel = await call(emu, 'GET', '/_emulator/state');
    const saved = (rel.json as { relationships: { id: string; status: string }[] }).relationships.find((x) => x.id === id);
    assert.equal(saved?.status, 'created', 'the draft exists, not locked');
    const lock = await run(['lock', id, '--yes', '-q']);
    assert.equal(lock.code, 0, lock.stderr);
    assert.equal(lock.json<{ results: Result[] }>().results[0].outcome, 'done');
  });
});
