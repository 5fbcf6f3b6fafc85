// @ts-check
// Starts the project's emulator (`node dist/emulator.js`) as a tracked child process. Its first
// stdout line is the base URL, the second `ca-file: PATH`. When the emulator is not functional (not
// built yet, exits, prints something else) this returns null so the runners still work without it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawnTracked, stopTracked } from './lifecycle.mjs';

const START_TIMEOUT_MS = 30_000;

/**
 * @param {object} [options]
 * @param {string[]} [options.args] extra arguments (e.g. ['--preset', 'demo'])
 * @param {string} [options.repoRoot]
 * @param {number} [options.timeoutMs] hard bound on its lifetime
 * @param {boolean} [options.required] throw instead of returning null when it cannot start
 * @returns {Promise<import('./emulator.mjs').RunningEmulatorProcess | null>}
 */
export async function startEmulatorProcess({
  args = ['--port', '0', '--time-scale', '20', '--seed', '1'],
  repoRoot = process.cwd(),
  timeoutMs = 30 * 60_000,
  required = false,
} = {}) {
  const script = resolve(repoRoot, 'dist', 'emulator.js');
  const fail = (/** @type {string} */ why) => {
    if (required) {
      throw new Error(`emulator unavailable: ${why}`);
    }
    console.error(`[harness] emulator unavailable (${why}); continuing without GDAP_EMULATOR_URL`);
    return null;
  };
  if (!existsSync(script)) {
    return fail(`${script} is missing; run npm run build`);
  }
  const proc = spawnTracked(process.execPath, [script, '--host', '127.0.0.1', ...args], {
    name: 'emulator',
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeoutMs,
  });
  const { stdout, stderr } = proc.child;
  if (proc.pid === undefined || !stdout || !stderr) {
    // spawn failed synchronously (no process, so no pipes); stdio above always asks for pipes
    await stopTracked(proc);
    return fail('it could not be spawned');
  }
  const pid = proc.pid;
  let out = '';
  let err = '';
  stderr.on('data', (d) => {
    err += d;
  });
  /** @type {Promise<string[]>} */
  const lines = new Promise((resolveLines) => {
    stdout.on('data', (d) => {
      out += d;
      const ls = out.split('\n');
      if (ls.length >= 3) {
        resolveLines(ls);
      }
    });
  });
  const outcome = await Promise.race([
    lines,
    proc.exitPromise.then((r) => `exited with ${r.code ?? r.signal}`),
    /** @type {Promise<string>} */ (new Promise((r) => setTimeout(() => r('timed out waiting for its URL'), START_TIMEOUT_MS).unref())),
  ]);
  if (typeof outcome === 'string') {
    await stopTracked(proc);
    return fail(`${outcome}: ${(out + err).trim().slice(0, 500)}`);
  }
  // The first line is the base URL, possibly inside a sentence ("… listening on https://127.0.0.1:N").
  const found = /(https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?)\/?(?:\s|$)/.exec(outcome[0].trim());
  const url = found ? found[1] : '';
  const ca = /^ca-file:\s*(.+)$/.exec(outcome[1].trim());
  if (!found || !ca) {
    await stopTracked(proc);
    return fail(`unexpected first lines: ${outcome.slice(0, 2).join(' | ')}`);
  }
  // keep draining so a chatty emulator never blocks on a full pipe
  stdout.resume();
  const caFile = ca[1].trim();
  return {
    url: url.replace(/\/$/, ''),
    caFile,
    pid,
    env: { GDAP_EMULATOR_URL: url.replace(/\/$/, ''), GDAP_EMULATOR_CA: caFile },
    stop: () => stopTracked(proc),
  };
}
