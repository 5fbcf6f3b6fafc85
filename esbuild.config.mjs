// @ts-check
// Bundles the three entry points. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--metafile`: also write dist/<name>.meta.json (what each bundle is made of; used by `npm run bench`).
const metafile = process.argv.includes('--metafile');

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

/** @type {Array<import('esbuild').BuildOptions & { outfile: string }>} */
const entries = [
  {
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    plugins: [msalSplit, graphSdkSplit],
    // `require('./msal.js')` rather than a native import() of a CommonJS bundle (whose named exports Node cannot see).
    supported: { 'dynamic-import': false },
  },
  { entryPoints: [msalEntry], outfile: 'dist/msal.js' },
  { entryPoints: [graphSdkEntry], outfile: 'dist/graphSdk.js' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['src/emulator/main.ts'], outfile: 'dist/emulator.js' },
];

function report() {
  for (const e of entries) {
    try {
      const kb = (statSync(e.outfile).size / 1024).toFixed(1);
      console.log(`${e.outfile.padEnd(20)} ${kb.padStart(8)} KB${production ? ' (minified)' : ''}`);
    } catch {
      console.log(`${e.outfile} missing`);
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
