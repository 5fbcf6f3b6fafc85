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
 * @param {string} root
 * @returns {Promise<ExtensionHostResult>}
 */
export function measureExtensionHost(root) {
  if (!existsSync(path.join(root, 'scripts/vscode/runSuite.mjs'))) {
    return Promise.resolve({ measured: false, reason: 'the real VS Code harness (scripts/vscode/runSuite.mjs) is not present.' });
  }
  const resultFile = path.join(root, 'out/bench/heap/heap.json');
  rmSync(resultFile, { force: true });
  return new Promise((resolve) => {
    const started = Date.now();
    // --no-build: measure the production bundle the bench just built.
    const child = spawn(
      process.execPath,
      ['scripts/vscode/runSuite.mjs', '--no-build', '--entry', ENTRY, '--out', OUT, '--emulator-args', '--preset large'],
      {
        cwd: root,
        env: { ...process.env, GDAP_BENCH_HEAP_OUT: resultFile, GDAP_SUITE_RUN_TIMEOUT_MS: String(TIMEOUT_MS - 60_000) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const echo = (/** @type {Buffer} */ d) => {
      out += String(d);
      for (const line of String(d).split('\n')) {
        if (line.startsWith('[heap]')) {
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
    }, TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = Math.round((Date.now() - started) / 1000);
      if (code !== 0 || !existsSync(resultFile)) {
        const tail = out.trim().split('\n').slice(-3).join(' / ').slice(0, 300);
        resolve({ measured: false, reason: `the in-host heap run did not finish (exit ${code}, ${seconds} s): ${tail}` });
        return;
      }
      const r = /** @type {HeapResult} */ (JSON.parse(readFileSync(resultFile, 'utf8')));
      resolve({
        measured: true,
        activationMs: r.activationMs,
        vscodeVersion: r.vscodeVersion,
        hostNode: r.nodeVersion,
        heapGrowthMB: r.growthMB.heapUsed,
        startupCache: r.startupCache,
        heap: r,
        seconds,
      });
    });
  });
}
