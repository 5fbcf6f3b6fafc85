// Unit-level profile of the tree's first level at the `xl` preset (10,000 customers), outside VS Code:
// the real tree provider and nodes over the emulator's own xl data set, with a small stand-in for the
// `vscode` module (tree items, Markdown, l10n). It times the first-level paint (root getChildren plus
// getTreeItem of every node) and filter keystrokes, and can write a CPU profile of just those. Not a test and not part of `npm run bench`: a tool to see where the tree's time goes.
//   node test/bench/treeProfile.cjs                        timings
//   node test/bench/treeProfile.cjs --profile FILE.cpuprofile   + a CPU profile of the paints and
//                                                          keystrokes only (open it in DevTools)
'use strict';
require('../unit/register.cjs');
const Module = require('node:module');
const { Session } = require('node:inspector/promises');
const { writeFileSync } = require('node:fs');

class EventEmitter {
  constructor() {
    this.listeners = [];
    this.event = (fn) => {
      this.listeners.push(fn);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== fn)) };
    };
  }
  fire(value) {
    for (const l of this.listeners) l(value);
  }
  dispose() {
    this.listeners = [];
  }
}

class MarkdownString {
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(text) {
    this.value += text;
    return this;
  }
  appendText(text) {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
}

const vscodeStub = {
  EventEmitter,
  MarkdownString,
  TreeItem: class {
    constructor(label, collapsibleState) {
      this.label = label;
      this.collapsibleState = collapsibleState;
    }
  },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ThemeIcon: class {
    constructor(id, color) {
      this.id = id;
      this.color = color;
    }
  },
  ThemeColor: class {
    constructor(id) {
      this.id = id;
    }
  },
  Disposable: class {
    constructor(fn) {
      this.dispose = fn;
    }
  },
  env: { language: 'en' },
  l10n: { t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)])) },
  window: { withProgress: (_options, task) => task({ report: () => undefined }) },
  ProgressLocation: { Window: 10, Notification: 15 },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeStub };

const { EmulatorStore } = require('../../src/emulator/store.ts');
const { renderRelationship, renderCustomer } = require('../../src/emulator/model.ts');
const { loadInventory } = require('../../src/core/actions/inventory.ts');
const { normaliseCustomer, normaliseRelationship } = require('../../src/core/graph/normalise.ts');
const { GdapTreeProvider } = require('../../src/extension/tree/gdapTreeProvider.ts');

const round1 = (x) => Math.round(x * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function xlInventory() {
  const emu = new EmulatorStore(1, { preset: 'xl', seed: 42 });
  const relationships = [...emu.relationships.values()].map((r) =>
    normaliseRelationship(JSON.parse(JSON.stringify(renderRelationship(r)))),
  );
  const customers = [...emu.customers.values()].map((c) => normaliseCustomer(JSON.parse(JSON.stringify(renderCustomer(c)))));
  const graph = {
    async *listRelationships() {
      yield* relationships;
    },
    listCustomers: () => Promise.resolve(customers),
  };
  return loadInventory(graph, { includeAssignments: false, source: 'emulator' });
}

function fakeStore(inventory) {
  const byTenant = new Map(inventory.customers.map((c) => [c.tenantId, c]));
  return {
    current: inventory,
    loading: false,
    onDidChange: () => ({ dispose: () => undefined }),
    findCustomer: (id) => byTenant.get(id),
    dapState: () => undefined,
    busyLabel: () => undefined,
  };
}

async function paint(tree) {
  const started = performance.now();
  const shown = await tree.getChildren();
  for (const n of shown) tree.getTreeItem(n);
  return { ms: performance.now() - started, shown: shown.length };
}

async function main() {
  const inventory = await xlInventory();
  const relationships = inventory.customers.reduce((n, c) => n + c.relationships.length, 0);
  console.log(`xl inventory: ${inventory.customers.length} customers, ${relationships} relationships`);
  const auth = { state: 'signedIn', busy: false, onDidChangeBusy: () => ({ dispose: () => undefined }) };
  const settings = { expiryWarningDays: 30, resolveGroupNames: false };
  const tree = new GdapTreeProvider(
    fakeStore(inventory),
    auth,
    () => settings,
    (e) => console.error(e),
  );
  const profileTo = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
  const session = profileTo === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const paints = [];
  for (let i = 0; i < 5; i++) paints.push(await paint(tree));
  console.log(
    `first-level paint: first ${round1(paints[0].ms)} ms, median ${round1(median(paints.map((p) => p.ms)))} ms (${paints[0].shown} nodes)`,
  );
  const roots = await tree.getChildren();
  const word = roots[Math.floor(roots.length / 2)].displayName.slice(0, 6);
  const keys = [];
  for (const text of [...Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1)), '']) {
    tree.setFilter({ text, status: 'all' });
    const p = await paint(tree);
    keys.push(p.ms);
    console.log(`filter "${text}": ${p.shown} shown, ${round1(p.ms)} ms`);
  }
  if (session !== undefined) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileTo, JSON.stringify(profile));
    session.disconnect();
  }
  console.log(`filter keystroke: median ${round1(median(keys))} ms, max ${round1(Math.max(...keys))} ms`);
  const hoverStarted = performance.now();
  for (const n of roots) tree.resolveTreeItem?.(n.getTreeItem(), n);
  console.log(`every first-level tooltip built (as if each were hovered): ${round1(performance.now() - hoverStarted)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
