import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseEmulatorArgs } from '../../../src/emulator/options';

const ROOT = join(__dirname, '../../..');
const ENTRY = join(ROOT, 'dist/emulator.js');

describe('emulator command line (node dist/emulator.js)', () => {
  before(async function () {
    this.timeout(30000);
    if (!existsSync(ENTRY)) {
      // `npm test` builds first; a lone run builds just this bundle.
      const esbuild = await import('esbuild');
      await esbuild.build({
        entryPoints: [join(ROOT, 'src/emulator/main.ts')],
        outfile: ENTRY,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
      });
    }
  });

  it('parses options; unknown options and bad values are usage errors', () => {
    assert.deepEqual(parseEmulatorArgs(['--port', '0', '--preset=large', '--time-scale', '5', '--http', '--faults', '500:0.1']).options, {
      port: 0,
      preset: 'large',
      timeScale: 5,
      http: true,
      faults: '500:0.1',
    });
    for (const bad of [
      ['--bogus'],
      ['--port', 'x'],
      ['--preset', 'huge'],
      ['--host', '0.0.0.0'],
      ['--faults', 'nope:1'],
      ['--time-scale', '0'],
      ['--seed'],
    ]) {
      assert.throws(() => parseEmulatorArgs(bad), /./, bad.join(' '));
    }
  });

  it('prints the URL then ca-file, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [ENTRY, '--port', '0', '--preset', 'empty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = await new Promise<string[]>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no output: ${out}`)), 8000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          const l = out.split('\n');
          if (l.length >= 3) {
            clearTimeout(timer);
            resolve(l);
          }
        });
      });
      assert.match(lines[0], /https:\/\/127\.0\.0\.1:\d+/);
      assert.match(lines[1], /^ca-file: .+\.pem$/);
      assert.ok(existsSync(lines[1].slice('ca-file: '.length)));
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGKILL');
      }
    }
  });

  it('unknown option: one line on stderr, exit 2', () => {
    const r = spawnSync(process.execPath, [ENTRY, '--bogus'], { encoding: 'utf8', timeout: 8000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /--bogus/);
  });
});
