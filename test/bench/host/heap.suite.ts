// Benchmark scenario 5 inside the real VS Code extension host (not a test: `npm run bench` only).
// Bundled and started like the in-host suite (scripts/vscode/runSuite.mjs --entry this file), with the
// emulator at `--preset large`. It activates the extension, signs in through the "GDAP Emulator"
// provider, records process.memoryUsage() after a forced GC, loads the whole tree (every customer,
// every relationship, and every relationship's children: roles and access assignments), forces GC
// again, records the memory again and writes a JSON result file that test/bench/extensionHost.mjs
// reads. It also records the extension's own activation measurement (GdapExplorerApi.activationMs),
// the one source of that figure.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../../src/extension/api';
import { signInWithEmulator } from '../../suite/harness/emulatorSignIn';
import { emulatorState, requireEmulator, resetEmulator } from '../../suite/harness/emulator';
import { activateExtension, treeIdle } from '../../suite/harness/vscodeHelpers';
import { type AnyNode, findGc, loadWholeTree, log, type MemorySample, settledMemory, sleep } from './hostBench';

const LOAD_TIMEOUT_MS = 6 * 60_000;
const MB = 1024 * 1024;
const say = (text: string): void => log('heap', text);

interface CachedPaint {
  cacheFileBytes: number;
  customersPainted: number;
  /** From a tree with nothing in memory to its first level, painted from the cache file. */
  cachePaintMs: number;
  /** activate() plus that paint: what a restart costs before the first level shows (the network load runs behind it). */
  activationToPaintMs: number;
}

/**
 * The start-up path without restarting the host: the tree is emptied in memory (the file stays), then
 * asked for its first level, as the view does right after activation. Fails unless it was painted from the file.
 */
async function measureCachedPaint(api: GdapExplorerApi): Promise<CachedPaint> {
  const cacheFileBytes = statSync(api.startupCachePath).size;
  api.tree.clear();
  const started = performance.now();
  const roots = (await api.tree.getChildren()) as AnyNode[];
  const cachePaintMs = Math.round((performance.now() - started) * 10) / 10;
  if (!api.tree.store.isFromCache) {
    throw new Error('the first level was not painted from the start-up cache file');
  }
  await treeIdle(api.tree, LOAD_TIMEOUT_MS);
  return {
    cacheFileBytes,
    customersPainted: roots.filter((n) => n.kind === 'customer').length,
    cachePaintMs,
    activationToPaintMs: Math.round((api.activationMs + cachePaintMs) * 10) / 10,
  };
}

async function measure(): Promise<Record<string, unknown>> {
  const info = requireEmulator();
  const api = await activateExtension<GdapExplorerApi>();
  say(`activated in ${api.activationMs.toFixed(1)} ms on VS Code ${vscode.version}`);
  if (!api.emulator) {
    throw new Error('the extension is not in emulator mode (GDAP_EMULATOR_URL did not reach the extension host)');
  }
  await resetEmulator({ preset: 'large', seed: 1 }, info);
  const state = await emulatorState(info);
  await signInWithEmulator(api);
  // Whatever sign-in started (a refresh of a visible view) lands first; then the baseline starts from
  // an empty tree.
  await treeIdle(api.tree);
  api.tree.clear();
  await treeIdle(api.tree);
  const gc = findGc();
  say(gc !== undefined ? 'gc available (--expose-gc set at run time)' : 'gc not available: settled median of samples');
  const before = await settledMemory(gc);
  say(`before: heapUsed ${(before.heapUsed / MB).toFixed(1)} MB`);

  const facts = await Promise.race([
    loadWholeTree(api),
    sleep(LOAD_TIMEOUT_MS).then(() => {
      throw new Error(`the tree did not load within ${LOAD_TIMEOUT_MS / 1000} s`);
    }),
  ]);
  say(
    `loaded ${facts.customers} customers, ${facts.relationships} relationships (${facts.relationshipsExpanded} expanded), ${facts.roleNodes} roles, ${facts.assignmentNodes} assignments in ${facts.loadMs} ms`,
  );
  const after = await settledMemory(gc);
  say(`after: heapUsed ${(after.heapUsed / MB).toFixed(1)} MB`);
  // Still loaded (not collected away): the extension holds the tree it would show.
  const stillLoaded = api.tree.store.current?.customers.length ?? 0;
  const startup = await measureCachedPaint(api);
  say(
    `start-up cache: ${(startup.cacheFileBytes / MB).toFixed(1)} MB file; first level (${startup.customersPainted} customers) painted from it in ${startup.cachePaintMs} ms (activation + paint ${startup.activationToPaintMs} ms)`,
  );
  const growth = (k: keyof MemorySample): number => Math.round(((after[k] - before[k]) / MB) * 10) / 10;
  return {
    measuredAt: new Date().toISOString(),
    vscodeVersion: vscode.version,
    nodeVersion: process.version,
    activationMs: Math.round(api.activationMs * 10) / 10,
    gc: gc !== undefined ? 'forced' : 'settled-median',
    emulator: {
      preset: 'large',
      seed: 1,
      relationships: state.relationships.length,
      customers: Array.isArray(state.customers) ? state.customers.length : null,
    },
    tree: { ...facts, peakHeapUsed: undefined, customersStillLoaded: stillLoaded },
    startupCache: startup,
    before,
    after,
    peakHeapUsedMB: Math.round((facts.peakHeapUsed / MB) * 10) / 10,
    growthMB: { heapUsed: growth('heapUsed'), heapTotal: growth('heapTotal'), rss: growth('rss'), external: growth('external') },
  };
}

/** The @vscode/test-electron `run()` contract, as test/suite/index.ts. */
export async function run(): Promise<void> {
  const out = process.env.GDAP_BENCH_HEAP_OUT ?? join(__dirname, 'heap.json');
  try {
    const result = await measure();
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    say(`result -> ${out}`);
  } catch (e) {
    say(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    throw e;
  }
}
