import * as assert from 'node:assert/strict';
import { parseCommandLine, parseIntegerOption } from '../../../src/cli/args';
import { exitCodeForError, exitCodeForResults } from '../../../src/cli/exitCodes';
import { isUsageError } from '../../../src/cli/usageError';
import { GdapError } from '../../../src/core/http/gdapError';

const REL = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
const GUID = '8984fecd-00a2-4686-ba43-b5c20866944a';
const EMU = ['--emulator', 'https://127.0.0.1:8443'];

function usage(argv: string[], pattern: RegExp, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(
    () => parseCommandLine(argv, env),
    (e: unknown) => {
      assert.ok(isUsageError(e), `expected a usage error, got ${String(e)}`);
      assert.match(e.message, pattern);
      assert.equal(exitCodeForError(e), 2);
      return true;
    },
  );
}

describe('cli args', () => {
  it('parses help, version and the emulator pass-through', () => {
    assert.deepEqual(parseCommandLine([]), { command: 'help' });
    assert.deepEqual(parseCommandLine(['--help']), { command: 'help', topic: undefined });
    assert.deepEqual(parseCommandLine(['terminate', '--help']), { command: 'help', topic: 'terminate' });
    assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
    assert.deepEqual(parseCommandLine(['emulator', '--port', '0', '--preset', 'demo', '--whatever']), {
      command: 'emulator',
      args: ['--port', '0', '--preset', 'demo', '--whatever'],
    });
  });

  it('parses inventory with defaults and options', () => {
    const p = parseCommandLine([
      'inventory',
      ...EMU,
      '--assignments',
      '--format',
      'csv',
      '--customer',
      GUID.toUpperCase(),
      '--status',
      'approvalPending',
    ]);
    assert.equal(p.command, 'inventory');
    if (p.command === 'inventory') {
      assert.equal(p.assignments, true);
      assert.equal(p.format, 'csv');
      assert.equal(p.customer, GUID);
      assert.equal(p.status, 'approvalPending');
      assert.equal(p.global.cloud, 'global');
      assert.equal(p.global.emulatorUrl, 'https://127.0.0.1:8443');
    }
    const d = parseCommandLine(['inventory']);
    assert.ok(d.command === 'inventory' && d.format === 'json' && d.assignments === false && d.customer === undefined);
  });

  it('chooses a table only when stdout is a terminal; --format wins either way', () => {
    const tty = { stdoutIsTTY: true };
    const format = (argv: string[], terminal = {}): string | undefined => {
      const p = parseCommandLine(argv, {}, terminal);
      return 'format' in p ? p.format : undefined;
    };
    assert.equal(format(['inventory'], tty), 'table');
    assert.equal(format(['expiring'], tty), 'table');
    assert.equal(format(['inventory'], { stdoutIsTTY: false }), 'json');
    assert.equal(format(['expiring']), 'json');
    assert.equal(format(['inventory', '--format', 'json'], tty), 'json');
    assert.equal(format(['inventory', '--format', 'csv'], tty), 'csv');
    assert.equal(format(['expiring', '--format', 'table']), 'table');
    assert.equal(format(['terminate', REL, '-y'], tty), 'table');
    assert.equal(format(['terminate', REL, '-y']), 'json');
    assert.equal(format(['remove-dap', GUID, '-y', '--format', 'json'], tty), 'json');
    assert.equal(format(['remove-assignment', REL, GUID, '-y', '--format', 'table']), 'table');
    usage(['expiring', '--format', 'yaml'], /--format must be json or csv \(for scripts\) or table \(got "yaml"\)/);
    usage(['terminate', REL, '--format', 'csv'], /--format must be json or table here/);
  });

  it('takes the emulator and its CA from the environment', () => {
    const p = parseCommandLine(['expiring'], { GDAP_EMULATOR_URL: 'https://localhost:1234', GDAP_EMULATOR_CA: '/tmp/ca.pem' });
    assert.ok(p.command === 'expiring');
    if (p.command === 'expiring') {
      assert.equal(p.global.emulatorUrl, 'https://localhost:1234');
      assert.equal(p.global.emulatorCaFile, '/tmp/ca.pem');
      assert.equal(p.days, 30);
    }
  });

  it('parses mutations: ids, flags, timeout in ms, duplicates removed', () => {
    const t = parseCommandLine(['terminate', REL, GUID, REL.toUpperCase(), '--yes', '--no-wait', '--timeout', '90']);
    assert.ok(t.command === 'terminate');
    if (t.command === 'terminate') {
      assert.deepEqual(t.ids, [REL, GUID]);
      assert.equal(t.yes, true);
      assert.equal(t.dryRun, false);
      assert.equal(t.wait, false);
      assert.equal(t.timeoutMs, 90_000);
    }
    const r = parseCommandLine(['remove-assignment', REL, GUID, '--dry-run']);
    assert.ok(
      r.command === 'remove-assignment' &&
        r.relationshipId === REL &&
        r.assignmentId === GUID &&
        r.dryRun &&
        r.wait &&
        r.timeoutMs === 600_000,
    );
    const d = parseCommandLine(['remove-dap', GUID, '-y']);
    assert.ok(d.command === 'remove-dap' && d.yes && d.tenantIds.length === 1);
  });

  it('refuses bad input with exit code 2 before anything is sent', () => {
    usage(['frobnicate'], /Unknown command "frobnicate"/);
    usage(['inventory', '--bogus'], /bogus/);
    usage(['inventory', '--format', 'xml'], /--format must be json or csv/);
    usage(['inventory', '--customer', 'contoso'], /--customer must be a customer tenant id/);
    usage(['inventory', '--status', 'happy'], /--status must be one of/);
    usage(['inventory', 'extra'], /takes no arguments/);
    usage(['expiring', '--days', '-1'], /--days/);
    usage(['expiring', '--days', '731'], /between 0 and 730/);
    usage(['expiring', '--days', '1.5'], /whole number/);
    usage(['terminate'], /at least one relationship id/);
    usage(['terminate', 'not-a-guid'], /is not a relationship id/);
    usage(['terminate', REL, '--timeout', '0'], /--timeout must be between 1/);
    usage(['terminate', REL, '--timeout', 'PT5M'], /--timeout must be a whole number/);
    usage(['terminate', REL, '--assignments'], /assignments/);
    usage(['remove-assignment', REL], /Usage: gdap remove-assignment/);
    usage(['remove-assignment', REL, 'abc'], /not an access assignment id/);
    usage(['remove-dap', `${GUID}x`], /not a customer tenant id/);
    usage(['remove-dap', GUID, '--no-wait'], /no-wait/);
    usage(['inventory', '--cloud', 'mars'], /--cloud must be global, usgov or usgovdod/);
    usage(['inventory', '--cloud', 'china'], /--cloud must be/);
    usage(['inventory', '--device-code'], /--device-code needs --client-id and --tenant/);
    usage(['inventory', '--client-id', GUID], /go together/);
    usage(['inventory', '--client-id', 'my-app', '--tenant', 'contoso.com'], /--client-id must be/);
    usage(['inventory', '--client-id', GUID, '--tenant', 'bad/tenant'], /--tenant must be/);
    usage(['inventory', '--verbose', '--quiet'], /cannot be combined/);
  });

  it('refuses a non-loopback emulator (flag or environment)', () => {
    usage(['inventory', '--emulator', 'https://example.com'], /must run on this machine/);
    usage(['inventory', '--emulator', 'https://10.0.0.1:8443'], /must run on this machine/);
    usage(['inventory'], /must run on this machine/, { GDAP_EMULATOR_URL: 'https://graph.microsoft.com' });
    usage(['inventory', '--emulator', 'https://127.0.0.1:8443/v1.0'], /origin only/);
    assert.equal(parseCommandLine(['inventory', '--emulator', 'https://[::1]:8443']).command, 'inventory');
    assert.equal(parseCommandLine(['inventory', '--emulator', 'https://127.1.2.3:8443']).command, 'inventory');
  });

  it('validates integer options exactly', () => {
    assert.equal(parseIntegerOption('days', '0', 0, 10), 0);
    assert.equal(parseIntegerOption('days', ' 7 ', 0, 10), 7);
    assert.throws(() => parseIntegerOption('days', '1e3', 0, 10000), /whole number/);
    assert.throws(() => parseIntegerOption('days', '', 0, 10), /whole number/);
  });

  it('maps errors and results to the four exit codes', () => {
    assert.equal(exitCodeForError(new GdapError({ kind: 'auth', message: 'x' })), 3);
    assert.equal(exitCodeForError(new GdapError({ kind: 'invalidInput', message: 'x' })), 2);
    assert.equal(exitCodeForError(new GdapError({ kind: 'server', message: 'x' })), 1);
    assert.equal(exitCodeForError(new Error('boom')), 1);
    assert.equal(exitCodeForResults([{ outcome: 'done' }, { outcome: 'alreadyDone' }, { outcome: 'skipped' }]), 0);
    assert.equal(exitCodeForResults([{ outcome: 'done' }, { outcome: 'failed' }]), 1);
  });
});
