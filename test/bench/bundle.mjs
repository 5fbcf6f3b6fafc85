// @ts-check
// Scenario 5a: size of the minified extension bundle and what it is made of (the esbuild metafile of
// the production build), and a check that msal-node is split out into dist/msal.js and still loads
// through loadMsal() exactly as the extension bundle loads it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const kb = (/** @type {number} */ bytes) => Math.round((bytes / 1024) * 10) / 10;
const MSAL_DEPS = new Set([
  'semver',
  'jsonwebtoken',
  'jws',
  'jwa',
  'ecdsa-sig-formatter',
  'ms',
  'safe-buffer',
  'buffer-equal-constant-time',
  'uuid',
]);

/** @param {string} input */
function group(input) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (m !== null) {
    return m[1].startsWith('@azure/msal') || MSAL_DEPS.has(m[1]) || m[1].startsWith('lodash.') ? `${m[1]} (msal-node)` : m[1];
  }
  return input.split('/').slice(0, 3).join('/');
}

/** @param {string} root */
export function measureBundle(root) {
  const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--production', '--metafile'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (build.status !== 0) {
    throw new Error(`production build failed: ${build.stderr}`);
  }
  const meta = JSON.parse(readFileSync(path.join(root, 'dist/extension.meta.json'), 'utf8'));
  const out = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  const groups = new Map();
  for (const [input, v] of Object.entries(out.inputs)) {
    const g = group(input);
    groups.set(g, (groups.get(g) ?? 0) + v.bytesInOutput);
  }
  const breakdown = [...groups]
    .sort((a, b) => b[1] - a[1])
    .filter(([, v]) => v >= 1024)
    .map(([k, v]) => [k, kb(v)]);
  const msalInExtension = Object.keys(out.inputs).some((i) => i.includes('node_modules/@azure/msal'));

  // The extension bundle's loadMsal() must find dist/msal.js beside it: run the bundle's own loader.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gdap-bench-msal-'));
  let msalSplitLoads = false;
  try {
    mkdirSync(path.join(dir, 'node_modules', 'vscode'), { recursive: true });
    copyFileSync(path.join(root, 'dist/extension.js'), path.join(dir, 'extension.js'));
    copyFileSync(path.join(root, 'dist/msal.js'), path.join(dir, 'msal.js'));
    // Find the minified loader: the only place that requires ./msal.js.
    const text = readFileSync(path.join(dir, 'extension.js'), 'utf8');
    const found = /function (\w+)\(\)\{return \w+\?\?=Promise\.resolve\(\)\.then\(\(\)=>\w+\(require\("\.\/msal\.js"\)\)\),\w+\}/.exec(
      text,
    );
    if (found !== null) {
      const probe = `
        const Module = require('node:module');
        const load = Module._load;
        Module._load = function (request, ...rest) { return request === 'vscode' ? new Proxy({}, { get: () => new Proxy(function () {}, { get: (t, k) => (k === 'then' ? undefined : t), apply: () => ({}), construct: () => ({}) }) }) : load.call(this, request, ...rest); };
        const fs = require('node:fs');
        const src = fs.readFileSync(${JSON.stringify(path.join(dir, 'extension.js'))}, 'utf8') + ';module.exports.__loadMsal=${found[1]};';
        const m = new Module(${JSON.stringify(path.join(dir, 'extension.js'))});
        m.filename = ${JSON.stringify(path.join(dir, 'extension.js'))};
        m.paths = Module._nodeModulePaths(${JSON.stringify(dir)});
        m._compile(src, m.filename);
        m.exports.__loadMsal().then((x) => console.log(typeof x.PublicClientApplication + ' ' + typeof x.ConfidentialClientApplication), (e) => console.log('error ' + e.message));
      `;
      const p = spawnSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      msalSplitLoads = p.stdout.trim() === 'function function';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    extensionKB: kb(statSync(path.join(root, 'dist/extension.js')).size),
    msalKB: kb(statSync(path.join(root, 'dist/msal.js')).size),
    cliKB: kb(statSync(path.join(root, 'dist/cli.js')).size),
    msalInExtension,
    msalSplitLoads,
    breakdown,
  };
}
