import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? tsFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const importsVscode = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('layering (docs/architecture.md §1)', () => {
  for (const layer of ['src/core', 'src/cli', 'src/emulator']) {
    it(`nothing under ${layer} imports vscode`, () => {
      const offenders = tsFiles(layer).filter((f) => importsVscode.test(readFileSync(f, 'utf8')));
      assert.deepEqual(offenders, []);
    });
  }

  it('the emulator imports no client code from core', () => {
    const clientCode = /from\s+['"][^'"]*core\/(?:http|graph|partnerCenter|actions|auth)\//;
    const offenders = tsFiles('src/emulator').filter((f) => clientCode.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
