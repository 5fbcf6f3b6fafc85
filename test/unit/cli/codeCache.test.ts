import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { codeCacheDir, commandOf, coveredCommands, pruneCacheFiles } from '../../../src/cli/codeCache';
import { bundleCliWithLauncher } from './harness/bundledCli';

/*
 * The CLI's launcher and V8's code cache (src/cli/codeCache.ts), as a user runs them: the real launcher
 * and the real CLI bundle built with esbuild into a temporary folder, run as child processes. What is
 * checked is what a user can see: the same answers with and without the cache, the cache file in the
 * user's cache folder only, a damaged file replaced, never an error.
 */

function gdap(cli: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('CLI code cache (launcher + bundle)', function () {
  this.timeout(60_000);
  let dir: string;
  let cli: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gdap-code-cache-'));
    cli = await bundleCliWithLauncher(path.join(dir, 'dist'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function envWithCache(name: string): { env: NodeJS.ProcessEnv; cacheDir: string } {
    const xdg = path.join(dir, name);
    return {
      env: { PATH: process.env.PATH, HOME: path.join(dir, 'home'), XDG_CACHE_HOME: xdg },
      cacheDir: path.join(xdg, 'gdap-explorer', 'code'),
    };
  }

  const binFiles = (cacheDir: string): string[] => readdirSync(cacheDir).filter((f) => f.endsWith('.bin'));

  it('writes the cache on the first run, reads it on the next, with the same answers as without it', async () => {
    const { env, cacheDir } = envWithCache('fresh');
    const first = await gdap(cli, ['--help'], env);
    assert.equal(first.code, 0, first.stderr);
    const [file] = binFiles(cacheDir);
    assert.ok(file !== undefined, 'a cache file after the first run');
    assert.equal(statSync(cacheDir).mode & 0o077, 0, 'the cache folder is private to the user');
    const written = statSync(path.join(cacheDir, file)).mtimeMs;
    const second = await gdap(cli, ['--help'], env);
    assert.deepEqual(second, first);
    assert.deepEqual(binFiles(cacheDir), [file], 'no second file');
    assert.equal(statSync(path.join(cacheDir, file)).mtimeMs, written, 'an accepted cache is not rewritten');
    const uncached = await gdap(cli, ['--help'], { ...env, NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(uncached, first);
    // A usage error keeps its exit code and text through the launcher.
    const bad = await gdap(cli, ['inventory', '--client-id', 'nope', '--tenant', 'contoso.com'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--client-id must be/);
  });

  it('grows the cache once for each command not in it yet: a later command keeps its functions too', async () => {
    const { env, cacheDir } = envWithCache('growing');
    assert.equal((await gdap(cli, ['--version'], env)).code, 0);
    const [file] = binFiles(cacheDir);
    const target = path.join(cacheDir, file);
    assert.deepEqual(coveredCommands(target), ['-']);
    const thin = statSync(target).size;
    const bad = await gdap(cli, ['inventory', '--client-id', 'nope', '--tenant', 'contoso.com'], env);
    assert.equal(bad.code, 2);
    assert.deepEqual(coveredCommands(target), ['-', 'inventory'], 'the new command is noted');
    const grown = statSync(target);
    assert.ok(grown.size > thin, `the file holds what the inventory run compiled as well (${thin} → ${grown.size} bytes)`);
    assert.deepEqual(binFiles(cacheDir), [file], 'still one file');
    assert.equal(grown.mode & 0o077, 0, 'private to the user');
    // Neither command writes it again.
    const again = await gdap(cli, ['inventory', '--client-id', 'nope', '--tenant', 'contoso.com'], env);
    assert.deepEqual(again, bad);
    assert.equal((await gdap(cli, ['--version'], env)).code, 0);
    assert.equal(statSync(target).mtimeMs, grown.mtimeMs, 'a covered command does not rewrite it');
  });

  it('names the command of a run by its first word that is not an option', () => {
    assert.equal(commandOf(['inventory', '--assignments']), 'inventory');
    assert.equal(commandOf(['--quiet', 'access', '--format', 'csv']), 'access');
    assert.equal(commandOf(['--version']), '-');
    assert.equal(commandOf([]), '-');
    assert.equal(commandOf(['../../etc/passwd']), '?', 'nothing but a command name becomes part of the note');
  });

  it('keeps the newest three cache files: older builds and Node versions leave nothing behind for good', () => {
    const cacheDir = mkdtempSync(path.join(dir, 'prune-'));
    const names = Array.from({ length: 6 }, (_, i) => `cli-${String(i).repeat(32)}.bin`);
    names.forEach((name, i) => {
      const file = path.join(cacheDir, name);
      writeFileSync(file, 'x');
      writeFileSync(file.replace(/\.bin$/, '.json'), '{"commands":["-"]}');
      utimesSync(file, 1_000 + i, 1_000 + i);
    });
    writeFileSync(path.join(cacheDir, 'notes.txt'), 'not ours');
    // The file just written is the oldest by time here: it is kept whatever its time says.
    pruneCacheFiles(cacheDir, path.join(cacheDir, names[0]));
    const kept = [names[0], names[4], names[5]];
    assert.deepEqual(readdirSync(cacheDir).sort(), [...kept, ...kept.map((n) => n.replace(/\.bin$/, '.json')), 'notes.txt'].sort());
    // A folder that cannot be read is no error.
    pruneCacheFiles(path.join(cacheDir, 'missing'), path.join(cacheDir, names[0]));
  });

  it('replaces a damaged cache file and answers as before', async () => {
    const { env, cacheDir } = envWithCache('damaged');
    const first = await gdap(cli, ['--version'], env);
    assert.equal(first.code, 0, first.stderr);
    const [file] = binFiles(cacheDir);
    const target = path.join(cacheDir, file);
    writeFileSync(target, Buffer.from('not a code cache'));
    const second = await gdap(cli, ['--version'], env);
    assert.deepEqual(second, first);
    assert.notEqual(readFileSync(target).toString('latin1'), 'not a code cache', 'the rejected file was written again');
  });

  it('runs without a cache when the cache folder cannot be made', async () => {
    const blocker = path.join(dir, 'blocked');
    writeFileSync(blocker, 'a file where the cache folder would go');
    const env = { PATH: process.env.PATH, HOME: path.join(dir, 'home'), XDG_CACHE_HOME: blocker };
    const run = await gdap(cli, ['--version'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  it('names the cache folder by platform convention', () => {
    assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux'), path.join('/x/cache', 'gdap-explorer', 'code'));
    assert.match(codeCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux'), /\.cache[/\\]gdap-explorer[/\\]code$/);
    assert.equal(
      codeCacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32'),
      path.join('C:\\Users\\a\\AppData\\Local', 'gdap-explorer', 'Cache', 'code'),
    );
    assert.match(codeCacheDir({}, 'darwin'), /Library[/\\]Caches[/\\]gdap-explorer[/\\]code$/);
  });
});
