import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { capYoungGeneration } from '../../../src/cli/youngGeneration';

/*
 * The CLI's cap on V8's young generation (src/cli/youngGeneration.ts). V8's flags belong to the
 * process, so each case runs in a child process of its own with the real module (through the same
 * TypeScript loader as these tests).
 */

const REGISTER = path.join(__dirname, '..', 'register.cjs');
const MODULE = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'youngGeneration.ts');

/** Runs `body` (JavaScript, with `cap` and `v8` in scope) in a child process; resolves with its stdout. */
function child(body: string, nodeArgs: readonly string[] = []): Promise<string> {
  const script = `
    const v8 = require('node:v8');
    const { capYoungGeneration } = require(${JSON.stringify(MODULE)});
    const youngMb = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
    // Objects that live on, as an inventory being built does: each collection keeps them.
    const kept = [];
    const grow = (n) => { for (let i = 0; i < n; i++) kept.push({ id: 'item-' + i, list: [i, i + 1], nested: { at: i } }); };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    (async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeArgs, '-r', REGISTER, '-e', script], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null) {
        reject(new Error(`${error.message}\n${stderr}`));
        return;
      }
      resolve(stdout);
    });
  });
}

describe('the CLI young generation cap', function () {
  this.timeout(60_000);

  it("stops the young generation growing at the cap, where it otherwise grows to V8's own maximum", async () => {
    const grown = async (withCap: boolean): Promise<{ mb: number; capped: boolean }> => {
      const out = await child(`
        const cap = ${withCap ? 'capYoungGeneration()' : 'undefined'};
        for (let round = 0; round < 40; round++) { grow(20000); await settle(); }
        console.log(JSON.stringify({ mb: youngMb(), capped: cap !== undefined && cap.capped() }));
      `);
      return JSON.parse(out) as { mb: number; capped: boolean };
    };
    const [capped, free] = await Promise.all([grown(true), grown(false)]);
    assert.equal(capped.capped, true);
    // 8 MB: two semi-spaces of 4 MB (a growth under way when the cap is reached may add one step).
    assert.ok(capped.mb <= 2 * 8.5, `capped: ${capped.mb} MB`);
    assert.ok(free.mb > 2 * 8.5, `without the cap: ${free.mb} MB`);
  });

  it('sets the flag back so that a code cache written after it is taken by the next run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdap-young-'));
    try {
      const cacheFile = path.join(dir, 'cache.bin');
      const source = 'function add(a, b) { return a + b; } add(1, 2);';
      const write = (restore: boolean): Promise<string> =>
        child(`
          const { Script } = require('node:vm');
          const script = new Script(${JSON.stringify(source)});
          script.runInThisContext();
          const cap = capYoungGeneration();
          for (let round = 0; round < 40 && !cap.capped(); round++) { grow(20000); await settle(); }
          if (!cap.capped()) throw new Error('the cap was not reached');
          ${restore ? 'cap.restore();' : ''}
          require('node:fs').writeFileSync(${JSON.stringify(cacheFile)}, script.createCachedData());
        `);
      const rejected = async (): Promise<boolean> => {
        const out = await child(`
          const { Script } = require('node:vm');
          const script = new Script(${JSON.stringify(source)}, { cachedData: require('node:fs').readFileSync(${JSON.stringify(cacheFile)}) });
          console.log(String(script.cachedDataRejected));
        `);
        return out.trim() === 'true';
      };
      await write(false);
      assert.equal(await rejected(), true, 'a cache written under the changed flag is refused');
      await write(true);
      assert.equal(await rejected(), false, 'after restore the cache is taken');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves the young generation alone when the user sizes it (Node's options or NODE_OPTIONS)", async () => {
    assert.equal(capYoungGeneration(undefined, ['--max-semi-space-size=64'], undefined), undefined);
    assert.equal(capYoungGeneration(undefined, [], '--semi-space-growth-factor=4 --enable-source-maps'), undefined);
    const out = await child(
      `
        const cap = capYoungGeneration();
        for (let round = 0; round < 40; round++) { grow(20000); await settle(); }
        console.log(JSON.stringify({ watched: cap !== undefined, mb: youngMb() }));
      `,
      ['--max-semi-space-size=2'],
    );
    const seen = JSON.parse(out) as { watched: boolean; mb: number };
    assert.equal(seen.watched, false);
    assert.ok(seen.mb <= 2 * 2.5, `the user's 2 MB semi-spaces: ${seen.mb} MB`);
  });
});
