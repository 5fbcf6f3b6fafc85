// `npm run test:suite`: the in-host mocha suite inside a real VS Code (code-server) extension host.
//   build -> bundle test/suite -> emulator -> code-server (smoke-test driver) -> Chromium opens the
//   workbench with the `payload` (extensionDevelopmentPath + extensionTestsPath) -> mocha output is
//   streamed through codeAutomationLog, the exit code comes back through codeAutomationExit.
// Options: --no-build (skip npm run build), --no-emulator, --entry FILE (bundle and run another in-host
// entry with the same run() contract instead of test/suite, e.g. test/bench/host/heap.suite.ts),
// --out FILE (where that bundle goes; default out/suite/index.js), --emulator-args "ARGS" (appended to
// the emulator's default arguments, e.g. "--preset large"), --without-test-api (do not set the variable
// below). Env: GDAP_SUITE_GREP, GDAP_SUITE_TIMEOUT_MS, GDAP_SUITE_RUN_TIMEOUT_MS (whole run, default 10 min),
// GDAP_KEEP_SERVER_DIRS=1, GDAP_VERBOSE=1.
// The extension returns its test API from activate() only when GDAP_EXPLORER_TEST_API=1 is in the
// extension host's environment: this runner sets it in code-server's. Without --entry, a second, short
// run follows the suite: a fresh code-server WITHOUT the variable (and without the emulator) runs
// test/suite/sealed/index.ts, which checks that the extension's exports carry no test hook.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { artifactsDir, launchBrowser, workbenchUrl } from './browser.mjs';
import { bundleSuite } from './bundleSuite.mjs';
import { startEmulatorProcess } from './emulator.mjs';
import { ensureInstalled } from './install.mjs';
import { stopAll } from './lifecycle.mjs';
import { startCodeServer } from './server.mjs';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const argv = process.argv.slice(2);
const argValue = (/** @type {string} */ name) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : undefined;
};
const DEFAULT_EMULATOR_ARGS = ['--port', '0', '--time-scale', '20', '--seed', '1'];
const RUN_TIMEOUT_MS = Number(process.env.GDAP_SUITE_RUN_TIMEOUT_MS) || 10 * 60_000;
const verbose = process.env.GDAP_VERBOSE === '1';
const LOG_MARK = '\u2063gdap-mocha\u2063';
/** Read by src/extension/api.ts (TEST_API_ENV): the extension returns its test API only when it is '1'. */
const TEST_API_ENV = 'GDAP_EXPLORER_TEST_API';
const SEALED_ENTRY = 'test/suite/sealed/index.ts';

/** @param {string} msg */
function step(msg) {
  console.log(`[suite] ${msg}`);
}

/**
 * One in-host run: bundle `entry`, start the emulator (unless `useEmulator` is false) and code-server, wait
 * for the exit code. Over 80 lines on purpose: every step shares the emulator, the server, the browser and
 * the logs that the `finally` block must save and stop on every path.
 *
 * @param {{ entry?: string, out?: string, extraEmulatorArgs?: string[], useEmulator?: boolean, testApi?: boolean, artifacts?: string }} phase
 * @returns {Promise<number>} the run's exit code
 */
async function runPhase({ entry, out, extraEmulatorArgs = [], useEmulator = true, testApi = true, artifacts = 'suite' }) {
  const t0 = Date.now();
  const bundle = await bundleSuite(repoRoot, { entry, ...(out === undefined ? {} : { outfile: resolve(repoRoot, out) }) });
  step(`bundled ${bundle.files.length} ${entry === undefined ? 'test files' : 'entry'} -> ${bundle.outfile}`);

  const emulator = !useEmulator ? null : await startEmulatorProcess({ repoRoot, args: [...DEFAULT_EMULATOR_ARGS, ...extraEmulatorArgs] });
  if (emulator) {
    step(`emulator ${emulator.url} (pid ${emulator.pid})`);
  }
  const server = await startCodeServer({
    mode: 'suite',
    env: { ...emulator?.env, GDAP_SUITE_LOG_MARK: LOG_MARK, ...(testApi ? { [TEST_API_ENV]: '1' } : {}) },
    quiet: !verbose,
    timeoutMs: RUN_TIMEOUT_MS + 60_000,
  });
  step(`code-server ${server.url} (pid ${server.pid}, VS Code from ${server.layout.version}${testApi ? '' : `, without ${TEST_API_ENV}`})`);

  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  /** @type {Array<[string, string]>} */
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(bundle.outfile)],
  ];
  const browser = await launchBrowser();
  const arts = artifactsDir(repoRoot, artifacts);
  let code = 1;
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  /** @type {string[]} */
  const pageLog = [];
  /** @type {string[]} */
  const workbenchLog = [];
  try {
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      pageLog.push(`[${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => pageLog.push(`[pageerror] ${e.message}`));
    /** @type {(code: number) => void} */
    let resolveExit = () => undefined;
    /** @type {Promise<number>} */
    const exited = new Promise((r) => (resolveExit = r));
    // The workbench calls codeAutomationLog(type, args) for every console line of the window and the
    // extension host: mocha's report carries LOG_MARK and goes to stdout, the rest to workbench.log.
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown} */ args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (text.startsWith(LOG_MARK)) {
        process.stdout.write(`${text.slice(LOG_MARK.length)}\n`);
      } else {
        workbenchLog.push(`[${type}] ${text}`);
        if (verbose) {
          process.stderr.write(`[workbench ${type}] ${text}\n`);
        }
      }
    });
    await page.exposeFunction('codeAutomationExit', (/** @type {unknown} */ c) => {
      resolveExit(Number(c));
    });
    await page.goto(workbenchUrl(server, { folder: server.dirs.workspace, payload }), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    code = await Promise.race([
      exited,
      new Promise((/** @type {(code: number) => void} */ r) => {
        timer = setTimeout(() => {
          console.error(`[suite] no exit code within ${RUN_TIMEOUT_MS / 1000} s`);
          r(124);
        }, RUN_TIMEOUT_MS);
      }),
      new Promise((/** @type {(code: number) => void} */ r) => browser.on('disconnected', () => r(125))),
    ]);
    clearTimeout(timer);
  } catch (e) {
    console.error(`[suite] ${e instanceof Error ? e.stack : String(e)}`);
    code = 1;
  } finally {
    writeFileSync(join(arts, 'workbench.log'), workbenchLog.join('\n'));
    if (code !== 0) {
      try {
        await page?.screenshot({ path: join(arts, 'failure.png'), timeout: 10_000 });
      } catch {
        // the page may be gone
      }
      writeFileSync(join(arts, 'code-server.log'), server.log());
      writeFileSync(join(arts, 'browser-console.log'), pageLog.join('\n'));
      console.error(`[suite] artifacts in ${arts}`);
    }
    await browser.close().catch(() => undefined);
    await server.stop();
    await emulator?.stop();
  }
  step(`exit code ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return code;
}

/** @returns {Promise<number>} the suite's exit code */
async function main() {
  ensureInstalled();
  if (!argv.includes('--no-build')) {
    step('npm run build');
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (b.status !== 0) {
      throw new Error('npm run build failed');
    }
  }
  const entry = argValue('--entry');
  const code = await runPhase({
    entry,
    out: argValue('--out'),
    extraEmulatorArgs: argValue('--emulator-args')?.split(/\s+/).filter(Boolean) ?? [],
    useEmulator: !argv.includes('--no-emulator'),
    testApi: !argv.includes('--without-test-api'),
  });
  if (code !== 0 || entry !== undefined) {
    return code;
  }
  step(`sealed run: the extension's exports without ${TEST_API_ENV}`);
  return runPhase({ entry: SEALED_ENTRY, out: 'out/suite-sealed/index.js', useEmulator: false, testApi: false, artifacts: 'suite-sealed' });
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[suite] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
