import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { bundleCli, emulatorEnv, runCliProcess, type CliRun } from './harness/bundledCli';

/*
 * `gdap access` and `gdap check` end to end: the bundled CLI against the emulator started in-process, whose
 * store the tests read (and, to build a state, change) directly.
 */

const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

interface Row {
  customerTenantId: string;
  relationshipId: string;
  groupId: string;
  groupName: string | null;
  roleDefinitionId: string;
  roleName: string;
  privileged: boolean | null;
  autoExtends: boolean;
}

interface FindingOut {
  code: string;
  severity: string;
  customerTenantId: string | null;
  relationshipId: string | null;
  message: string;
}

describe('gdap access and gdap check end to end against the emulator', function () {
  this.timeout(30_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;

  const run = (args: string[]): Promise<CliRun> => runCliProcess(cli, args, emulatorEnv(emu, path.join(dir, 'state')));

  /** (relationship, group, role) of every active assignment of an active relationship, from the emulator's own store. */
  function expectedGrants(): string[] {
    const out: string[] = [];
    for (const r of emu.store.relationships.values()) {
      if (r.status !== 'active' || r.customer?.tenantId === undefined) {
        continue;
      }
      for (const a of r.assignments) {
        if (a.status === 'active') {
          for (const role of a.roles) {
            out.push(`${r.id}|${a.containerId}|${role}`);
          }
        }
      }
    }
    return out.sort();
  }

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-insight-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', seed: 11, timeScale: 200 });
  });

  after(async () => {
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('access: every active grant once, as JSON; filters by customer and role name; CSV and table', async () => {
    const r = await run(['access', '-q']);
    assert.equal(r.code, 0, r.stderr);
    const { rows } = JSON.parse(r.stdout) as { rows: Row[] };
    assert.ok(rows.length > 0);
    assert.deepEqual(rows.map((x) => `${x.relationshipId}|${x.groupId}|${x.roleDefinitionId}`).sort(), expectedGrants());
    const ga = rows.find((x) => x.roleName === 'Global Administrator');
    assert.ok(ga === undefined || (ga.privileged === true && !ga.autoExtends));

    const one = rows[0].customerTenantId;
    const filtered = JSON.parse((await run(['access', '-q', '--customer', one, '--role', 'helpdesk administrator'])).stdout) as {
      rows: Row[];
    };
    assert.deepEqual(
      filtered.rows.map((x) => `${x.relationshipId}|${x.groupId}`),
      rows.filter((x) => x.customerTenantId === one && x.roleDefinitionId === HELPDESK).map((x) => `${x.relationshipId}|${x.groupId}`),
    );

    const csv = await run(['access', '-q', '--format', 'csv', '--role', HELPDESK, '--role', 'Directory Readers']);
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.split('\r\n');
    assert.equal(
      lines[0],
      'customerTenantId,customerName,relationshipId,relationshipName,groupId,groupName,roleDefinitionId,roleName,privileged,endDateTime,autoExtends',
    );
    assert.equal(
      lines.length - 2,
      rows.filter((x) => x.roleName === 'Helpdesk Administrator' || x.roleName === 'Directory Readers').length,
    );

    const table = await run(['access', '-q', '--format', 'table', '--customer', one]);
    assert.match(table.stdout.split('\n')[0], /^CUSTOMER +RELATIONSHIP +GROUP +ROLE +PRIVILEGED +ENDS +EXTENDS$/);
  });

  it('access --live-roles: the directory names roles when it can; otherwise a notice and the built-in names', async () => {
    const plain = JSON.parse((await run(['access', '-q'])).stdout) as { rows: Row[] };
    const r = await run(['access', '-q', '--live-roles']);
    assert.equal(r.code, 0, r.stderr);
    const live = JSON.parse(r.stdout) as { rows: Row[] };
    const ids = (rows: Row[]): string[] => rows.map((x) => `${x.relationshipId}|${x.groupId}|${x.roleDefinitionId}`).sort();
    assert.deepEqual(ids(live.rows), ids(plain.rows));
    const asked = emu.requests().filter((x) => x.path.includes('/roleManagement/directory/roleDefinitions'));
    assert.ok(asked.length > 0, 'the role definitions were asked for');
    assert.ok(
      r.stderr === '' ||
        /^gdap: notice: the live role catalog could not be read \(.+\); roles are named from the built-in list\.\n$/.test(r.stderr),
      r.stderr,
    );
  });

  it('access: a role name no catalog knows, or a bad id, is a usage error before any request', async () => {
    const before = emu.requests().length;
    const bad = await run(['access', '-q', '--role', 'Helpdesk Admin']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--role "Helpdesk Admin" is neither a role template id/);
    assert.equal((await run(['access', '-q', '--group', 'not-a-guid'])).code, 2);
    assert.equal(emu.requests().length, before);
  });

  it('check: findings JSON, exit 4 exactly when one is an error; Partner Center checks only when read', async () => {
    const plain = await run(['check', '-q', '--no-partner-center']);
    const { findings } = JSON.parse(plain.stdout) as { findings: FindingOut[] };
    assert.equal(plain.code, findings.some((f) => f.severity === 'error') ? 4 : 0, plain.stderr);
    assert.ok(findings.every((f) => f.code !== 'noGdap' && f.code !== 'dapStillOn'));
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).sort(), ['code', 'customerTenantId', 'message', 'relationshipId', 'severity']);
    }

    // Break one active assignment: the doctor reports it as an error and the exit code says so.
    const broken = [...emu.store.relationships.values()].find(
      (x) => x.status === 'active' && x.assignments.some((a) => a.status === 'active'),
    );
    assert.ok(broken !== undefined);
    const target = broken.assignments.find((a) => a.status === 'active');
    assert.ok(target !== undefined);
    target.status = 'error';
    const after = await run(['check', '-q', '--no-partner-center', '--format', 'json']);
    assert.equal(after.code, 4, after.stderr);
    const found = (JSON.parse(after.stdout) as { findings: FindingOut[] }).findings.find((f) => f.code === 'assignmentError');
    assert.equal(found?.relationshipId, broken.id);
    assert.equal(found?.severity, 'error');

    // With Partner Center: every customer without an active relationship is noGdap.
    const withPc = await run(['check', '-q']);
    const pcFindings = (JSON.parse(withPc.stdout) as { findings: FindingOut[] }).findings;
    const active = new Set(
      [...emu.store.relationships.values()].filter((x) => x.status === 'active').map((x) => x.customer?.tenantId?.toLowerCase()),
    );
    const withoutGdap = [...emu.store.customers.values()].filter((c) => !active.has(c.tenantId.toLowerCase())).map((c) => c.tenantId);
    assert.deepEqual(
      pcFindings
        .filter((f) => f.code === 'noGdap')
        .map((f) => f.customerTenantId)
        .sort(),
      withoutGdap.sort(),
    );
    // …and every customer with DAP still on that an active assignment covers is dapStillOn.
    const covered = new Set(
      [...emu.store.relationships.values()]
        .filter((x) => x.status === 'active' && x.assignments.some((a) => a.status === 'active'))
        .map((x) => x.customer?.tenantId?.toLowerCase()),
    );
    const dapOn = [...emu.store.customers.values()].filter((c) => c.allowDelegatedAccess && covered.has(c.tenantId.toLowerCase()));
    assert.ok(dapOn.length > 0, 'the demo data has customers with DAP still on');
    assert.deepEqual(
      pcFindings
        .filter((f) => f.code === 'dapStillOn')
        .map((f) => f.customerTenantId)
        .sort(),
      dapOn.map((c) => c.tenantId).sort(),
    );
    const csv = await run(['check', '-q', '--no-partner-center', '--format', 'csv']);
    assert.equal(csv.stdout.split('\r\n')[0], 'code,severity,customerTenantId,relationshipId,message');
  });

  it('check on an empty partner: no findings, exit 0', async () => {
    emu.reset({ preset: 'empty', seed: 1 });
    const r = await run(['check', '-q']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { findings: [] });
  });
});
