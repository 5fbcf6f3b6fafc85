import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { Script } from 'node:vm';

/*
 * V8's code cache for the CLI bundle. Compiling the ≈ 0.9 MB bundle and the
 * functions a run needs costs ≈ 0.1 s of CPU on every start (BENCHMARKS.md, "CLI start-up"); V8 can
 * keep that work in a file and reuse it. Node 22.1+ does this itself (`module.enableCompileCache`);
 * on Node 20 the bundle is compiled through `vm.Script` with `cachedData`, as Node's own cache does.
 *
 * The cache is an optimisation only: any problem with it (no cache folder, a file V8 rejects, a full
 * disk) runs the bundle the ordinary way, and nothing of it reaches the output. The file lives in the
 * user's own cache folder (created 0700), never a shared temporary folder: V8 trusts bytecode it is
 * given, so only the user may write it. Its name holds a hash of the bundle's text, Node's version and
 * the architecture, so a new build or a new Node never reads an old file.
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as it does for Node's own cache.
 *
 * A file holds the functions the runs that wrote it compiled. Written only by the first run of a build,
 * it served every later command with that run's functions only: after `gdap --version` (≈ 0.47 MB of
 * cache) an inventory compiled the rest on every start, ≈ 45 ms at 300 customers against a cache an
 * inventory wrote (≈ 0.95 MB). So a note beside the file (`cli-<key>.json`) lists the commands whose
 * runs are in it, and the first run of a command not listed writes the file again when it ends: V8
 * writes what it read from the file and what this run compiled, so the file grows to the commands
 * used, once each (BENCHMARKS.md, "Inventory, sixth pass").
 */

/** The user's cache folder for the CLI's code cache, by platform conventions. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return path.join(env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'), 'gdap-explorer', 'Cache', 'code');
  }
  if (platform === 'darwin') {
    return path.join(homedir(), 'Library', 'Caches', 'gdap-explorer', 'code');
  }
  const base =
    env.XDG_CACHE_HOME !== undefined && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homedir(), '.cache');
  return path.join(base, 'gdap-explorer', 'code');
}

/** `require(file)`, the ordinary way. */
function load(file: string): void {
  nodeModule.createRequire(file)(file);
}

type CompileCacheApi = { enableCompileCache?: (dir?: string) => unknown };

/** What happened, for the tests: whether a cache file was used, or why the bundle ran without one. */
export type CodeCacheOutcome = 'disabled' | 'native' | 'hit' | 'miss' | 'rejected' | 'unavailable';

/**
 * Runs the CommonJS bundle `file` as `require(file)` would, through the code cache when it can.
 * Returns how the cache was used (after the bundle's top level has run).
 */
export interface CodeCacheHooks {
  /** Called just before a cache file is written (when the process ends), e.g. to set V8's flags back. */
  readonly beforeCacheWrite?: () => void;
}

export function runWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env, hooks: CodeCacheHooks = {}): CodeCacheOutcome {
  if (env.NODE_DISABLE_COMPILE_CACHE !== undefined && env.NODE_DISABLE_COMPILE_CACHE !== '') {
    load(file);
    return 'disabled';
  }
  let dir: string;
  try {
    dir = codeCacheDir(env);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    load(file);
    return 'unavailable';
  }
  const native = (nodeModule as unknown as CompileCacheApi).enableCompileCache;
  if (typeof native === 'function') {
    try {
      native(dir);
    } catch {
      // The run goes on uncached.
    }
    load(file);
    return 'native';
  }
  return runThroughScript(file, dir, hooks);
}

function runThroughScript(file: string, dir: string, hooks: CodeCacheHooks): CodeCacheOutcome {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    load(file);
    return 'unavailable';
  }
  // The file's bytes are hashed as read (the hash of the text would encode it again: ≈ 3 ms of every start).
  const key = createHash('sha256').update(bytes).update(`\n${process.version}\n${process.arch}`).digest('hex').slice(0, 32);
  const source = bytes.toString('utf8');
  const cacheFile = path.join(dir, `cli-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(nodeModule.wrap(source.startsWith('#!') ? `//${source}` : source), { filename: file, cachedData });
  const outcome: CodeCacheOutcome = cachedData === undefined ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  const command = commandOf(process.argv.slice(2));
  const covered = outcome === 'hit' ? coveredCommands(cacheFile) : [];
  if (!covered.includes(command)) {
    // Written when the process ends, so that the functions this run compiled are in it too.
    process.once('exit', () => {
      hooks.beforeCacheWrite?.();
      writeCache(script, cacheFile, [...covered, command]);
    });
  }
  const mod = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, nodeModule.createRequire(file), mod, file, path.dirname(file));
  return outcome;
}

/** The command a run is for: its first word that is not an option (`-` for none, e.g. `--version`). */
export function commandOf(args: readonly string[]): string {
  const word = args.find((a) => !a.startsWith('-'));
  if (word === undefined) {
    return '-';
  }
  return /^[a-z][a-z-]{0,31}$/.test(word) ? word : '?';
}

/** The note beside a cache file: the commands whose runs wrote it. */
function notePath(cacheFile: string): string {
  return cacheFile.replace(/\.bin$/, '.json');
}

/** The commands a cache file holds the runs of; none when its note is missing or unreadable. */
export function coveredCommands(cacheFile: string): string[] {
  try {
    const note = JSON.parse(readFileSync(notePath(cacheFile), 'utf8')) as { commands?: unknown };
    return Array.isArray(note.commands) ? note.commands.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

function writeAtomically(file: string, data: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600 });
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

function writeCache(script: Script, cacheFile: string, commands: readonly string[]): void {
  try {
    writeAtomically(cacheFile, script.createCachedData());
    writeAtomically(notePath(cacheFile), JSON.stringify({ commands }));
  } catch {
    return;
  }
  pruneCacheFiles(path.dirname(cacheFile), cacheFile);
}

/** Cache files kept: the one just written and the newest others (e.g. two installed versions in turn). */
const KEPT_CACHE_FILES = 3;
const CACHE_FILE = /^cli-[0-9a-f]{32}\.bin$/;

/**
 * Each build and each Node version has its own file (≈ 1 MB); without pruning, every upgrade left one
 * behind for good. Removes all but the newest `KEPT_CACHE_FILES`, never `keep`; any problem leaves the
 * folder as it is.
 */
export function pruneCacheFiles(dir: string, keep: string): void {
  try {
    const others = readdirSync(dir)
      .filter((name) => CACHE_FILE.test(name) && path.join(dir, name) !== keep)
      .map((name) => ({ file: path.join(dir, name), mtimeMs: statSync(path.join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const old of others.slice(KEPT_CACHE_FILES - 1)) {
      rmSync(old.file, { force: true });
      rmSync(notePath(old.file), { force: true });
    }
  } catch {
    // Pruning is housekeeping: the run's answer never depends on it.
  }
}
