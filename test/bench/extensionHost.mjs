// Scenario 5b: activation time in the real VS Code extension host, through the in-host suite harness
// (scripts/vscode/runSuite.mjs, code-server). The suite's manifest test reports the extension's own
// activation measurement in its title: "(X ms on VS Code V)". Heap growth with the `large` tree needs
// an in-host probe the suite does not have yet; it is reported as not measured.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const TIMEOUT_MS = 6 * 60_000;

export function measureExtensionHost(root) {
  if (!existsSync(path.join(root, 'scripts/vscode/runSuite.mjs'))) {
    return Promise.resolve({ measured: false, reason: 'the real VS Code harness (scripts/vscode/runSuite.mjs) is not present.' });
  }
  return new Promise((resolve) => {
    const started = Date.now();
    // --no-build: measure the production bundle the bench just built.
    const child = spawn(process.execPath, ['scripts/vscode/runSuite.mjs', '--no-build'], {
      cwd: root,
      env: { ...process.env, GDAP_SUITE_GREP: 'reports its activation time' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += '\n[bench] in-host suite killed after the time limit';
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        // gone
      }
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const m = /\(([\d.]+) ms on VS Code ([^)]+)\)/.exec(out);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (m === null) {
        const tail = out.trim().split('\n').slice(-3).join(' / ').slice(0, 300);
        resolve({ measured: false, reason: `the in-host suite did not report an activation time (exit ${code}, ${seconds} s): ${tail}`, heapGrowthMB: null });
        return;
      }
      resolve({
        measured: true,
        activationMs: Number(m[1]),
        vscodeVersion: m[2],
        heapGrowthMB: null,
        heapNote: 'not measured: the in-host suite has no probe that loads the large tree and reads the extension host heap.',
        seconds,
      });
    });
  });
}
