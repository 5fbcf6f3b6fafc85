// Payload mutation for property tests: start from a documented example and drop, nullify or retype
// fields anywhere in it (or replace it wholesale with random JSON / truncated JSON text).
import fc from 'fast-check';

type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

export interface Mutation {
  readonly pick: number;
  readonly op: 'drop' | 'null' | 'retype';
  readonly value: unknown;
}

export function applyMutations(original: unknown, mutations: readonly Mutation[]): unknown {
  const copy = JSON.parse(JSON.stringify(original)) as unknown;
  let root = copy;
  for (const m of mutations) {
    const all = paths(root);
    if (all.length === 0) {
      root = m.op === 'null' ? null : m.value;
      continue;
    }
    const path = all[m.pick % all.length];
    let parent = root as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      parent = parent[key] as Record<string | number, unknown>;
    }
    const last = path[path.length - 1];
    if (m.op === 'drop') {
      if (Array.isArray(parent)) {
        parent.splice(Number(last), 1);
      } else {
        delete parent[last];
      }
    } else {
      parent[last] = m.op === 'null' ? null : m.value;
    }
  }
  return root;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('drop' as const, 'null' as const, 'retype' as const),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(''), fc.constant(12345), fc.constant([]), fc.constant({}), fc.string()),
});

/** A mutated copy of `example` (1–4 mutations), or random JSON. */
export function payloadFrom(example: unknown): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(mutationArb, { minLength: 1, maxLength: 4 }).map((ms) => applyMutations(example, ms)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

/** Body text: mutated JSON, truncated JSON, or arbitrary text. */
export function bodyTextFrom(example: unknown): fc.Arbitrary<string> {
  const full = JSON.stringify(example);
  return fc.oneof(
    { weight: 4, arbitrary: payloadFrom(example).map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: fc.nat({ max: Math.max(0, full.length - 1) }).map((n) => full.slice(0, n)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}
