import type { ActionContext, ItemResult, Journal } from '../../../../src/core/actions/actionTypes';
import { MemoryJournal } from './memoryJournal';
import { FakeGdap } from './fakeGdap';
import { FakePartnerCenter } from './fakePartnerCenter';
import { InstantClock } from './virtualClock';

export interface TestBed {
  readonly graph: FakeGdap;
  readonly partnerCenter: FakePartnerCenter;
  readonly journal: MemoryJournal;
  readonly items: ItemResult[];
  readonly progress: { id: string; status: string }[];
  ctx(overrides?: Partial<ActionContext> & { journal?: Journal }): ActionContext;
}

export function testBed(): TestBed {
  const graph = new FakeGdap();
  const partnerCenter = new FakePartnerCenter();
  const journal = new MemoryJournal();
  const items: ItemResult[] = [];
  const progress: { id: string; status: string }[] = [];
  return {
    graph,
    partnerCenter,
    journal,
    items,
    progress,
    ctx: (overrides = {}) => ({
      graph,
      partnerCenter,
      journal,
      actor: { kind: 'user', id: 'admin@partner.example', label: 'Partner Admin' },
      cloud: 'global',
      // Virtual time: waits and polls advance this clock instead of sleeping (a test may pass its own).
      clock: new InstantClock(),
      onItem: (r) => items.push(r),
      onProgress: (id, status) => progress.push({ id, status }),
      ...overrides,
    }),
  };
}

/** Every intent has exactly one outcome and no outcome lacks its intent. */
export function assertPaired(journal: MemoryJournal): { intents: number; outcomes: number } {
  const intents = journal.records.filter((r) => r.type === 'intent');
  const outcomes = journal.records.filter((r) => r.type === 'outcome');
  for (const i of intents) {
    const matching = outcomes.filter((o) => o.operationId === i.operationId);
    if (matching.length !== 1) {
      throw new Error(`intent ${i.operationId} has ${matching.length} outcomes`);
    }
  }
  for (const o of outcomes) {
    if (!intents.some((i) => i.operationId === o.operationId)) {
      throw new Error(`outcome ${o.operationId} has no intent`);
    }
  }
  return { intents: intents.length, outcomes: outcomes.length };
}
