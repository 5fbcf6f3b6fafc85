import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GLOBAL_ADMINISTRATOR_ROLE_ID as GA } from '../../../src/core/roles/roleCatalog';
import type { RelationshipRecord } from '../../../src/emulator/model';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { bundleCli, emulatorEnv, mutatingRequests, runCliProcess, type CliRun } from './harness/bundledCli';

/*
 * The renewal commands end to end: the bundled CLI against the emulator started in-process, with the
 * relationships each test needs shaped directly in the emulator's store. Every refusal is checked against
 * the emulator's request log: nothing is sent.
 */

const DAY = 24 * 3_600_000;

interface ResultLine {
  id: string;
  outcome: string;
  status: string | null;
  error: string | null;
  successorId?: string | null;
  successorName?: string | null;
  approvalLink?: string | null;
}

describe('gdap renewal commands end to end against the emulator', function () {
  this.timeout(60_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;

  const run = (args: string[]): Promise<CliRun> => runCliProcess(cli, args, emulatorEnv(emu, path.join(dir, 'state')));

  const mutations = (): { method: string; path: string }[] => mutatingRequests(emu);

  const results = (r: CliRun): ResultLine[] => (JSON.parse(r.stdout) as { results: ResultLine[] }).results;

  /** Active relationships of the demo data (without GA), shaped for one test: each call takes a fresh one. */
  let used = new Set<string>();
  function take(shape: Partial<RelationshipRecord>): RelationshipRecord {
    const r = [...emu.store.relationships.values()].find(
      (x) => x.status === 'active' && !x.reseller && x.customer?.tenantId !== undefined && !used.has(x.id) && x.displayName.length <= 40,
    );
    if (r === undefined) {
      throw new Error('no active relationship left in the demo data');
    }
    used.add(r.id);
    // Without Global Administrator unless a test adds it.
    r.roles = r.roles.filter((x) => x !== GA);
    Object.assign(r, shape);
    r.etag = `W/"${r.id}-${Date.now()}-${Math.random()}"`;
    return r;
  }
  const withoutGa = (r: RelationshipRecord): string[] => r.roles.filter((x) => x !== GA);
  const soon = (days: number): string => new Date(Date.now() + days * DAY).toISOString();

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-renewal-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', customers: 40, seed: 11, timeScale: 200 });
    used = new Set();
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('help lists the commands; every invalid command line is exit 2 before anything is sent', async () => {
    const help = await run(['--help']);
    for (const c of ['auto-extend', 'remove-ga', 'make-renewable', 'renew']) {
      assert.match(help.stdout, new RegExp(`  ${c} `));
      const h = await run([c, '--help']);
      assert.equal(h.code, 0);
      assert.match(h.stdout, new RegExp(`Usage: gdap ${c}`));
    }
    const before = mutations().length;
    const id = take({}).id;
    const refusals: [string[], RegExp][] = [
      [['auto-extend', id], /Say on or off first/],
      [['auto-extend', 'on'], /at least one relationship id, or --all-expiring/],
      [['auto-extend', 'on', 'not-an-id', '--yes'], /not a relationship id/],
      [['auto-extend', 'off', '--all-expiring', 'soon', '--yes'], /--all-expiring must be a whole number/],
      [['remove-ga', '--yes'], /at least one relationship id/],
      [['make-renewable', id, '--timeout', '0', '--yes'], /--timeout must be between/],
      [['renew', id], /Refusing to renew relationships without confirmation/],
      [['renew', id, '--without-ga=yes', '--yes'], /without-ga/],
      [['remove-ga', id], /Refusing to remove Global Administrator without confirmation/],
      [['expiring', '--bucket', '--format', 'csv'], /--bucket prints JSON only/],
    ];
    for (const [args, message] of refusals) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    }
    assert.equal(mutations().length, before, 'no refusal sent anything');
  });

  it('auto-extend on: --dry-run sends nothing; then done, skipped globalAdministrator, skipped notActive', async () => {
    const plain = take({ autoExtendDuration: 'PT0S' });
    const ga = take({ autoExtendDuration: 'PT0S' });
    ga.roles = [...withoutGa(ga), GA];
    const pending = take({ status: 'approvalPending' });
    const before = mutations().length;
    const dry = await run(['auto-extend', 'on', plain.id, ga.id, pending.id, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = (JSON.parse(dry.stdout) as { plan: { id: string; willAct: boolean; reasonCode: string | null }[] }).plan;
    assert.deepEqual(
      plan.map((p) => [p.id, p.willAct, p.reasonCode]),
      [
        [plain.id, true, null],
        [ga.id, false, 'globalAdministrator'],
        [pending.id, false, 'notActive'],
      ],
    );
    assert.equal(mutations().length, before, '--dry-run sent nothing');

    const r = await run(['auto-extend', 'on', plain.id, ga.id, pending.id, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      results(r).map((x) => [x.id, x.outcome, x.error?.split(':')[0] ?? null]),
      [
        [plain.id, 'done', null],
        [ga.id, 'skipped', 'globalAdministrator'],
        [pending.id, 'skipped', 'notActive'],
      ],
    );
    assert.equal(plain.autoExtendDuration, 'P180D');
    assert.equal(ga.autoExtendDuration, 'PT0S');
    const sent = mutations().slice(before);
    assert.deepEqual(
      sent.map((m) => `${m.method} ${m.path.split('/').pop() ?? ''}`),
      [`PATCH ${plain.id}`],
    );

    const off = await run(['auto-extend', 'off', plain.id, '--yes']);
    assert.equal(results(off)[0]?.outcome, 'done');
    assert.equal(plain.autoExtendDuration, 'PT0S');
    const again = await run(['auto-extend', 'off', plain.id, '--yes']);
    assert.equal(results(again)[0]?.outcome, 'alreadyDone');
  });

  it('auto-extend on --all-expiring DAYS selects every active relationship ending within DAYS without auto-extend', async () => {
    const a = take({ autoExtendDuration: 'PT0S', endDateTime: soon(2) });
    const b = take({ autoExtendDuration: 'P0D', endDateTime: soon(4) });
    const later = take({ autoExtendDuration: 'PT0S', endDateTime: soon(40) });
    const r = await run(['auto-extend', 'on', '--all-expiring', '5', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const ids = results(r).map((x) => x.id);
    assert.ok(ids.includes(a.id) && ids.includes(b.id));
    assert.ok(!ids.includes(later.id));
    assert.equal(a.autoExtendDuration, 'P180D');
    assert.equal(b.autoExtendDuration, 'P180D');
    assert.equal(later.autoExtendDuration, 'PT0S');
  });

  it('remove-ga: the plan names the GA assignments; the run removes GA and never touches one without it', async () => {
    const ga = take({});
    ga.roles = [...withoutGa(ga), GA];
    const plain = take({});
    plain.roles = withoutGa(plain);
    const before = mutations().length;
    const dry = await run(['remove-ga', ga.id, plain.id, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = (
      JSON.parse(dry.stdout) as {
        plan: { willAct: boolean; reasonCode: string | null; globalAdministratorAssignments: unknown[]; assignmentsError: string | null }[];
      }
    ).plan;
    assert.equal(plan[0]?.willAct, true);
    assert.equal(plan[0]?.assignmentsError, null);
    assert.deepEqual([plan[1]?.willAct, plan[1]?.reasonCode], [false, 'noGlobalAdministrator']);
    assert.equal(mutations().length, before);

    const r = await run(['remove-ga', ga.id, plain.id, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      results(r).map((x) => x.outcome),
      ['done', 'alreadyDone'],
    );
    assert.ok(!ga.roles.includes(GA));
    const sent = mutations().slice(before);
    assert.deepEqual(
      sent.map((m) => `${m.method} ${m.path.split('/').pop() ?? ''}`),
      [`PATCH ${ga.id}`],
    );
  });

  it('make-renewable: removes GA, waits for the operation, then turns auto-extend on', async () => {
    const ga = take({ autoExtendDuration: 'PT0S' });
    ga.roles = [...withoutGa(ga), GA];
    const r = await run(['make-renewable', ga.id, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(results(r)[0]?.outcome, 'done');
    assert.ok(!ga.roles.includes(GA));
    assert.equal(ga.autoExtendDuration, 'P180D');
    const again = await run(['make-renewable', ga.id, '--yes']);
    assert.equal(results(again)[0]?.outcome, 'alreadyDone');
  });

  it('renew: creates and locks the successor, prints its id and approval link, keeps planned assignments; once', async () => {
    const old = take({ status: 'expired', endDateTime: soon(-3) });
    old.roles = [...withoutGa(old), GA];
    old.assignments = [];
    const before = mutations().length;
    const r = await run(['renew', old.id, '--without-ga', '--yes']);
    assert.equal(r.code, 0, r.stderr);
    const [line] = results(r);
    assert.equal(line?.outcome, 'done');
    assert.equal(line?.status, 'approvalPending');
    assert.equal(line?.successorName, `${old.displayName} (renewal)`);
    const successor = emu.store.relationships.get(line?.successorId ?? '');
    assert.equal(successor?.status, 'approvalPending');
    assert.equal(successor?.customer?.tenantId, old.customer?.tenantId);
    assert.deepEqual(successor?.roles, withoutGa(old));
    assert.equal(successor?.duration, old.duration);
    assert.equal(
      line?.approvalLink,
      `https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/${successor?.id ?? ''}`,
    );
    const stored = JSON.parse(await fs.readFile(path.join(dir, 'state', 'gdap', 'planned-assignments.json'), 'utf8')) as {
      relationships: Record<string, unknown[]>;
    };
    // The old relationship had no assignments: the successor's plan is recorded as empty (no entry).
    assert.ok(successor !== undefined);
    assert.deepEqual(stored.relationships[successor.id] ?? [], []);
    assert.deepEqual(
      mutations()
        .slice(before)
        .map((m) => m.method + ' ' + (m.path.endsWith('/requests') ? 'requests' : 'relationships')),
      ['POST relationships', 'POST requests'],
    );

    const again = await run(['renew', old.id, '--without-ga', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(results(again)[0]?.outcome, 'alreadyDone');
    assert.equal(results(again)[0]?.successorId, successor?.id);
    assert.equal(mutations().length, before + 2, 'not created twice');
  });

  it('state refusals: remove-ga, make-renewable and renew skip what they do not apply to, sending nothing', async () => {
    const pending = take({ status: 'approvalPending' });
    const terminated = take({ status: 'terminated' });
    const before = mutations().length;
    const ga = await run(['remove-ga', pending.id, '--yes']);
    const mr = await run(['make-renewable', terminated.id, '--yes']);
    const rn = await run(['renew', pending.id, terminated.id, '--yes']);
    for (const r of [ga, mr, rn]) {
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(
      [...results(ga), ...results(mr), ...results(rn)].map((x) => [x.outcome, x.error?.split(':')[0]]),
      [
        ['skipped', 'notActive'],
        ['skipped', 'notActive'],
        ['skipped', 'notRenewable'],
        ['skipped', 'notRenewable'],
      ],
    );
    const missing = await run(['renew', '00000000-0000-0000-0000-000000000001', '--yes']);
    assert.equal(missing.code, 1);
    assert.equal(results(missing)[0]?.outcome, 'failed');
    assert.match(results(missing)[0]?.error ?? '', /not found/i);
    assert.equal(mutations().length, before);
  });

  it('expiring --bucket: buckets 1, 7, 30 and ended30 with a reason per relationship', async () => {
    const one = take({ autoExtendDuration: 'PT0S', endDateTime: soon(0.5) });
    const week = take({ autoExtendDuration: 'P180D', endDateTime: soon(5) });
    week.roles = [...withoutGa(week), GA];
    const month = take({ autoExtendDuration: 'PT0S', endDateTime: soon(20) });
    const ended = take({ status: 'expired', autoExtendDuration: 'PT0S', endDateTime: soon(-2) });
    const r = await run(['expiring', '--bucket', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { buckets: Record<string, { id: string; reason: string }[]> };
    assert.deepEqual(Object.keys(out.buckets), ['1', '7', '30', 'ended30']);
    const find = (bucket: string, id: string): string | undefined => out.buckets[bucket]?.find((x) => x.id === id)?.reason;
    assert.equal(find('1', one.id), 'noAutoExtend');
    assert.equal(find('7', week.id), 'globalAdministrator');
    assert.equal(find('30', month.id), 'noAutoExtend');
    assert.equal(find('ended30', ended.id), 'noAutoExtend');
  });
});
