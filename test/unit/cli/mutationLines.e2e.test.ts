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
 * The mutating commands added after terminate, on a real pseudo-terminal (util-linux `script`): a person
 * reads one line per target naming the relationship and its customer; piped, the same commands print the
 * JSON results as before. The bundled CLI runs against the emulator started in-process, whose store shapes
 * the relationships each step needs.
 */

const DAY = 24 * 3_600_000;
const GROUP = '4a0e0d0c-0b0a-4908-8706-050403020100';

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
}

describe('gdap mutation result lines on a terminal, JSON when piped', function () {
  this.timeout(90_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;

  function env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, XDG_STATE_HOME: path.join(dir, 'state'), GDAP_EMULATOR_URL: emu.url, GDAP_EMULATOR_CA: emu.caFile };
  }

  async function collect(child: ReturnType<typeof spawn>): Promise<RunResult> {
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(killer);
    child.stdin?.destroy();
    return { code, stdout: stdout.replace(/\r\n/g, '\n') };
  }

  /** On a pseudo-terminal 200 columns wide: stdout is a TTY (stdout and stderr arrive merged; -q keeps stderr quiet). */
  function onTerminal(args: string[]): Promise<RunResult> {
    const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = `stty cols 200 rows 50 && exec ${[process.execPath, cli, ...args, '-q'].map(quote).join(' ')}`;
    // stdin stays open until the command ends: `script` seeing end of input first could stop before the output is read.
    return collect(spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  function piped(args: string[]): Promise<RunResult> {
    return collect(spawn(process.execPath, [cli, ...args, '-q'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  const lines = (r: RunResult): string[] => r.stdout.trimEnd().split('\n');

  let used = new Set<string>();
  /** An active relationship of the demo data with a customer, shaped for one step; each call takes a fresh one. */
  function take(shape: Partial<RelationshipRecord>): RelationshipRecord {
    const r = [...emu.store.relationships.values()].find(
      (x) => x.status === 'active' && !x.reseller && x.customer?.displayName !== undefined && !used.has(x.id) && x.displayName.length <= 40,
    );
    if (r === undefined) {
      throw new Error('no active relationship left in the demo data');
    }
    used.add(r.id);
    r.roles = r.roles.filter((x) => x !== GA);
    Object.assign(r, shape);
    r.etag = `W/"${r.id}-${Date.now()}-${Math.random()}"`;
    return r;
  }
  /** "'Name' (Customer)" as a line names a relationship. */
  const named = (r: RelationshipRecord): string => `'${r.displayName}' (${r.customer?.displayName ?? ''})`;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-lines-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', customers: 30, seed: 5, timeScale: 200 });
    used = new Set();
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('auto-extend, remove-ga, make-renewable and renew: one line per relationship, by name and customer', async () => {
    const plain = take({ autoExtendDuration: 'PT0S' });
    const withGa = take({ autoExtendDuration: 'PT0S' });
    withGa.roles = [...withGa.roles, GA];
    const on = await onTerminal(['auto-extend', 'on', plain.id, withGa.id, '--yes']);
    assert.equal(on.code, 0, on.stdout);
    assert.deepEqual(lines(on)[0], `✓ Turned auto-extend on for ${named(plain)}`);
    assert.match(lines(on)[1], new RegExp(`^– Skipped ${escape(named(withGa))}: globalAdministrator`));
    assert.equal(lines(on).length, 2);

    const off = await onTerminal(['auto-extend', 'off', plain.id, '--yes']);
    assert.deepEqual(lines(off), [`✓ Turned auto-extend off for ${named(plain)}`]);
    const offAgain = await onTerminal(['auto-extend', 'off', plain.id, '--yes']);
    assert.deepEqual(lines(offAgain), [`✓ Auto-extend already off for ${named(plain)}`]);

    const ga = await onTerminal(['remove-ga', withGa.id, '--yes']);
    assert.equal(ga.code, 0, ga.stdout);
    assert.deepEqual(lines(ga), [`✓ Removed Global Administrator from ${named(withGa)}`]);

    const renewable = take({ autoExtendDuration: 'PT0S' });
    renewable.roles = [...renewable.roles, GA];
    const made = await onTerminal(['make-renewable', renewable.id, '--yes']);
    assert.equal(made.code, 0, made.stdout);
    assert.deepEqual(lines(made), [`✓ Made renewable: ${named(renewable)}`]);

    const old = take({ status: 'expired', endDateTime: new Date(Date.now() - 3 * DAY).toISOString() });
    old.assignments = [];
    const renewed = await onTerminal(['renew', old.id, '--yes']);
    assert.equal(renewed.code, 0, renewed.stdout);
    const successor = [...emu.store.relationships.values()].find((r) => r.displayName === `${old.displayName} (renewal)`);
    assert.ok(successor !== undefined, 'the successor exists');
    assert.deepEqual(lines(renewed), [
      `✓ Renewed ${named(old)} — successor '${old.displayName} (renewal)', the customer approves at ` +
        `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${successor.id}`,
    ]);
    for (const r of [on, off, ga, made]) {
      assert.ok(!r.stdout.includes(plain.id) && !r.stdout.includes(withGa.id), `names, not ids: ${r.stdout}`);
    }
  });

  it('create, lock, delete, assign and set-roles: one line per target; an unknown target keeps its id', async () => {
    const draft = await onTerminal(['create', '--name', 'Lines – draft', '--roles', 'Global Reader', '--no-lock', '--yes']);
    assert.equal(draft.code, 0, draft.stdout);
    assert.deepEqual(lines(draft), [`✓ Created draft 'Lines – draft'`]);
    const draftId = [...emu.store.relationships.values()].find((r) => r.displayName === 'Lines – draft')?.id ?? '';

    const missing = '00000000-0000-4000-8000-00000000abcd';
    const locked = await onTerminal(['lock', draftId, missing, '--yes']);
    assert.equal(locked.code, 1, locked.stdout);
    assert.deepEqual(lines(locked).slice(0, 2), [
      `✓ Locked for approval: 'Lines – draft' — the customer approves at ` +
        `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${draftId}`,
      `✗ Failed to lock ${missing}: ${lines(locked)[1].split(`${missing}: `)[1] ?? '(no reason)'}`,
    ]);
    assert.match(lines(locked)[1], /not found/i);

    const second = await onTerminal(['create', '--name', 'Lines – second', '--roles', 'Global Reader', '--no-lock', '--yes']);
    assert.equal(second.code, 0, second.stdout);
    const secondId = [...emu.store.relationships.values()].find((r) => r.displayName === 'Lines – second')?.id ?? '';
    const deleted = await onTerminal(['delete', secondId, '--yes']);
    assert.deepEqual(lines(deleted), [`✓ Deleted draft 'Lines – second'`]);

    const target = take({});
    target.assignments = [];
    const role = target.roles[0];
    const assigned = await onTerminal(['assign', target.id, '--group', GROUP, '--roles', role, '--yes']);
    assert.equal(assigned.code, 0, assigned.stdout);
    assert.deepEqual(lines(assigned), [`✓ Assigned security group ${GROUP} to '${target.displayName}'`]);
    const assignmentId = target.assignments.find((a) => a.containerId === GROUP)?.id ?? '';
    const setRoles = await onTerminal(['set-roles', target.id, assignmentId, '--roles', role, '--yes']);
    assert.equal(setRoles.code, 0, setRoles.stdout);
    assert.deepEqual(lines(setRoles), [`✓ Roles already set for security group ${GROUP}'s access to '${target.displayName}'`]);
  });

  it('invites: a table on a terminal, the JSON as before when piped', async () => {
    const pending = [...emu.store.relationships.values()].filter((r) => r.status === 'approvalPending');
    assert.ok(pending.length > 0, 'the demo data has pending invitations');
    const table = await onTerminal(['invites']);
    assert.equal(table.code, 0, table.stdout);
    assert.match(lines(table)[0], /^NAME +CUSTOMER +CREATED +AGE \(DAYS\) +LAPSES +ID$/);
    assert.match(lines(table).at(-1) ?? '', new RegExp(`^${pending.length} pending invitations?; the customer approves at https://`));
    assert.ok(lines(table).some((l) => l.startsWith(pending[0].displayName.slice(0, 20))));
    const json = await piped(['invites']);
    const body = JSON.parse(json.stdout) as { invitations: { id: string }[] };
    assert.deepEqual(body.invitations.map((i) => i.id).sort(), pending.map((r) => r.id).sort());
  });

  it('piped: the JSON results as before; --format chooses either way', async () => {
    const r = take({ autoExtendDuration: 'PT0S' });
    const json = await piped(['auto-extend', 'on', r.id, '--yes']);
    assert.equal(json.code, 0, json.stdout);
    assert.deepEqual(JSON.parse(json.stdout), { results: [{ id: r.id, outcome: 'done', status: 'active', error: null }] });
    const table = await piped(['auto-extend', 'off', r.id, '--yes', '--format', 'table']);
    assert.deepEqual(lines(table), [`✓ Turned auto-extend off for ${named(r)}`]);
    const asked = await onTerminal(['auto-extend', 'off', r.id, '--yes', '--format', 'json']);
    assert.deepEqual(JSON.parse(asked.stdout), { results: [{ id: r.id, outcome: 'alreadyDone', status: 'active', error: null }] });
    const created = await piped(['create', '--name', 'Lines – piped', '--roles', 'Global Reader', '--no-lock', '--yes']);
    const body = JSON.parse(created.stdout) as { relationship: { id: string }; results: { outcome: string }[] };
    assert.deepEqual(
      body.results.map((x) => x.outcome),
      ['done'],
    );
    assert.equal(emu.store.relationships.get(body.relationship.id)?.displayName, 'Lines – piped');
    const wrong = await piped(['delete', body.relationship.id, '--yes', '--format', 'csv']);
    assert.equal(wrong.code, 2);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
