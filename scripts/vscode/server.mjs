// @ts-check
// Starts code-server on 127.0.0.1 (any free port), isolated from the home folder, and stops it by
// process group. Two modes:
//   'suite' — in-host mocha through the workbench `payload` URL; VS Code 1.139 only runs it with the
//             smoke-test driver enabled (which also hides toasts);
//   'ui'    — the ordinary workbench for the Playwright scenarios and the demo.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ensureInstalled } from './install.mjs';
import { spawnTracked, stopTracked } from './lifecycle.mjs';

const READY_TIMEOUT_MS = 60_000;

/** @typedef {import('./server.mjs').InstallLayout} InstallLayout */
/** @typedef {import('./server.mjs').ServerDirs} ServerDirs */

/**
 * Writes `languagepacks.json` into the user data folder from the installed extensions that contribute
 * localizations, as VS Code's language pack service does when it first runs. The server reads that file
 * to resolve `--locale`, but an install from the command line does not write it, so without this a
 * language pack installed by `--install-extension` is ignored and the display language stays English.
 * @param {{ userData: string; extensions: string }} dirs
 */
function writeLanguagePackIndex(dirs) {
  /** @type {Record<string, { hash: string; extensions: { extensionIdentifier: { id: string }; version: string }[]; translations: Record<string, string>; label: string }>} */
  const packs = {};
  for (const entry of readdirSync(dirs.extensions, { withFileTypes: true })) {
    const manifestPath = join(dirs.extensions, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifestPath)) {
      continue;
    }
    /** @type {{ publisher: string; name: string; version: string; contributes?: { localizations?: { languageId: string; languageName?: string; localizedLanguageName?: string; translations: { id: string; path: string }[] }[] } }} */
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    for (const loc of manifest.contributes?.localizations ?? []) {
      const pack = (packs[loc.languageId] ??= {
        hash: `${manifest.publisher}.${manifest.name}-${manifest.version}`,
        extensions: [],
        translations: {},
        label: loc.localizedLanguageName ?? loc.languageName ?? loc.languageId,
      });
      pack.extensions.push({ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version });
      for (const t of loc.translations) {
        pack.translations[t.id] = join(dirs.extensions, entry.name, t.path);
      }
    }
  }
  writeFileSync(join(dirs.userData, 'languagepacks.json'), JSON.stringify(packs));
}

/**
 * @param {string} root
 * @returns {ServerDirs}
 */
function isolatedDirs(root) {
  const dirs = {
    root,
    config: join(root, 'config'),
    data: join(root, 'data'),
    cache: join(root, 'cache'),
    tmp: join(root, 'tmp'),
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
  };
  for (const d of Object.values(dirs)) {
    mkdirSync(d, { recursive: true });
  }
  return dirs;
}

/**
 * @param {InstallLayout} layout
 * @param {ServerDirs} dirs
 * @param {Record<string, string>} extra
 * @returns {NodeJS.ProcessEnv}
 */
function serverEnv(layout, dirs, extra) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {
    ...process.env,
    ...extra,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
  };
  // Keep the outer test process's settings out of the extension host.
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI;
  if (layout.nodeBinDir) {
    env.PATH = `${layout.nodeBinDir}${delimiter}${process.env.PATH ?? ''}`;
  }
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) {
      delete env[k];
    }
  }
  return env;
}

/** @param {ServerDirs} dirs */
function baseArgs(dirs) {
  return ['--config', join(dirs.config, 'code-server.yaml'), '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
}

/**
 * `code-server --install-extension <vsix>` into `dirs.extensions` (a fresh folder per server).
 *
 * @param {{ layout: InstallLayout; dirs: ServerDirs; vsix: string; env?: Record<string, string> }} options
 * @returns {string}
 */
export function installExtension({ layout, dirs, vsix, env = {} }) {
  const r = spawnSync(layout.node, [layout.entry, ...baseArgs(dirs), '--install-extension', vsix], {
    env: serverEnv(layout, dirs, env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) {
    throw new Error(`installing ${vsix} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

/**
 * @param {string} url
 * @param {{ exited: boolean }} child
 * @param {number} deadline
 * @returns {Promise<void>}
 */
async function waitHealthy(url, child, deadline) {
  /** @type {unknown} */
  let lastError;
  while (Date.now() < deadline) {
    if (child.exited) {
      throw new Error('code-server exited before it was ready');
    }
    try {
      const res = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) {
        return;
      }
      lastError = new Error(`healthz ${res.status}`);
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server not healthy in time: ${lastError instanceof Error ? lastError.message : 'no answer'}`);
}

/**
 * @param {object} options
 * @param {'suite'|'ui'} options.mode
 * @param {Record<string,string>} [options.env] extra environment for code-server (reaches the extension host)
 * @param {string} [options.vsix] a packaged extension to install first
 * @param {string} [options.rootDir] where the isolated folders go (default: a new temp folder, removed on stop)
 * @param {number} [options.timeoutMs] hard bound on the server's lifetime
 * @param {boolean} [options.quiet] do not echo the server's log
 * @param {Record<string, unknown>} [options.settings] user settings.json content
 * @param {string[]} [options.args] extra code-server arguments (e.g. `--locale`, `de`)
 * @param {string[]} [options.extraVsix] further extensions to install (e.g. a language pack)
 * @returns {Promise<import('./server.mjs').RunningCodeServer>}
 *
 * Over 80 lines on purpose: the settings, the spawn, the wait for the URL and the cleanup on failure
 * share the process and the temporary root, and read best top to bottom.
 */
export async function startCodeServer({
  mode,
  env = {},
  vsix,
  rootDir,
  timeoutMs = 20 * 60_000,
  quiet = true,
  settings,
  args: extraArgs = [],
  extraVsix = [],
}) {
  if (mode !== 'suite' && mode !== 'ui') {
    throw new Error(`mode must be 'suite' or 'ui', not ${String(mode)}`);
  }
  const layout = ensureInstalled({ quiet: true });
  const ownRoot = !rootDir;
  const root = rootDir ?? mkdtempSync(join(tmpdir(), 'gdap-code-server-'));
  const dirs = isolatedDirs(root);
  const userSettings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // The emulator grants the optional GroupMember.Read.All scope, as a tenant does once an admin has
    // consented to it; the demo and the tests run with group names on (the extension's default is off).
    ...(env.GDAP_EMULATOR_URL ? { 'gdap.resolveGroupNames': true } : {}),
    ...settings,
  };
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(join(dirs.userData, 'User', 'settings.json'), JSON.stringify(userSettings, null, 2));
  if (vsix) {
    installExtension({ layout, dirs, vsix, env });
  }
  for (const extra of extraVsix) {
    installExtension({ layout, dirs, vsix: extra, env });
  }
  if (extraVsix.length > 0) {
    writeLanguagePackIndex(dirs);
  }
  const args = [
    layout.entry,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    ...baseArgs(dirs),
    '--disable-telemetry',
    '--disable-update-check',
    // Trust is off unless a scenario turns it on in the user settings (e.g. to open a folder in Restricted Mode).
    ...(userSettings['security.workspace.trust.enabled'] === true ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...extraArgs,
  ];
  if (mode === 'suite' && !layout.legacy) {
    args.push('--vscode-option', 'enable-smoke-test-driver');
  }
  args.push(dirs.workspace);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const proc = spawnTracked(layout.node, args, {
    name: `code-server (${mode})`,
    env: serverEnv(layout, dirs, env),
    stdio: ['ignore', 'pipe', 'pipe'],
    timeoutMs,
  });
  let logText = '';
  /** @type {(seen: { url: string; port: number }) => void} */
  let resolveUrl = () => undefined;
  /** @type {Promise<{ url: string; port: number }>} */
  const urlSeen = new Promise((r) => (resolveUrl = r));
  const onData = (/** @type {Buffer} */ chunk) => {
    const s = chunk.toString();
    logText += s;
    if (!quiet) {
      process.stderr.write(s.replace(/^/gm, '[code-server] '));
    }
    const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(logText);
    if (m) {
      resolveUrl({ url: m[1], port: Number(m[2]) });
    }
  };
  proc.child.stdout?.on('data', onData);
  proc.child.stderr?.on('data', onData);
  const stop = async () => {
    await stopTracked(proc);
    if (ownRoot && !process.env.GDAP_KEEP_SERVER_DIRS) {
      rmSync(root, { recursive: true, force: true });
    }
  };
  try {
    const seen = await Promise.race([
      urlSeen,
      proc.exitPromise.then((r) => {
        throw new Error(`code-server exited (${r.code ?? r.signal}) before listening:\n${logText}`);
      }),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`code-server did not listen within ${READY_TIMEOUT_MS / 1000} s:\n${logText}`)),
          READY_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    await waitHealthy(seen.url, proc, deadline);
    if (proc.pid === undefined) {
      // unreachable once healthz answered; narrows the type
      throw new Error('code-server has no process id');
    }
    return {
      url: seen.url,
      port: seen.port,
      pid: proc.pid,
      mode,
      dirs,
      layout,
      log: () => logText,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
