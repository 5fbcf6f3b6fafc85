// @ts-check
// `npm run test:e2e`: the UI scenarios (test/e2e/**/*.e2e.ts) with mocha. Packages the VSIX first
// (npm run package -> dist/gdap-explorer.vsix); each scenario file starts its own emulator,
// code-server (extension installed from that VSIX) and Chromium through test/e2e/harness.
// Options: --no-package, and any further arguments go to mocha (e.g. a file, --grep).
// Env: GDAP_E2E_RUN_TIMEOUT_MS (whole run, default 15 min), GDAP_VERBOSE=1, GDAP_HEADED=1.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureInstalled } from './install.mjs';
import { spawnTracked, stopAll } from './lifecycle.mjs';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const RUN_TIMEOUT_MS = Number(process.env.GDAP_E2E_RUN_TIMEOUT_MS) || 15 * 60_000;
const argv = process.argv.slice(2);
const noPackage = argv.includes('--no-package');
const mochaExtra = argv.filter((a) => a !== '--no-package');

/**
 * @param {string} dir
 * @param {string[]} [out]
 * @returns {string[]}
 */
function findScenarios(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'harness') {
      findScenarios(p, out);
    } else if (e.name.endsWith('.e2e.ts')) {
      out.push(p);
    }
  }
  return out;
}

async function main() {
  const t0 = Date.now();
  ensureInstalled();
  const vsix = join(repoRoot, 'dist', 'gdap-explorer.vsix');
  if (!noPackage) {
    console.log('[e2e] npm run package');
    const p = spawnSync('npm', ['run', '--silent', 'package'], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...process.env, npm_config_yes: 'true' },
    });
    if (p.status !== 0) {
      throw new Error('npm run package failed');
    }
  }
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} is missing`);
  }
  const positional = mochaExtra.filter((a) => !a.startsWith('-'));
  const files = positional.length > 0 ? [] : findScenarios(join(repoRoot, 'test', 'e2e')).sort();
  const mochaBin = join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const args = [
    mochaBin,
    '--no-config',
    '-r',
    join(repoRoot, 'test', 'unit', 'register.cjs'),
    '--extension',
    'ts',
    '--timeout',
    '120000',
    '--slow',
    '10000',
    '--reporter',
    'spec',
    '--exit',
    ...files,
    ...mochaExtra,
  ];
  const mocha = spawnTracked(process.execPath, args, {
    name: 'e2e mocha',
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, GDAP_E2E_VSIX: vsix, FORCE_COLOR: '0' },
    timeoutMs: RUN_TIMEOUT_MS,
  });
  const { code, signal } = await mocha.exitPromise;
  console.log(
    `[e2e] mocha exited with ${code ?? signal} in ${((Date.now() - t0) / 1000).toFixed(1)} s; artifacts (on failure) in test/artifacts/e2e/`,
  );
  return code ?? 1;
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[e2e] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
