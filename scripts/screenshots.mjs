// @ts-check
// `npm run screenshots`: regenerates the README's screenshots from the real VS Code. Runs the UI scenarios
// that keep them (scripts/vscode/runE2e.mjs: code-server with the packaged extension, the emulator's demo
// data, Chromium), then copies each named screenshot from test/artifacts/e2e/ into media/, where the README
// links them. Fails, copying nothing, when a scenario fails or a screenshot is missing.
//
//   node scripts/screenshots.mjs              package, run the scenarios, copy
//   node scripts/screenshots.mjs --no-package reuse dist/gdap-explorer.vsix
//   node scripts/screenshots.mjs --copy-only  only copy what the last run kept
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const artifacts = join(repoRoot, 'test', 'artifacts', 'e2e');

/**
 * Screenshot the scenarios keep (test/artifacts/e2e/<name>.png) → the README image it becomes, and the
 * scenario file that takes it.
 * @type {readonly { readonly shot: string; readonly image: string; readonly scenario: string }[]}
 */
export const SCREENSHOTS = [
  { shot: 'wording-tree', image: 'media/screenshot-tree.png', scenario: 'test/e2e/wording.e2e.ts' },
  { shot: 'wording-terminate-modal', image: 'media/screenshot-terminate.png', scenario: 'test/e2e/wording.e2e.ts' },
  { shot: 'wording-remove-progress', image: 'media/screenshot-progress.png', scenario: 'test/e2e/wording.e2e.ts' },
  { shot: 'de-tree', image: 'media/screenshot-german.png', scenario: 'test/e2e/german.e2e.ts' },
  { shot: 'templates-3-plan-diff', image: 'media/screenshot-template-plan.png', scenario: 'test/e2e/templates.e2e.ts' },
];

/** @param {string[]} argv */
function main(argv) {
  const copyOnly = argv.includes('--copy-only');
  const started = Date.now();
  if (!copyOnly) {
    const scenarios = [...new Set(SCREENSHOTS.map((s) => s.scenario))];
    const run = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts', 'vscode', 'runE2e.mjs'), ...(argv.includes('--no-package') ? ['--no-package'] : []), ...scenarios],
      { cwd: repoRoot, stdio: 'inherit' },
    );
    if (run.status !== 0) {
      console.error('[screenshots] the UI scenarios failed; no image was replaced.');
      return 1;
    }
  }
  const sources = SCREENSHOTS.map((s) => ({ ...s, from: join(artifacts, `${s.shot}.png`) }));
  // Without --copy-only, only screenshots taken by this run count (an old one would pass for new).
  const missing = sources.filter((s) => !existsSync(s.from) || (!copyOnly && statSync(s.from).mtimeMs < started));
  if (missing.length > 0) {
    console.error(`[screenshots] not taken by the scenarios: ${missing.map((s) => `${s.shot}.png`).join(', ')}; no image was replaced.`);
    return 1;
  }
  for (const s of sources) {
    copyFileSync(s.from, join(repoRoot, s.image));
    console.log(`[screenshots] ${s.image} ← test/artifacts/e2e/${s.shot}.png`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
