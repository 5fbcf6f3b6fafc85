import { domainRoles } from '../../domain/roles';
import { english, msg, type Message } from '../../messages';
import { describeError } from '../errorFacts';
import type { BatchItemResult } from '../../graph/gdapApi';
import type { PlanError } from '../mutationStrategy';

/*
 * Small pieces the grant-side strategies (create, lock, delete draft, assign, set roles) share.
 */

/** What a grant-side strategy reads before deciding, named in its "not found" reason. */
export type UnreadableWhat = 'Relationship' | 'Relationship list' | 'Relationship or access assignment';

/** One literal template per subject, so that each can be collected and translated whole (src/core/messages.ts). */
const NOT_FOUND: Record<UnreadableWhat, { readonly reason: Message; readonly error: (detail: string) => Message }> = {
  Relationship: { reason: msg('Relationship not found.'), error: (d) => msg('Relationship not found: {0}', d) },
  'Relationship list': { reason: msg('Relationship list not found.'), error: (d) => msg('Relationship list not found: {0}', d) },
  'Relationship or access assignment': {
    reason: msg('Relationship or access assignment not found.'),
    error: (d) => msg('Relationship or access assignment not found: {0}', d),
  },
};

/**
 * Why a target could not be read, for a plan item and a `failed` result: in English (`reason`, `error`, as
 * before) and as messages for a translating face; `errorMessage` is undefined when the error is the service's.
 */
export function unreadableFacts(
  error: unknown,
  what: UnreadableWhat,
): { reason: string; reasonMessage: Message; error: string; errorMessage: Message | undefined; planError: PlanError } {
  const facts = describeError(error);
  const notFound = facts.kind === 'notFound';
  const reasonMessage = notFound ? NOT_FOUND[what].reason : msg('Could not be read: {0}', facts.message);
  // Any other error is the service's (or the network's) own message: passed on as it is, untranslated.
  const errorMessage = notFound ? NOT_FOUND[what].error(facts.message) : undefined;
  return {
    reason: english(reasonMessage),
    reasonMessage,
    error: errorMessage !== undefined ? english(errorMessage) : facts.message,
    errorMessage,
    planError: { kind: facts.kind, message: facts.message },
  };
}

/** Why an assignment cannot use `missing` (role template ids its relationship does not hold). */
export function notHeldMessage(missing: readonly string[]): Message {
  const names = domainRoles(missing)
    .map((m) => m.name)
    .join(', ');
  return msg('The relationship does not hold {0}; an assignment can only use roles of its relationship.', names);
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
