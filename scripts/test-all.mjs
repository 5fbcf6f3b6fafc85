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
 * @param {Step} step
 * @returns {Promise<{ code: number; out: string; seconds: number }>}
 */
function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd, step.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let out = '';
    /** @type {(stream: import('node:stream').Readable, target: NodeJS.WriteStream) => unknown} */
    const tee = (stream, target) =>
      stream.on('data', (/** @type {Buffer} */ d) => {
        out += String(d);
        target.write(d);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, out, seconds: (Date.now() - started) / 1000 }));
  });
}

/** @param {string} out */
function mochaCounts(out) {
  const passing = /^\s*(\d+) passing/m.exec(out);
  const failing = /^\s*(\d+) failing/m.exec(out);
  const pending = /^\s*(\d+) pending/m.exec(out);
  return { passed: passing ? Number(passing[1]) : 0, failed: failing ? Number(failing[1]) : 0, skipped: pending ? Number(pending[1]) : 0 };
}

let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const r = await run(step);
  let c;
  if (step.counts === 'mocha') {
    c = mochaCounts(r.out);
    if (r.code !== 0 && c.failed === 0) {
      c.failed = 1; // crashed before mocha could report
    }
  } else {
    c = r.code === 0 ? { passed: 1, failed: 0, skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  }
  passed += c.passed;
  failed += c.failed;
  skipped += c.skipped;
  summary.push(
    `${step.name.padEnd(22)} ${r.code === 0 ? 'ok  ' : 'FAIL'} ${String(c.passed).padStart(5)} passed ${String(c.failed).padStart(3)} failed  ${r.seconds.toFixed(1)}s`,
  );
}
console.log('\n=== summary ===');
for (const line of summary) {
  console.log(line);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
