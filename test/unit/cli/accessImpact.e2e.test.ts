import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { bundleCli, emulatorEnv, runCliProcess, type CliRun } from './harness/bundledCli';

/*
 * The impact in `--dry-run` end to end: the bundled CLI against the emulator started in-process; the
 * expected impact is computed from the emulator's own store.
 */

interface ImpactOut {
  lost: { groupId: string; roleDefinitionId: string; roleName: string }[];
  keptThrough: { groupId: string; roleDefinitionId: string; relationshipId: string; relationshipName: string }[];
}

describe('access impact in gdap terminate --dry-run against the emulator', function () {
  this.timeout(30_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;

  const run = (args: string[]): Promise<CliRun> => runCliProcess(cli, args, emulatorEnv(emu, path.join(dir, 'state')));

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-impact-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', seed: 11, timeScale: 200 });
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('each plan item carries impact: lost and keptThrough are exactly the pairs its relationship grants, split by the others', async () => {
    const rels = [...emu.store.relationships.values()];
    const active = rels.filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    const pairs = (r: (typeof rels)[number]): string[] =>
      r.assignments.filter((a) => a.status === 'active').flatMap((a) => a.roles.map((role) => `${a.containerId}|${role}`.toLowerCase()));
    const target = active.find(
      (r) => pairs(r).length > 0 && active.some((o) => o !== r && o.customer?.tenantId === r.customer?.tenantId && pairs(o).length > 0),
    );
    assert.ok(target, 'a customer with two active relationships that grant roles');
    const r = await run(['terminate', target.id, '--dry-run', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const { plan } = JSON.parse(r.stdout) as { plan: { id: string; impact: ImpactOut | null }[] };
    const impact = plan[0]?.impact;
    assert.ok(impact, 'the plan item has an impact');
    const others = new Set(active.filter((o) => o !== target && o.customer?.tenantId === target.customer?.tenantId).flatMap(pairs));
    const mine = [...new Set(pairs(target))];
    assert.deepEqual(
      impact.lost.map((x) => `${x.groupId}|${x.roleDefinitionId}`.toLowerCase()).sort(),
      mine.filter((p) => !others.has(p)).sort(),
    );
    assert.deepEqual(
      impact.keptThrough.map((x) => `${x.groupId}|${x.roleDefinitionId}`.toLowerCase()).sort(),
      mine.filter((p) => others.has(p)).sort(),
    );
    for (const k of impact.keptThrough) {
      assert.notEqual(k.relationshipId, target.id);
    }
    assert.ok(impact.lost.every((x) => x.roleName !== ''));
    assert.equal(emu.store.relationships.get(target.id)?.status, 'active', 'a dry run changes nothing');
  });
});
