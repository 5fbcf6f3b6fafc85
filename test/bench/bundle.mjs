// @ts-check
// Scenario 5a: size of the minified extension bundle and what it is made of (the esbuild metafile of
// the production build), the bundles split out of it and loaded on first use (dist/msal.js,
// dist/graphSdk.js, dist/features.js), and a check that each loads through the extension bundle's own
// loader with one instance of the modules on both sides (test/unit/package/bundleProbe.cjs, run over a
// build of the same sources that keeps the loaders' names, in a temporary folder).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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

/**
 * @param {string} root
 * @param {string} name
 */
function ownInputs(root, name) {
  const meta = JSON.parse(readFileSync(path.join(root, `dist/${name}.meta.json`), 'utf8'));
  const out = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  return { meta, out, inputs: Object.keys(out.inputs) };
}

/**
 * Loads the bundles of `root` through the extension bundle's own loaders (in a child process: the probe
 * stands in for the vscode module). Until this change the bench's own stand-in answered no name through
 * esbuild's CommonJS interop (it copies own properties, and a bare Proxy has none), so the bundle threw at
 * its first module-level `vscode.X` and "loadMsal works: NO" was the harness's failure, not the split's.
 * @param {string} root
 */
function probeLoaders(root) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gdap-bench-bundles-'));
  try {
    const build = spawnSync(process.execPath, ['esbuild.config.mjs', '--outdir', dir], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0) {
      return { failed: `build failed: ${build.stderr}` };
    }
    const p = spawnSync(process.execPath, [path.join(root, 'test/unit/package/bundleProbe.cjs'), dir], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    try {
      return JSON.parse(p.stdout.trim().split('\n').pop() ?? '');
    } catch {
      return { failed: `${p.stdout}\n${p.stderr}` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const { out, inputs } = ownInputs(root, 'extension');
  const groups = new Map();
  for (const [input, v] of Object.entries(out.inputs)) {
    const g = group(input);
    groups.set(g, (groups.get(g) ?? 0) + v.bytesInOutput);
  }
  const breakdown = [...groups]
    .sort((a, b) => b[1] - a[1])
    .filter(([, v]) => v >= 1024)
    .map(([k, v]) => [k, kb(v)]);
  const msalInExtension = inputs.some((i) => i.includes('node_modules/@azure/msal'));
  const graphSdkInExtension = inputs.some((i) => /node_modules\/(@microsoft\/microsoft-graph-client|tslib)\//.test(i));
  const featureOwn = ownInputs(root, 'features').inputs.filter((i) => !i.startsWith('gdap-host:'));
  const featuresInExtension = featureOwn.filter((i) => inputs.includes(i)).length;
  const probe = probeLoaders(root);
  const size = (/** @type {string} */ name) => kb(statSync(path.join(root, `dist/${name}`)).size);
  return {
    extensionKB: size('extension.js'),
    msalKB: size('msal.js'),
    graphSdkKB: size('graphSdk.js'),
    featuresKB: size('features.js'),
    // The CLI's bundle; dist/cli.js is the 2 KB launcher that runs it through V8's code cache.
    cliKB: size('cliMain.js'),
    msalInExtension,
    graphSdkInExtension,
    featuresInExtension,
    msalSplitLoads: probe.msal === true,
    graphSdkSplitLoads: probe.graphSdk === true,
    featuresSplitLoads:
      probe.featuresSame === true &&
      probe.toolInputError === 'same class' &&
      probe.plannerError === 'same class' &&
      probe.clientError === 'same class (auth)',
    probeFailure: probe.failed,
    breakdown,
  };
}
