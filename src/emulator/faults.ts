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
  /** `/_emulator/failNext` rules; taken before the seeded roll and never consume it. */
  public readonly failNext = new FailNextQueue();
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

/** A `/_emulator/failNext` rule: the next `count` requests matching `method` and `pathPattern` answer `status`. */
export interface FailNextRule {
  readonly method: string;
  readonly pathPattern: string;
  readonly status: number;
  remaining: number;
}

/** Statuses failNext can answer: the transient ones the fault kinds know, plus a few definite refusals. */
export const FAIL_NEXT_STATUSES = [400, 403, 404, 409, 429, 500, 502, 503, 504] as const;

/**
 * Deterministic faults for one step of a flow (e.g. "the lock fails after the create worked"), next to the
 * random ones: rules are consumed in the order added, each by the requests it matches, never by others.
 */
export class FailNextQueue {
  private rules: { rule: FailNextRule; re: RegExp }[] = [];

  /** Throws Error with one human line when the rule is bad. */
  public add(input: { method?: unknown; pathPattern?: unknown; status?: unknown; count?: unknown }): FailNextRule {
    const method = typeof input.method === 'string' && /^[A-Za-z]+$/.test(input.method) ? input.method.toUpperCase() : undefined;
    if (method === undefined) {
      throw new Error('Send "method": an HTTP method such as "POST".');
    }
    if (typeof input.pathPattern !== 'string' || input.pathPattern === '') {
      throw new Error('Send "pathPattern": a regular expression matched against the request path.');
    }
    let re: RegExp;
    try {
      re = new RegExp(input.pathPattern);
    } catch {
      throw new Error(`"pathPattern" is not a valid regular expression: ${input.pathPattern}`);
    }
    const status = input.status ?? 500;
    if (typeof status !== 'number' || !(FAIL_NEXT_STATUSES as readonly number[]).includes(status)) {
      throw new Error(`"status" must be one of ${FAIL_NEXT_STATUSES.join(', ')}.`);
    }
    const count = input.count ?? 1;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1000) {
      throw new Error('"count" must be a whole number from 1 to 1000.');
    }
    const rule: FailNextRule = { method, pathPattern: input.pathPattern, status, remaining: count };
    this.rules.push({ rule, re });
    return { ...rule };
  }

  public clear(): void {
    this.rules = [];
  }

  public list(): FailNextRule[] {
    return this.rules.map((r) => ({ ...r.rule }));
  }

  /** The status to answer this request with, consuming one use of the first matching rule; or undefined. */
  public take(method: string, path: string): number | undefined {
    const hit = this.rules.find((r) => r.rule.method === method.toUpperCase() && r.re.test(path));
    if (hit === undefined) {
      return undefined;
    }
    hit.rule.remaining -= 1;
    if (hit.rule.remaining <= 0) {
      this.rules = this.rules.filter((r) => r !== hit);
    }
    return hit.rule.status;
  }
}
