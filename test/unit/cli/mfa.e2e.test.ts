import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { MFA_CLAIMS } from '../../../src/emulator/tokens';
import { bundleCli, emulatorEnv, mutatingRequests, runCliOnTerminal, runCliProcess, type CliRun } from './harness/bundledCli';

/*
 * Partner Center's MFA claims challenge (docs/api-notes.md §15.6) through the bundled CLI against the emulator
 * with MFA required: piped, the message and exit 3 with nothing sent; on a terminal, a sign-in with the
 * claims and one more run that re-reads first.
 */

const MESSAGE = /Partner Center requires multi-factor authentication for this call: sign in again with MFA/;
const CLAIMS_B64 = Buffer.from(JSON.stringify(MFA_CLAIMS), 'utf8').toString('base64');

function assertNoSecrets(r: CliRun): void {
  const all = `${r.stdout}\n${r.stderr}`;
  assert.ok(!all.includes(CLAIMS_B64), 'the encoded claims are not printed');
  assert.ok(!all.includes('"amr"') && !all.includes('insufficient_claims'), 'the claims request is not printed');
  assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(all), 'no token is printed');
}

describe('gdap and Partner Center MFA (claims challenge)', function () {
  this.timeout(120_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;
  let dapOn: string[];

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-mfa-cli-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', customers: 6, seed: 41, requirePcMfa: true });
    dapOn = [...emu.store.customers.values()].filter((c) => c.allowDelegatedAccess).map((c) => c.tenantId);
    assert.ok(dapOn.length >= 2, 'the seed has customers with DAP on');
  });
  after(async () => {
    await emu.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const env = (name: string): NodeJS.ProcessEnv => emulatorEnv(emu, path.join(dir, name));

  it('piped: remove-dap prints what it is and what to do, exits 3 and sends nothing', async () => {
    const before = mutatingRequests(emu).length;
    const r = await runCliProcess(cli, ['remove-dap', dapOn[0], '--yes'], env('piped'));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, MESSAGE);
    assert.match(r.stderr, /Run the command in a terminal to sign in with MFA/);
    assert.equal(r.stdout, '');
    assert.equal(mutatingRequests(emu).length, before, 'no PATCH was sent');
    assert.equal(emu.store.customers.get(dapOn[0])?.allowDelegatedAccess, true);
    assertNoSecrets(r);
  });

  it('piped: check reports the message and exits 3', async () => {
    const r = await runCliProcess(cli, ['check', '--format', 'json'], env('check'));
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, MESSAGE);
    assert.ok(r.stdout.length > 0, 'the report of the checks that ran is still printed');
    assertNoSecrets(r);
  });

  it('on a terminal: signs in again with the claims, re-reads, removes DAP with one PATCH', async () => {
    const before = mutatingRequests(emu);
    const r = await runCliOnTerminal(cli, ['remove-dap', dapOn[1], '--yes'], env('terminal'), 160);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, MESSAGE);
    assert.match(r.stdout, /Signing in again with MFA, then trying once more\./);
    const sent = mutatingRequests(emu).slice(before.length);
    assert.deepEqual(
      sent.map((s) => s.method),
      ['PATCH'],
      'exactly one PATCH, after the new sign-in',
    );
    assert.equal(emu.store.customers.get(dapOn[1])?.allowDelegatedAccess, false);
    assertNoSecrets({ ...r, stderr: '' });
  });
});
