// @ts-check
// Bundles the three entry points. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { realpathSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--metafile`: also write dist/<name>.meta.json (what each bundle is made of; used by `npm run bench`).
const metafile = process.argv.includes('--metafile');
// `--outdir DIR`: write the bundles to DIR instead of dist/ (the bundle tests build into a temporary folder).
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg >= 0 ? process.argv[outdirArg + 1] : 'dist';
const out = (/** @type {string} */ name) => path.join(outdir, name);

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
};

/*
 * msal-node (≈ 260 KB minified with its dependencies) is needed only when signing in through msal, never
 * at activation. In the extension bundle the one `import('@azure/msal-node')` (src/core/auth/msalLoader.ts)
 * is rewritten to `require('./msal.js')`, a separate bundle next to it that is loaded on first use.
 * The CLI keeps msal inline (one self-contained file); unit tests load the package from node_modules.
 */
/** @type {import('esbuild').Plugin} */
const msalSplit = {
  name: 'msal-split',
  setup(build) {
    build.onResolve({ filter: /^@azure\/msal-node$/ }, () => ({ path: './msal.js', external: true }));
  },
};
const msalEntry = createRequire(import.meta.url).resolve('@azure/msal-node');

/*
 * The same for the Graph SDK (`@microsoft/microsoft-graph-client` with tslib, ≈ 75 KB minified): the tree
 * paints from the start-up cache before any request, so the one `import()` of the SDK
 * (src/core/graph/graphSdkLoader.ts) becomes `require('./graphSdk.js')`, loaded on the first Graph request.
 */
/** @type {import('esbuild').Plugin} */
const graphSdkSplit = {
  name: 'graph-sdk-split',
  setup(build) {
    build.onResolve({ filter: /^@microsoft\/microsoft-graph-client$/ }, (args) => {
      if (args.kind !== 'dynamic-import') {
        throw new Error(`${args.importer} imports the Graph SDK as a value: load it through loadGraphSdk() (graphSdkLoader.ts).`);
      }
      return { path: './graphSdk.js', external: true };
    });
  },
};
const graphSdkEntry = createRequire(import.meta.url).resolve('@microsoft/microsoft-graph-client');

/*
 * jsonwebtoken (msal-node's, for certificate credentials) answers three questions about the running Node
 * when it loads, each with `semver.satisfies(process.version, range)`: semver builds its regular
 * expressions first, ≈ 4.5 ms of every CLI start and of the first sign-in in the extension (BENCHMARKS.md,
 * "Inventory, seventh pass"). The same answers, from `process.versions.node`, without semver. Each file's
 * range is checked against the one written here, so a jsonwebtoken that asks something else fails the build.
 */
const JWT_NODE_CHECKS = {
  'psSupported.js': { range: '^6.12.0 || >=8.0.0', answer: '(major === 6 && minor >= 12) || major >= 8' },
  'asymmetricKeyDetailsSupported.js': { range: '>=15.7.0', answer: 'major > 15 || (major === 15 && minor >= 7)' },
  'rsaPssKeyDetailsSupported.js': { range: '>=16.9.0', answer: 'major > 16 || (major === 16 && minor >= 9)' },
};
/** @type {import('esbuild').Plugin} */
const jwtNodeChecks = {
  name: 'jwt-node-checks',
  setup(build) {
    build.onLoad({ filter: /[\\/]jsonwebtoken[\\/]lib[\\/][A-Za-z]+Supported\.js$/ }, async (args) => {
      const check = JWT_NODE_CHECKS[/** @type {keyof typeof JWT_NODE_CHECKS} */ (path.basename(args.path))];
      const text = await readFile(args.path, 'utf8');
      if (check === undefined || !text.includes(`semver.satisfies(process.version, '${check.range}')`)) {
        throw new Error(`${args.path} is not the Node version check this build expects: update JWT_NODE_CHECKS (esbuild.config.mjs).`);
      }
      return {
        contents: `const [major, minor] = process.versions.node.split('.').map(Number);\nmodule.exports = ${check.answer};\n`,
        loader: 'js',
      };
    });
  },
};

/*
 * Code that activation and the first paint from the start-up cache do not need (the network clients,
 * command handlers, templates, the chat tools' queries and changes: the exports of
 * src/extension/lazy/features.ts) is bundled apart as dist/features.js and loaded on first use through the
 * one `require('./features')` in src/extension/lazy/featureLoader.ts. A second bundle would otherwise get
 * its own copies of every core module it imports, and `instanceof`, module-level state and the vscode API
 * would silently differ between the two. So dist/features.js holds only the modules the extension bundle
 * does not; each import of a module the extension bundle does hold (and of vscode) is served, at load time,
 * by the extension bundle's own instance of it:
 *   1. build the extension bundle without the features (in memory): the modules it holds;
 *   2. build dist/features.js, every import of a held module becoming `__gdapHost("<path>")`, the whole
 *      bundle wrapped as `module.exports = function (__gdapHost) { …; return exports }`;
 *   3. build the extension bundle with a table of exactly those modules (namespace imports), its
 *      `require('./features')` becoming `require('./features.js')(hostModule)`.
 */
const FEATURES_ENTRY = 'src/extension/lazy/features.ts';
const FEATURES_LOADER = 'src/extension/lazy/featureLoader.ts';

/** Step 1's stand-in for the features: left out of the bundle. */
/** @type {import('esbuild').Plugin} */
const featuresLeftOut = {
  name: 'features-left-out',
  setup(build) {
    build.onResolve({ filter: /^\.\/features(\.js)?$/ }, () => ({ path: './features.js', external: true }));
  },
};

/** Forward slashes, relative to the working directory: how esbuild's metafile names its inputs. */
const inputId = (/** @type {string} */ file) => path.relative(process.cwd(), file).split(path.sep).join('/');
/** The id of one of our sources as esbuild sees it: through symlinks (a staged copy links src/). */
const sourceId = (/** @type {string} */ file) => inputId(realpathSync(path.resolve(file)));

/**
 * Step 2: imports of `held` modules (and of vscode) become the extension bundle's instances; `served`
 * collects which.
 * @param {Set<string>} held
 * @param {Set<string>} served
 * @returns {import('esbuild').Plugin}
 */
function servedByHost(held, served) {
  return {
    name: 'served-by-host',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === 'entry-point' || args.pluginData === 'served-by-host') {
          return undefined;
        }
        if (args.path === 'vscode') {
          served.add('vscode');
          return { path: 'vscode', namespace: 'gdap-host' };
        }
        const r = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'served-by-host',
        });
        if (r.errors.length > 0 || r.external) {
          return r.errors.length > 0 ? { errors: r.errors } : undefined;
        }
        const id = inputId(r.path);
        if (held.has(id)) {
          served.add(id);
          return { path: id, namespace: 'gdap-host' };
        }
        return { path: r.path, sideEffects: r.sideEffects };
      });
      build.onLoad({ filter: /.*/, namespace: 'gdap-host' }, (args) => ({
        contents: `module.exports = __gdapHost(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Steps 1 and 2 before each build of the extension bundle, step 3 while it builds.
 * @param {import('esbuild').BuildOptions} extensionOptions
 * @returns {import('esbuild').Plugin}
 */
function featureSplit(extensionOptions) {
  return {
    name: 'feature-split',
    setup(build) {
      /** @type {string[]} */
      let served = [];
      /** @type {string[]} */
      let featureInputs = [];
      build.onStart(async () => {
        const plain = await esbuild.build({
          ...common,
          ...extensionOptions,
          plugins: [...(extensionOptions.plugins ?? []), featuresLeftOut],
          minify: false,
          sourcemap: false,
          write: false,
          metafile: true,
          logLevel: 'silent',
        });
        const held = new Set(Object.keys(plain.metafile.inputs));
        if (held.has(sourceId(FEATURES_ENTRY))) {
          throw new Error(`${FEATURES_ENTRY} is imported statically: reach it only through features() (${FEATURES_LOADER}).`);
        }
        const servedSet = new Set();
        const features = await esbuild.build({
          ...common,
          entryPoints: [FEATURES_ENTRY],
          outfile: out('features.js'),
          plugins: [servedByHost(held, servedSet), ...(extensionOptions.plugins ?? [])],
          metafile: true,
          banner: { js: 'module.exports=function(__gdapHost){"use strict";var module={exports:{}},exports=module.exports;' },
          footer: { js: 'return module.exports};' },
        });
        if (metafile) {
          writeFileSync(out('features.meta.json'), JSON.stringify(features.metafile));
        }
        served = [...servedSet].sort();
        featureInputs = Object.keys(features.metafile.inputs).filter((i) => !i.startsWith('gdap-host:'));
        return undefined;
      });
      build.onResolve({ filter: /^\.\/features(\.js)?$/ }, (args) => {
        if (args.namespace === 'gdap-features') {
          return { path: './features.js', external: true };
        }
        if (args.kind !== 'require-call' || inputId(args.importer) !== sourceId(FEATURES_LOADER)) {
          throw new Error(`${args.importer} imports the features: reach them only through features() (${FEATURES_LOADER}).`);
        }
        return { path: 'features', namespace: 'gdap-features' };
      });
      build.onResolve({ filter: /^gdap:host-modules$/ }, () => ({ path: 'host-modules', namespace: 'gdap-features' }));
      build.onLoad({ filter: /^features$/, namespace: 'gdap-features' }, () => ({
        contents: 'module.exports = require("./features.js")(require("gdap:host-modules").hostModule);',
        resolveDir: process.cwd(),
        loader: 'js',
      }));
      build.onLoad({ filter: /^host-modules$/, namespace: 'gdap-features' }, () => ({
        contents: [
          ...served.map((id, i) => `import * as m${i} from ${JSON.stringify(id === 'vscode' ? id : path.resolve(id))};`),
          `const modules = { ${served.map((id, i) => `${JSON.stringify(id)}: m${i}`).join(', ')} };`,
          'export function hostModule(id) {',
          '  const m = modules[id];',
          '  if (m === undefined) {',
          '    throw new Error(`features.js needs ${id}, which this extension.js does not serve: build them together.`);',
          '  }',
          '  return m;',
          '}',
        ].join('\n'),
        resolveDir: process.cwd(),
        loader: 'js',
        watchFiles: featureInputs.map((i) => path.resolve(i)),
      }));
    },
  };
}

const extensionOptions = {
  entryPoints: ['src/extension/extension.ts'],
  external: ['vscode'],
  plugins: [msalSplit, graphSdkSplit],
  // `require('./msal.js')` rather than a native import() of a CommonJS bundle (whose named exports Node cannot see).
  supported: { 'dynamic-import': false },
};

/** @type {Array<import('esbuild').BuildOptions & { outfile: string }>} */
const entries = [
  { ...extensionOptions, outfile: out('extension.js'), plugins: [...extensionOptions.plugins, featureSplit(extensionOptions)] },
  { entryPoints: [msalEntry], outfile: out('msal.js'), plugins: [jwtNodeChecks] },
  { entryPoints: [graphSdkEntry], outfile: out('graphSdk.js') },
  // `gdap` is dist/cli.js, a small launcher that runs dist/cliMain.js through V8's code cache (src/cli/codeCache.ts).
  { entryPoints: ['src/cli/launcher.ts'], outfile: out('cli.js'), banner: { js: '#!/usr/bin/env node' } },
  // A native import() fails inside the launcher's vm.Script (no dynamic-import callback): imports of Node's
  // own modules that are loaded on first use become require() calls.
  { entryPoints: ['src/cli/main.ts'], outfile: out('cliMain.js'), plugins: [jwtNodeChecks], supported: { 'dynamic-import': false } },
  { entryPoints: ['src/emulator/main.ts'], outfile: out('emulator.js') },
];

function report() {
  for (const file of [...entries.map((e) => e.outfile), out('features.js')]) {
    try {
      const kb = (statSync(file).size / 1024).toFixed(1);
      console.log(`${file.padEnd(20)} ${kb.padStart(8)} KB${production ? ' (minified)' : ''}`);
    } catch {
      console.log(`${file} missing`);
    }
  }
}

/*
 * In watch mode, one "[watch] build started" / "[watch] build finished" pair per round of rebuilds (all
 * entries together), and each error on one line as `file:line:column: error: text`: the VS Code task in
 * .vscode/tasks.json waits for "finished" before F5 goes on, and its problem matcher reads the errors.
 */
let activeBuilds = 0;
/** @type {import('esbuild').Plugin} */
const watchLog = {
  name: 'watch-log',
  setup(build) {
    build.onStart(() => {
      if (activeBuilds++ === 0) {
        console.log('[watch] build started');
      }
    });
    build.onEnd((result) => {
      for (const m of result.errors) {
        const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
        console.log(`${where}error: ${m.text}`);
      }
      if (--activeBuilds === 0) {
        console.log('[watch] build finished');
      }
    });
  },
};

if (watch) {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e, plugins: [...(e.plugins ?? []), watchLog] })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, metafile })));
  if (metafile) {
    entries.forEach((e, i) => writeFileSync(e.outfile.replace(/\.js$/, '.meta.json'), JSON.stringify(results[i].metafile)));
  }
  report();
}
