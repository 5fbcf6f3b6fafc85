// @ts-check
// `npm run test:electron`: the same in-host bundle (out/suite/index.js, run() contract) through
// @vscode/test-electron, for machines that can download a desktop VS Code. Here the download host
// is unreachable, so this fails at the download step; `npm test` uses runSuite.mjs instead.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { bundleSuite } from './bundleSuite.mjs';
import { startEmulatorProcess } from './emulator.mjs';
import { stopAll } from './lifecycle.mjs';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..', '..');

async function main() {
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    if (b.status !== 0) {
      throw new Error('npm run build failed');
    }
  }
  const bundle = await bundleSuite(repoRoot);
  const emulator = await startEmulatorProcess({ repoRoot });
  const workspace = mkdtempSync(join(tmpdir(), 'gdap-electron-'));
  try {
    await runTests({
      version: process.env.GDAP_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: bundle.outfile,
      // The extension returns its test API only with this variable (src/extension/api.ts, TEST_API_ENV).
      extensionTestsEnv: { ...(emulator?.env ?? {}), GDAP_EXPLORER_TEST_API: '1' },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
    return 0;
  } finally {
    await emulator?.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main();
} catch (e) {
  console.error(`[electron] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
