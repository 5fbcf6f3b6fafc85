// The in-host test files. scripts/vscode/bundleSuite.mjs replaces this module at bundle time with a
// generated list of lazy requires (so one bundled file carries every test). This fallback serves an
// unbundled build (tsc output): it finds the compiled *.test.js files next to the suite at run time.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface SuiteFile {
  /** Path shown to mocha, relative to the repository or the suite folder. */
  name: string;
  /** Evaluates the file, which registers its describe/it blocks. */
  load(): void;
}

function findCompiledTests(dir: string, out: string[]): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      findCompiledTests(p, out);
    } else if (e.name.endsWith('.test.js')) {
      out.push(p);
    }
  }
  return out;
}

export function suiteFiles(): SuiteFile[] {
  const root = join(__dirname, '..');
  return (
    findCompiledTests(root, [])
      .sort()
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha needs synchronous loading inside its require events
      .map((file) => ({ name: relative(root, file), load: (): void => void require(file) }))
  );
}
