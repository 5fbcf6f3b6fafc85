// Bundles the three entry points. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

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

const entries = [
  { entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
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

if (watch) {
  const contexts = await Promise.all(entries.map((e) => esbuild.context({ ...common, ...e })));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  report();
}
