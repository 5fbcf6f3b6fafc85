import { SeededRandom } from './random';

/**
 * Fault injection for API routes. SPEC = comma list of `kind:probability`; one roll per API request
 * (and per `$batch` sub-request) from a generator seeded by `--fault-seed`, so a run is reproducible.
 */
export const FAULT_KINDS = ['429', '500', '502', '503', '504', 'reset', 'lost', 'timeout', 'malformed', 'schema'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  probability: number;
}

/** Throws Error with one human line when the SPEC is bad. Empty SPEC = no faults. */
export function parseFaultSpec(spec: string): FaultRule[] {
  const rules: FaultRule[] = [];
  const trimmed = spec.trim();
  if (trimmed === '') {
    return rules;
  }
  let total = 0;
  for (const part of trimmed.split(',')) {
    const [kindRaw, probRaw, extra] = part.trim().split(':');
    const kind = kindRaw as FaultKind;
    if (!FAULT_KINDS.includes(kind) || extra !== undefined) {
      throw new Error(`bad fault "${part.trim()}": kinds are ${FAULT_KINDS.join(', ')} as kind:probability`);
    }
    const p = probRaw === undefined ? NaN : Number(probRaw);
    if (probRaw === undefined || probRaw.trim() === '' || !Number.isFinite(p) || p < 0 || p > 1) {
      throw new Error(`bad fault probability in "${part.trim()}": use a number between 0 and 1`);
    }
    total += p;
    rules.push({ kind, probability: p });
  }
  if (total > 1 + 1e-9) {
    throw new Error(`fault probabilities add up to ${total}, more than 1`);
  }
  return rules;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: SeededRandom;

  public constructor(
    spec: string,
    private seed: number,
  ) {
    this.random = new SeededRandom(seed);
    this.set(spec);
  }

  /** Replaces the rules and restarts the seeded sequence so the same SPEC replays the same faults. */
  public set(spec: string, seed?: number): void {
    this.rules = parseFaultSpec(spec);
    if (seed !== undefined) {
      this.seed = seed;
    }
    this.random = new SeededRandom(this.seed);
  }

  public get active(): boolean {
    return this.rules.length > 0;
  }

  public get spec(): string {
    return this.rules.map((r) => `${r.kind}:${r.probability}`).join(',');
  }

  /** One roll: the fault to apply to this request, or undefined. */
  public roll(): FaultKind | undefined {
    if (this.rules.length === 0) {
      return undefined;
    }
    let r = this.random.next();
    for (const rule of this.rules) {
      if (r < rule.probability) {
        return rule.kind;
      }
      r -= rule.probability;
    }
    return undefined;
  }
}
