import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { COMMANDS, parseCommandLine } from '../../../src/cli/args';
import { isUsageError } from '../../../src/cli/usageError';

/*
 * Every command's argument parser takes any command line: a parsed command, or a usage error (exit 2) with
 * one readable line — never another exception. Parsing sends nothing (it has no client), so a refusal here
 * is a refusal before any request.
 */

const REL = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
const GUID = '8984fecd-00a2-4686-ba43-b5c20866944a';
const RUNS = { numRuns: 300, seed: 20261130 };

/** Words a command line is made of: valid ones, near misses and hostile ones. */
const word = fc.oneof(
  fc.constantFrom(
    REL,
    GUID,
    `${REL}x`,
    GUID.toUpperCase(),
    'on',
    'off',
    'maybe',
    '--yes',
    '-y',
    '--dry-run',
    '--no-wait',
    '--timeout',
    '--timeout=0',
    '--timeout=86401',
    '--format',
    'json',
    'csv',
    'table',
    '--days',
    '--bucket',
    '--all-expiring',
    '--name',
    '--roles',
    'Global Administrator,Helpdesk Administrator',
    'helpdesk admin',
    '--customer',
    '--duration',
    'P730D',
    'P2Y',
    'P0D',
    'PT0S',
    '--auto-extend',
    '--no-lock',
    '--group',
    '--without-ga',
    '--live-roles',
    '--emulator',
    'https://127.0.0.1:8443',
    'http://example.com',
    '--cloud',
    'usgov',
    '--journal',
    '--',
    '-',
    '',
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ maxLength: 12 }).map((s) => `--${s}`),
  fc.integer({ min: -5, max: 100_000 }).map(String),
);

describe('fuzz: command lines of every command give a command or a usage error', () => {
  for (const command of COMMANDS.filter((c) => c !== 'emulator')) {
    it(command, () => {
      fc.assert(
        fc.property(fc.array(word, { maxLength: 8 }), fc.boolean(), (rest, tty) => {
          const argv = [command, ...rest];
          try {
            const parsed = parseCommandLine(argv, {}, { stdoutIsTTY: tty });
            assert.equal(typeof parsed, 'object');
          } catch (e) {
            assert.ok(isUsageError(e), `${JSON.stringify(argv)}: not a usage error: ${String(e)}`);
            assert.ok(e.message.length > 5, `${JSON.stringify(argv)}: ${e.message}`);
          }
        }),
        RUNS,
      );
    });
  }
});
