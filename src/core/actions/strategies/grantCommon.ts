import { describeError } from '../errorFacts';
import type { BatchItemResult } from '../../graph/gdapApi';
import type { PlanError } from '../mutationStrategy';

/*
 * Small pieces the grant-side strategies (create, lock, delete draft, assign, set roles) share.
 */

/** Why a target could not be read, for a plan item and a `failed` result. */
export function unreadableFacts(error: unknown, what: string): { reason: string; error: string; planError: PlanError } {
  const facts = describeError(error);
  const notFound = facts.kind === 'notFound';
  return {
    reason: notFound ? `${what} not found.` : `Could not be read: ${facts.message}`,
    error: notFound ? `${what} not found: ${facts.message}` : facts.message,
    planError: { kind: facts.kind, message: facts.message },
  };
}

/** Same set of role template ids, ignoring order and case. */
export function sameRoleSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a.map((r) => r.toLowerCase()));
  const y = new Set(b.map((r) => r.toLowerCase()));
  return x.size === y.size && [...x].every((r) => y.has(r));
}

/** The roles of `wanted` a relationship does not hold (lower-case ids). */
export function rolesNotHeld(wanted: readonly string[], held: readonly string[]): string[] {
  const have = new Set(held.map((r) => r.toLowerCase()));
  return wanted.map((r) => r.toLowerCase()).filter((r) => !have.has(r));
}

/** Access assignment statuses that no longer grant anything: a group with only these may be assigned again. */
export const GONE_ASSIGNMENT_STATUSES: readonly string[] = ['deleting', 'deleted', 'error'];

/** The `{ clock }` option of `readToReconcile` when a clock is given. */
export function clockOption<C>(clock: C | undefined): { clock: C } | Record<string, never> {
  return clock !== undefined ? { clock } : {};
}

/**
 * A `readMany` made of single reads, all at once, for states no batch request can read. One failing
 * read rejects the whole: the pipeline then reads each target on its own and keeps the errors apart.
 */
export async function readEach<T, S>(
  targets: readonly T[],
  key: (target: T) => string,
  read: (target: T) => Promise<S>,
): Promise<Map<string, BatchItemResult<S>>> {
  const out = new Map<string, BatchItemResult<S>>();
  await Promise.all(
    targets.map(async (t) => {
      out.set(key(t), { ok: true, value: await read(t) });
    }),
  );
  return out;
}
