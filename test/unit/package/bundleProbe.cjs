// Loads a built dist/extension.js outside VS Code (a stand-in `vscode` module) and runs its own on-demand
// loaders: msal (./msal.js), the Graph SDK (./graphSdk.js) and the command-only features (./features.js).
// Prints one JSON line. Run as `node bundleProbe.cjs <folder of the bundles>`; used by bundles.test.ts.
'use strict';
const Module = require('node:module');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const dir = path.resolve(process.argv[2]);
// Enough of an API for the bundle's module-level code (class declarations, enum reads); never activated.
// esbuild reads an external module's exports through its prototype (__toESM), so the stand-in is an
// object whose prototype answers every name.
const leaf = new Proxy(function () {}, {
  get: (target, key) => (key === 'then' ? undefined : target),
  apply: () => ({}),
  construct: () => ({}),
});
const api = Object.create(new Proxy({}, { get: (_, key) => (key === '__esModule' || typeof key === 'symbol' ? undefined : leaf) }));
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? api : load.call(this, request, ...rest);
};

const file = path.join(dir, 'extension.js');
const probe = `;module.exports.__probe = () => ({ features, loadMsal, loadGraphSdk, ToolInputError, GdapError, resolveEndpoints });`;
const m = new Module(file);
m.filename = file;
m.paths = Module._nodeModulePaths(dir);
m._compile(fs.readFileSync(file, 'utf8') + probe, file);
const { features, loadMsal, loadGraphSdk, ToolInputError, GdapError, resolveEndpoints } = m.exports.__probe();

async function main() {
  const out = {};
  const msal = await loadMsal();
  out.msal = typeof msal.PublicClientApplication === 'function' && typeof msal.ConfidentialClientApplication === 'function';
  const sdk = await loadGraphSdk();
  out.graphSdk = typeof sdk.Client.initWithMiddleware === 'function' && sdk.ResponseType.RAW === 'raw';
  const f = features();
  out.featuresSame = features() === f;
  out.featureExports = Object.keys(f).sort();
  // A features-own module (the tools' queries) throws the extension bundle's ToolInputError: one class.
  const source = { graph: {}, loadInventory: async () => ({ customers: [], pendingRelationships: [] }) };
  try {
    await f.runReadTool('gdap_inventory', { page: 'not a number' }, source);
    out.toolInputError = 'no error';
  } catch (e) {
    out.toolInputError = e instanceof ToolInputError ? 'same class' : `other: ${e && e.constructor && e.constructor.name}`;
  }
  // The template planner (features-own) refuses a path outside its folder with that same class.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gdap-probe-'));
  try {
    await f.folderTemplatePlanner(() => [root]).plan('../outside.gdap.json', { customers: [], pendingRelationships: [] });
    out.plannerError = 'no error';
  } catch (e) {
    out.plannerError = e instanceof ToolInputError ? 'same class' : `other: ${e && e.constructor && e.constructor.name}`;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  // The network clients come from the features bundle, send through the SDK's chain (dist/graphSdk.js) and
  // fail, before any network, with the extension bundle's GdapError from its token provider.
  const clients = f.createCoreClients({
    endpoints: resolveEndpoints({ cloud: 'global' }),
    tokens: {
      getToken: async () => {
        throw new GdapError({ kind: 'auth', message: 'probe: no token' });
      },
    },
  });
  try {
    await clients.graph.getRelationship('probe');
    out.clientError = 'no error';
  } catch (e) {
    out.clientError = e instanceof GdapError ? `same class (${e.kind})` : `other: ${e && e.constructor && e.constructor.name}`;
  } finally {
    clients.dispose?.();
  }
  return out;
}

main().then(
  (out) => console.log(JSON.stringify(out)),
  (e) => console.log(JSON.stringify({ failed: String(e && e.stack ? e.stack : e) })),
);
