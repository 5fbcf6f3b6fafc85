// Helpers shared by the in-host benchmark entries (heap.suite.ts, xl.suite.ts): progress lines, a forced
// GC, settled memory readings and loading the whole tree as expanding everything in the view would.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import type { GdapExplorerApi } from '../../../src/extension/api';
import type { GdapNode } from '../../../src/extension/tree/node';
import { treeIdle } from '../../suite/harness/vscodeHelpers';

/** Relationship children loaded at once: each is one access-assignments read (as when a user expands it). */
const EXPAND_CONCURRENCY = 8;

export interface MemorySample {
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

export function log(tag: string, text: string): void {
  // runSuite.mjs prints lines carrying this mark to its stdout; the rest goes to workbench.log.
  console.log(`${process.env.GDAP_SUITE_LOG_MARK ?? ''}[${tag}] ${text}`);
}

/**
 * The extension host is not started with --expose-gc. V8 accepts the flag at run time and a fresh
 * context then carries `gc`; when that is refused, undefined (the caller falls back to a settled median).
 */
export function findGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') {
    return existing;
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn: unknown = vm.runInNewContext('gc');
    return typeof fn === 'function' ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A settled reading: with gc, three full collections (a turn of the event loop between them, so
 * finalisers and weak callbacks run) and then the median of 5 samples; without gc, the median of 9
 * samples 300 ms apart (V8's own incremental GC settles the heap meanwhile).
 */
export async function settledMemory(gc: (() => void) | undefined): Promise<MemorySample> {
  const samples: MemorySample[] = [];
  if (gc !== undefined) {
    for (let i = 0; i < 3; i++) {
      gc();
      await sleep(50);
    }
  }
  const count = gc === undefined ? 9 : 5;
  for (let i = 0; i < count; i++) {
    if (gc !== undefined) {
      gc();
    }
    const m = process.memoryUsage();
    samples.push({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers });
    await sleep(gc === undefined ? 300 : 50);
  }
  const pick = (k: keyof MemorySample): number => median(samples.map((s) => s[k]));
  return {
    heapUsed: pick('heapUsed'),
    heapTotal: pick('heapTotal'),
    rss: pick('rss'),
    external: pick('external'),
    arrayBuffers: pick('arrayBuffers'),
  };
}

export async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export type AnyNode = GdapNode & Record<string, unknown>;

export interface LoadFacts {
  customers: number;
  relationships: number;
  relationshipsExpanded: number;
  roleNodes: number;
  assignmentNodes: number;
  errorNodes: number;
  loadMs: number;
  peakHeapUsed: number;
}

/** Loads and renders (getTreeItem) every node of the tree, as expanding everything in the view would. */
export async function loadWholeTree(api: GdapExplorerApi): Promise<LoadFacts> {
  const started = performance.now();
  let peak = process.memoryUsage().heapUsed;
  const peakTimer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 100);
  try {
    const facts = { customers: 0, relationships: 0, relationshipsExpanded: 0, roleNodes: 0, assignmentNodes: 0, errorNodes: 0 };
    const roots = (await api.tree.getChildren()) as AnyNode[];
    const relationships: AnyNode[] = [];
    for (const root of roots) {
      root.getTreeItem();
      if (root.kind === 'customer') {
        facts.customers++;
      }
      if (root.kind === 'customer' || root.kind === 'pendingGroup') {
        for (const rel of (await api.tree.getChildren(root)) as AnyNode[]) {
          rel.getTreeItem();
          if (rel.kind === 'relationship') {
            relationships.push(rel);
          }
        }
      } else if (root.kind === 'message') {
        throw new Error(`the tree shows a message instead of customers: ${JSON.stringify(root.getTreeItem().label)}`);
      }
    }
    facts.relationships = relationships.length;
    await pool(relationships, EXPAND_CONCURRENCY, async (rel) => {
      const kids = (await api.tree.getChildren(rel)) as AnyNode[];
      facts.relationshipsExpanded++;
      for (const k of kids) {
        k.getTreeItem();
        if (k.kind === 'role') {
          facts.roleNodes++;
        } else if (k.kind === 'assignment') {
          facts.assignmentNodes++;
        } else if (k.kind === 'message' && (k as { messageKind?: string }).messageKind !== 'empty') {
          facts.errorNodes++;
        }
      }
    });
    // A reload started behind a first level painted from the start-up cache may still be running.
    await treeIdle(api.tree, 5 * 60_000);
    return { ...facts, loadMs: Math.round(performance.now() - started), peakHeapUsed: peak };
  } finally {
    clearInterval(peakTimer);
  }
}
