import { english, msg, type Message } from '../messages';
import { BUILT_IN_ROLES } from './roleCatalog';

/*
 * Role lists as people type them: `--roles "Global Reader, helpdesk administrator"` or template ids.
 * One pure function serves every command and, later, the extension's pickers (docs/onboarding.md §1).
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SUGGESTIONS = 3;

/** One thing wrong with a role list, with a message that says what to do. */
export interface RoleProblem {
  /** The entry as typed (trimmed); empty for a list-level problem. */
  readonly input: string;
  readonly message: string;
  /** `message` as a code with parameters, for a face that translates it (src/core/messages.ts). */
  readonly messageCode: Message;
  /** Catalog names closest to the entry (edit distance), best first. */
  readonly suggestions: readonly string[];
}

export type RoleParseResult =
  { readonly ok: true; readonly roleDefinitionIds: readonly string[] } | { readonly ok: false; readonly problems: readonly RoleProblem[] };

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= t.length; j += 1) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[t.length];
}

/*
 * Names come from the one list of built-in roles (BUILT_IN_ROLES), not from the shorter list of roles
 * partners commonly request: a partner may ask for any built-in role by name, and a second list here
 * would drift from the catalog.
 */

/** The catalog names closest to `input`, best first (ties in catalog order). */
export function closestRoleNames(input: string, count: number = MAX_SUGGESTIONS): string[] {
  return BUILT_IN_ROLES.map((r, index) => ({ name: r.name, index, d: editDistance(input, r.name) }))
    .sort((x, y) => x.d - y.d || x.index - y.index)
    .slice(0, count)
    .map((x) => x.name);
}

const byName = new Map(BUILT_IN_ROLES.map((r) => [r.name.toLowerCase(), r.id]));

/**
 * Parses a comma-separated list of role names (case-insensitive, as in the catalog) or role template
 * ids (any GUID is taken as given: the catalog is not every role, docs/api-notes.md §10) into template
 * ids, lower-case and without repeats, in the order typed. Every unknown name is a problem naming the
 * closest catalog names; an empty list is a problem too.
 */
export function parseRoleList(text: string): RoleParseResult {
  const entries = text
    .split(',')
    .map((e) => e.trim().replace(/\s+/g, ' '))
    .filter((e) => e !== '');
  if (entries.length === 0) {
    const empty = msg('Name at least one role, e.g. "Global Reader,Helpdesk Administrator".');
    return { ok: false, problems: [{ input: '', message: english(empty), messageCode: empty, suggestions: [] }] };
  }
  const ids: string[] = [];
  const problems: RoleProblem[] = [];
  for (const entry of entries) {
    const id = GUID.test(entry) ? entry.toLowerCase() : byName.get(entry.toLowerCase());
    if (id === undefined) {
      const suggestions = closestRoleNames(entry);
      const unknown = msg(
        'Unknown role "{0}". Did you mean {1}? Use a role name or a role template id (GUID).',
        entry,
        suggestions.map((s) => `"${s}"`).join(', '),
      );
      problems.push({ input: entry, message: english(unknown), messageCode: unknown, suggestions });
    } else if (!ids.includes(id)) {
      ids.push(id);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, roleDefinitionIds: ids };
}
