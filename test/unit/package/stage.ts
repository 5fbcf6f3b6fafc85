import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..', '..');

/** Folders a package may ship from: copied, since npm and vsce do not follow symlinks. */
const COPIED = new Set(['media', 'l10n', 'schemas']);

/**
 * A copy of the repository to package from, so packaging never rebuilds the working tree's dist/
 * while other tests use it. Top-level files and media/ are copied; the other folders (sources, tests,
 * docs, scripts, node_modules) are symlinked, so they are there to be wrongly included but cost
 * nothing; dist/ starts empty, so only what the build writes can end up in a package.
 */
export function stageRepository(prefix: string): { dir: string; stage: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const stage = join(dir, 'repo');
  mkdirSync(stage);
  for (const entry of readdirSync(ROOT, { withFileTypes: true })) {
    if (['.git', 'dist', 'out', '.vscode-test'].includes(entry.name) || /\.(vsix|tgz)$/.test(entry.name)) {
      continue;
    }
    const from = join(ROOT, entry.name);
    const to = join(stage, entry.name);
    if (entry.isFile()) {
      copyFileSync(from, to);
    } else if (COPIED.has(entry.name)) {
      cpSync(from, to, { recursive: true });
    } else {
      symlinkSync(from, to, 'dir');
    }
  }
  return { dir, stage };
}
