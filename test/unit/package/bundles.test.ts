import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './stage';

interface Metafile {
  inputs: Record<string, unknown>;
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, { bytesInOutput: number }> }>;
}

function build(outdir: string, production: boolean): Promise<void> {
  const args = ['esbuild.config.mjs', '--metafile', '--outdir', outdir, ...(production ? ['--production'] : [])];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 180_000 }, (error, _stdout, stderr) =>
      error === null ? resolve() : reject(new Error(`${error.message}\n${stderr}`)),
    );
  });
}

function bundledInputs(file: string): string[] {
  const meta = JSON.parse(readFileSync(file, 'utf8')) as Metafile;
  const out = Object.values(meta.outputs).find((o) => o.entryPoint !== undefined);
  assert.ok(out !== undefined, `${file} names its output`);
  return Object.keys(out.inputs);
}

/**
 * The extension bundle as esbuild.config.mjs builds it (into a temporary folder): small enough, with the
 * Graph SDK, msal and the command-only features in bundles of their own, each of which loads through the
 * extension bundle's own loader, with one instance of every module on both sides of the boundary.
 */
describe('extension bundles: the split of dist/extension.js', function () {
  this.timeout(300_000);
  let dir: string;
  let prod: string;
  let dev: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gdap-bundles-'));
    prod = join(dir, 'prod');
    dev = join(dir, 'dev');
    await Promise.all([build(prod, true), build(dev, false)]);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('dist/extension.js is at most 400 KB minified', () => {
    const kb = statSync(join(prod, 'extension.js')).size / 1024;
    assert.ok(kb <= 400, `dist/extension.js is ${kb.toFixed(1)} KB`);
  });

  it('holds neither the Graph SDK, msal nor the features; the features hold no copy of its modules', () => {
    const extension = bundledInputs(join(prod, 'extension.meta.json'));
    for (const input of extension) {
      assert.doesNotMatch(input, /node_modules\/(@microsoft\/microsoft-graph-client|tslib|@azure\/msal)/, input);
    }
    for (const own of [
      'src/core/coreClients.ts',
      'src/core/graph/gdapClient.ts',
      'src/core/templates/planner.ts',
      'src/core/tools/toolQueries.ts',
    ]) {
      assert.ok(!extension.includes(own), `${own} is not in dist/extension.js`);
    }
    const features = bundledInputs(join(prod, 'features.meta.json'));
    const own = features.filter((i) => !i.startsWith('gdap-host:'));
    const served = features.filter((i) => i.startsWith('gdap-host:')).map((i) => i.slice('gdap-host:'.length));
    assert.ok(own.includes('src/core/tools/toolQueries.ts') && own.includes('src/extension/templates/templateCommands.ts'), own.join(', '));
    assert.deepEqual(
      own.filter((i) => extension.includes(i)),
      [],
      'a module in both bundles would be two instances',
    );
    assert.ok(served.includes('vscode') && served.includes('src/core/tools/toolSpecs.ts'), served.join(', '));
    assert.deepEqual(
      served.filter((i) => i !== 'vscode' && !extension.includes(i)),
      [],
      'every served module is in the extension bundle',
    );
  });

  it('msal, the Graph SDK and the features load on their own', () => {
    /* eslint-disable @typescript-eslint/no-require-imports -- loading the built bundles is the point */
    const msal = require(join(prod, 'msal.js')) as { PublicClientApplication?: unknown };
    const sdk = require(join(prod, 'graphSdk.js')) as { Client?: { initWithMiddleware?: unknown }; ResponseType?: { RAW?: string } };
    const features = require(join(prod, 'features.js')) as unknown;
    /* eslint-enable @typescript-eslint/no-require-imports */
    assert.equal(typeof msal.PublicClientApplication, 'function');
    assert.equal(typeof sdk.Client?.initWithMiddleware, 'function');
    assert.equal(sdk.ResponseType?.RAW, 'raw');
    // Wired to the extension bundle's modules when called (esbuild.config.mjs, featureSplit).
    assert.equal(typeof features, 'function');
  });

  it("through the extension bundle's own loaders: msal, the SDK and the features, with one class of each error", async () => {
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [join(__dirname, 'bundleProbe.cjs'), dev], { timeout: 60_000 }, (error, out, err) =>
        error === null ? resolve(out) : reject(new Error(`${error.message}\n${err}`)),
      );
    });
    const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
    assert.equal(result.failed, undefined, String(result.failed));
    assert.equal(result.msal, true, 'loadMsal() finds msal.js beside the bundle');
    assert.equal(result.graphSdk, true, 'loadGraphSdk() finds graphSdk.js beside the bundle');
    assert.equal(result.featuresSame, true, 'features() loads once');
    assert.ok(Array.isArray(result.featureExports) && result.featureExports.includes('planTemplateCommand'), String(result.featureExports));
    assert.equal(result.toolInputError, 'same class', 'the tools queries (features) throw the extension bundle ToolInputError');
    assert.equal(result.plannerError, 'same class', 'the template planner (features) throws the extension bundle ToolInputError');
    assert.equal(
      result.clientError,
      'same class (auth)',
      'the clients (features) send through the SDK and rethrow the extension GdapError',
    );
  });

  it('dist/cliMain.js calls no native import() (the launcher runs it in a vm.Script) and holds no semver', () => {
    const text = readFileSync(join(prod, 'cliMain.js'), 'utf8');
    assert.doesNotMatch(text, /(^|[^\w$.])import\(/, 'a native import() fails with ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING there');
    assert.match(text, /require\("node:child_process"\)/, 'child_process is still reachable, on first use');
    for (const file of ['cliMain.meta.json', 'msal.meta.json']) {
      const inputs = bundledInputs(join(prod, file));
      assert.ok(
        inputs.some((i) => i.endsWith('jsonwebtoken/lib/psSupported.js')),
        `${file}: jsonwebtoken's checks are in`,
      );
      assert.deepEqual(
        inputs.filter((i) => i.includes('node_modules/semver/')),
        [],
        `${file}: its Node version checks are answered without semver`,
      );
    }
  });
});
