// @ts-check
// Scenario 5b: the real VS Code extension host (code-server), through the in-host harness
// (scripts/vscode/runSuite.mjs) running test/bench/host/heap.suite.ts instead of the test suite, with
// the emulator at `--preset large`. That entry activates the extension, signs in, reads
// process.memoryUsage() after a forced GC, loads the whole tree (customers, relationships, and every
// relationship's roles and access assignments), reads it again and writes a JSON file read here.
// Activation time is the extension's own measurement (GdapExplorerApi.activationMs) from the same run:
// one source for that figure. The same run measures the start-up cache with the large inventory: the
// file's size and the time to paint the tree's first level from it (startupCache in the result).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';

const TIMEOUT_MS = 10 * 60_000;

/**
 * What test/bench/host/heap.suite.ts writes (bytes in `before`/`after`, MB in `growthMB`).
 *
 * @typedef {{ heapUsed: number; heapTotal: number; rss: number }} HeapReading
 * @typedef {object} HeapResult
 * @property {number} activationMs
 * @property {string} vscodeVersion
 * @property {string} nodeVersion
 * @property {'forced' | string} gc
 * @property {HeapReading} before
 * @property {HeapReading} after
 * @property {HeapReading} growthMB
 * @property {number} peakHeapUsedMB
 * @property {{ customers: number; relationships: number; roleNodes: number; assignmentNodes: number; loadMs: number }} tree
 * @property {{ cacheFileBytes: number; customersPainted: number; cachePaintMs: number; activationToPaintMs: number }} [startupCache]
 */
/**
 * @typedef {{ measured: false; reason: string } | { measured: true; activationMs: number; vscodeVersion: string; hostNode: string; heapGrowthMB: number; startupCache?: HeapResult['startupCache']; heap: HeapResult; seconds: number }} ExtensionHostResult
 */
const ENTRY = 'test/bench/host/heap.suite.ts';
const OUT = 'out/bench/heap/index.js';

/**
 * Runs one in-host bench entry through scripts/vscode/runSuite.mjs and reads the JSON file it writes.
 *
 * @param {string} root
 * @param {{ entry: string; out: string; emulatorArgs: string; resultEnv: string; resultFile: string; tag: string; timeoutMs: number }} o
 * @returns {Promise<{ ok: true; result: any; seconds: number } | { ok: false; reason: string }>}
 */
function runHostEntry(root, o) {
  if (!existsSync(path.join(root, 'scripts/vscode/runSuite.mjs'))) {
    return Promise.resolve({ ok: false, reason: 'the real VS Code harness (scripts/vscode/runSuite.mjs) is not present.' });
  }
  const resultFile = path.join(root, o.resultFile);
  rmSync(resultFile, { force: true });
  return new Promise((resolve) => {
    const started = Date.now();
    // --no-build: measure the production bundle the bench just built.
    const child = spawn(
      process.execPath,
      ['scripts/vscode/runSuite.mjs', '--no-build', '--entry', o.entry, '--out', o.out, '--emulator-args', o.emulatorArgs],
      {
        cwd: root,
        env: { ...process.env, [o.resultEnv]: resultFile, GDAP_SUITE_RUN_TIMEOUT_MS: String(o.timeoutMs - 60_000) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const echo = (/** @type {Buffer} */ d) => {
      out += String(d);
      for (const line of String(d).split('\n')) {
        if (line.startsWith(`[${o.tag}]`)) {
          console.log(`  ${line}`);
        }
      }
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      out += '\n[bench] in-host run killed after the time limit';
      try {
        if (child.pid !== undefined) {
          process.kill(child.pid, 'SIGTERM');
        }
      } catch {
        // gone
      }
    }, o.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code !== 0 || !existsSync(resultFile)) {
        const tail = out.trim().split('\n').slice(-3).join(' / ').slice(0, 300);
        resolve({ ok: false, reason: `the in-host ${o.tag} run did not finish (exit ${code}, ${seconds} s): ${tail}` });
        return;
      }
      resolve({ ok: true, result: JSON.parse(readFileSync(resultFile, 'utf8')), seconds });
    });
  });
}

/**
 * @param {string} root
 * @returns {Promise<ExtensionHostResult>}
 */
export async function measureExtensionHost(root) {
  const run = await runHostEntry(root, {
    entry: ENTRY,
    out: OUT,
    emulatorArgs: '--preset large',
    resultEnv: 'GDAP_BENCH_HEAP_OUT',
    resultFile: 'out/bench/heap/heap.json',
    tag: 'heap',
    timeoutMs: TIMEOUT_MS,
  });
  if (!run.ok) {
    return { measured: false, reason: run.reason };
  }
  const r = /** @type {HeapResult} */ (run.result);
  return {
    measured: true,
    activationMs: r.activationMs,
    vscodeVersion: r.vscodeVersion,
    hostNode: r.nodeVersion,
    heapGrowthMB: r.growthMB.heapUsed,
    startupCache: r.startupCache,
    heap: r,
    seconds: run.seconds,
  };
}

/**
 * Scenario 9: test/bench/host/xl.suite.ts against the emulator's `--preset xl` (10,000 customers): heap
 * growth with the whole tree loaded, the start-up cache (size, read, paint), filter keystrokes and
 * expanding customers. The figures are what that entry wrote (see its header).
 *
 * @param {string} root
 * @returns {Promise<{ measured: false; reason: string } | { measured: true; seconds: number; result: any }>}
 */
export async function measureExtensionHostXl(root) {
  const run = await runHostEntry(root, {
    entry: 'test/bench/host/xl.suite.ts',
    out: 'out/bench/xl/index.js',
    emulatorArgs: '--preset xl',
    resultEnv: 'GDAP_BENCH_XL_OUT',
    resultFile: 'out/bench/xl/xl.json',
    tag: 'xl',
    timeoutMs: 30 * 60_000,
  });
  return run.ok ? { measured: true, seconds: run.seconds, result: run.result } : { measured: false, reason: run.reason };
}
