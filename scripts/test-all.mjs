// @ts-check
// `npm test`: every suite in order, each one's pass/fail counts summed into one closing line.
// Steps that are not test runners (lint, type check, build) count as one test each.
import { spawn } from 'node:child_process';

/** @typedef {{ name: string; cmd: string; args: string[]; counts?: 'mocha' }} Step */

/** @type {Step[]} */
const steps = [
  { name: 'lint', cmd: 'npm', args: ['run', '--silent', 'lint'] },
  { name: 'check-types', cmd: 'npm', args: ['run', '--silent', 'check-types'] },
  { name: 'build', cmd: 'npm', args: ['run', '--silent', 'build'] },
  { name: 'unit + conformance', cmd: 'npx', args: ['mocha'], counts: 'mocha' },
  // Real VS Code (code-server + Chromium, installed on first use into ~/.cache/gdap-explorer):
  // mocha inside the extension host against the build above, then the UI scenarios against the VSIX.
  { name: 'in-host suite', cmd: 'node', args: ['scripts/vscode/runSuite.mjs', '--no-build'], counts: 'mocha' },
  { name: 'UI suite', cmd: 'node', args: ['scripts/vscode/runE2e.mjs'], counts: 'mocha' },
];

/**
 * Runs one step; never rejects. A step that cannot even start (a missing command) resolves as a crash
 * with code 1, so the loop below always reaches the closing line.
 *
 * @param {Step} step
 * @returns {Promise<{ code: number; out: string; seconds: number }>}
 */
function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    let out = '';
    let settled = false;
    const finish = (/** @type {number} */ code) => {
      if (!settled) {
        settled = true;
        resolve({ code, out, seconds: (Date.now() - started) / 1000 });
      }
    };
    const child = spawn(step.cmd, step.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    /** @type {(stream: import('node:stream').Readable, target: NodeJS.WriteStream) => unknown} */
    const tee = (stream, target) =>
      stream.on('data', (/** @type {Buffer} */ d) => {
        out += String(d);
        target.write(d);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('error', (e) => {
      out += `\n${step.cmd} could not be run: ${e.message}\n`;
      console.error(`${step.cmd} could not be run: ${e.message}`);
      finish(1);
    });
    // A signal (e.g. the out-of-memory killer) gives code null: a failure.
    child.on('close', (code) => finish(code ?? 1));
  });
}

/**
 * Sums every mocha summary in the output: the in-host runner runs two mocha phases (the suite, then the
 * sealed check without the test API), each printing its own "N passing".
 *
 * @param {string} out
 */
function mochaCounts(out) {
  const sum = (/** @type {RegExp} */ re) => [...out.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: sum(/^\s*(\d+) passing/gm), failed: sum(/^\s*(\d+) failing/gm), skipped: sum(/^\s*(\d+) pending/gm) };
}

/**
 * A test step's counts, with two rules so a broken suite can never look green: one that exited non-zero
 * without a mocha failure crashed (counts one failure), and one that ran no test at all counts one
 * failure too (a wrong glob or a runner that never started mocha must not pass).
 *
 * @param {{ code: number; out: string }} r
 */
function testCounts(r) {
  const c = mochaCounts(r.out);
  if (r.code !== 0 && c.failed === 0) {
    c.failed = 1;
    console.error('  (the step exited with an error before mocha reported a failure: counted as one failure)');
  } else if (c.passed + c.failed === 0) {
    c.failed = 1;
    console.error('  (the step ran no test: counted as one failure)');
  }
  return c;
}

let passed = 0;
let failed = 0;
let skipped = 0;
/** @type {string[]} */
const summary = [];

function printSummary() {
  console.log('\n=== summary ===');
  for (const line of summary) {
    console.log(line);
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

// Interrupted (Ctrl+C, CI cancelling): the steps that ran still get their closing line. The child gets
// the same signal from the terminal / process group and stops itself.
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    summary.push(`(interrupted by ${signal})`);
    failed += 1;
    printSummary();
    process.exit(1);
  });
}

try {
  for (const step of steps) {
    console.log(`\n=== ${step.name} ===`);
    const r = await run(step);
    const c =
      step.counts === 'mocha' ? testCounts(r) : r.code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    summary.push(
      `${step.name.padEnd(22)} ${r.code === 0 && c.failed === 0 ? 'ok  ' : 'FAIL'} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(3)} failed  ${r.seconds.toFixed(1)}s`,
    );
  }
} catch (e) {
  // A bug in this script itself: still close with the counts so far, plus this failure.
  console.error(e);
  failed += 1;
  summary.push(`(test-all crashed: ${e instanceof Error ? e.message : String(e)})`);
} finally {
  printSummary();
  process.exitCode = failed > 0 ? 1 : 0;
}
