import { z } from 'zod';
import { durationDays, MAX_DISPLAY_NAME_LENGTH } from '../graph/preconditions';
import { english, msg, translated, type Message } from '../messages';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../roles/roleCatalog';
import { parseRoleList } from '../roles/roleNames';
import { findSecrets } from './templateSecrets';

/*
 * The GDAP template file (`*.gdap.json`, docs/templates.md): the desired roles and group assignments per
 * customer. Parsing never stops at the first problem: every problem comes back with its JSON path, so the
 * CLI can list them all (exit 2) and the editor can underline each one.
 */

export const TEMPLATE_VERSION = 1;
export const DEFAULT_TEMPLATE_DURATION = 'P730D';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One segment of a JSON path: a property name or an array index. */
export type PathSegment = string | number;

/** One thing wrong with a template, where it is, and (when obvious) what to write instead. */
export interface TemplateProblem {
  /** `$.relationships[0].roles[2]` */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** In English: the CLI's text and JSON. */
  readonly message: string;
  /**
   * `message` as a code with parameters, for a face that translates it (src/core/messages.ts); absent for a
   * schema library's own wording, which is then shown as it is.
   */
  readonly messageCode?: Message;
  /** Replacements for the value at `segments` (closest role names), best first. */
  readonly suggestions?: readonly string[];
  readonly code:
    | 'syntax'
    | 'schema'
    | 'unknownRole'
    | 'duplicate'
    | 'invalidDuration'
    | 'roleNotInEntry'
    | 'nameOverlap'
    | 'unknownCustomer'
    | 'credential';
}

export interface TemplateAssignment {
  readonly groupId: string;
  /** Role template ids, lower-case, in the order written. */
  readonly roleDefinitionIds: readonly string[];
}

export interface TemplateEntry {
  /** Position in the file (for paths in messages). */
  readonly index: number;
  readonly name: string;
  /** `'*'`: every customer with an active relationship; otherwise lower-case tenant ids. */
  readonly customers: '*' | readonly string[];
  readonly duration: string;
  /** null: not managed (left as it is; new relationships are created without auto-extend). */
  readonly autoExtend: boolean | null;
  readonly roleDefinitionIds: readonly string[];
  readonly assignments: readonly TemplateAssignment[];
  readonly exclusive: boolean;
}

export interface GdapTemplate {
  readonly version: 1;
  readonly relationships: readonly TemplateEntry[];
}

export type TemplateParseResult =
  { readonly ok: true; readonly template: GdapTemplate } | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

const assignmentSchema = z
  .object({
    group: z.string(),
    roles: z.array(z.string()),
  })
  .strict();

const entrySchema = z
  .object({
    name: z.string(),
    customers: z.union([z.literal('*'), z.array(z.string())]),
    duration: z.string().optional(),
    autoExtend: z.boolean().optional(),
    roles: z.array(z.string()),
    assignments: z.array(assignmentSchema).optional(),
    exclusive: z.boolean().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(TEMPLATE_VERSION, { errorMap: () => ({ message: 'The template version must be 1.' }) }),
    relationships: z.array(z.unknown()),
  })
  .strict();

type RawEntry = z.infer<typeof entrySchema>;

/** `$.relationships[0].roles[2]` */
export function jsonPath(segments: readonly PathSegment[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('')}`;
}

/** A problem; `text` is a message (src/core/messages.ts), or a plain string only for the schema library's own words. */
function problem(
  segments: readonly PathSegment[],
  code: TemplateProblem['code'],
  text: Message | string,
  suggestions?: readonly string[],
): TemplateProblem {
  return {
    path: jsonPath(segments),
    segments,
    ...(typeof text === 'string' ? { message: text } : { message: english(text), messageCode: text }),
    code,
    ...(suggestions !== undefined ? { suggestions } : {}),
  };
}

/** A role name (catalog, case-insensitive) or template id, or the problem with the closest names. */
export function resolveTemplateRole(
  text: string,
): { readonly id: string } | { readonly message: Message; readonly suggestions: readonly string[] } {
  if (text.includes(',')) {
    return { message: msg('One role per entry: split "{0}" into separate strings.', text), suggestions: [] };
  }
  const parsed = parseRoleList(text);
  if (parsed.ok) {
    return { id: parsed.roleDefinitionIds[0] };
  }
  const first = parsed.problems[0];
  return { message: first.messageCode, suggestions: first.suggestions };
}

function resolveRoles(roles: readonly string[], at: readonly PathSegment[], problems: TemplateProblem[]): string[] {
  if (roles.length === 0) {
    problems.push(problem(at, 'schema', msg('Name at least one role.')));
  }
  return resolveRolesAt(roles, at, problems).map((r) => r.id);
}

/** Resolved role ids with the index each was written at. */
function resolveRolesAt(
  roles: readonly string[],
  at: readonly PathSegment[],
  problems: TemplateProblem[],
): { readonly id: string; readonly index: number }[] {
  const ids: { id: string; index: number }[] = [];
  roles.forEach((text, i) => {
    const resolved = resolveTemplateRole(text);
    if ('message' in resolved) {
      problems.push(problem([...at, i], 'unknownRole', resolved.message, resolved.suggestions));
    } else if (ids.some((r) => r.id === resolved.id)) {
      problems.push(problem([...at, i], 'duplicate', msg('"{0}" is listed twice; each role once.', text)));
    } else {
      ids.push({ id: resolved.id, index: i });
    }
  });
  return ids;
}

// Long because: one pass over an entry's fields, each check a few lines, all pushing to the same problem list.
function checkEntry(raw: RawEntry, index: number, problems: TemplateProblem[]): TemplateEntry {
  const at: PathSegment[] = ['relationships', index];
  const name = raw.name.trim();
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME_LENGTH) {
    problems.push(
      problem(
        [...at, 'name'],
        'schema',
        msg('The name must be 1 to {0} characters (got {1}).', String(MAX_DISPLAY_NAME_LENGTH), String(name.length)),
      ),
    );
  }
  let customers: '*' | string[] = '*';
  if (raw.customers !== '*' && raw.customers.length === 0) {
    problems.push(problem([...at, 'customers'], 'schema', msg('Name at least one customer tenant id, or "*" for every customer.')));
  }
  if (raw.customers !== '*') {
    const seen = new Set<string>();
    customers = [];
    raw.customers.forEach((c, i) => {
      const id = c.trim().toLowerCase();
      if (!GUID.test(id)) {
        problems.push(
          problem(
            [...at, 'customers', i],
            'schema',
            msg('"{0}" is not a customer tenant id (a GUID); use "*" alone for every customer.', c),
          ),
        );
      } else if (seen.has(id)) {
        problems.push(problem([...at, 'customers', i], 'duplicate', msg('The customer {0} is listed twice.', id)));
      } else {
        seen.add(id);
        (customers as string[]).push(id);
      }
    });
  }
  const duration = (raw.duration ?? DEFAULT_TEMPLATE_DURATION).trim().toUpperCase();
  const days = durationDays(duration);
  if (days === undefined || days < 1 || days > 730) {
    problems.push(
      problem(
        [...at, 'duration'],
        'invalidDuration',
        msg('The duration must be an ISO-8601 duration from P1D to P2Y (730 days), e.g. P730D (got "{0}").', raw.duration ?? ''),
      ),
    );
  }
  const roleIds = resolveRoles(raw.roles, [...at, 'roles'], problems);
  if (raw.autoExtend === true && roleIds.includes(GLOBAL_ADMINISTRATOR_ROLE_ID)) {
    problems.push(
      problem(
        [...at, 'autoExtend'],
        'schema',
        msg('Auto-extend is not available with Global Administrator among the roles: set autoExtend to false or drop the role.'),
      ),
    );
  }
  const groups = new Set<string>();
  const assignments: TemplateAssignment[] = [];
  (raw.assignments ?? []).forEach((a, i) => {
    const where: PathSegment[] = [...at, 'assignments', i];
    const groupId = a.group.trim().toLowerCase();
    if (!GUID.test(groupId)) {
      problems.push(problem([...where, 'group'], 'schema', msg('"{0}" is not a security group id (a GUID).', a.group)));
    } else if (groups.has(groupId)) {
      problems.push(
        problem([...where, 'group'], 'duplicate', msg('The group {0} is listed twice in this entry; give it one list of roles.', groupId)),
      );
    }
    groups.add(groupId);
    if (a.roles.length === 0) {
      problems.push(problem([...where, 'roles'], 'schema', msg('Name at least one role.')));
    }
    const resolved = resolveRolesAt(a.roles, [...where, 'roles'], problems);
    for (const r of resolved) {
      if (!roleIds.includes(r.id)) {
        problems.push(
          problem(
            [...where, 'roles', r.index],
            'roleNotInEntry',
            msg('"{0}" is not among this entry\'s roles; an assignment can only grant roles of its relationship.', a.roles[r.index]),
          ),
        );
      }
    }
    assignments.push({ groupId, roleDefinitionIds: resolved.map((r) => r.id) });
  });
  return {
    index,
    name,
    customers,
    duration,
    autoExtend: raw.autoExtend ?? null,
    roleDefinitionIds: roleIds,
    assignments,
    exclusive: raw.exclusive === true,
  };
}

function customersOverlap(a: TemplateEntry, b: TemplateEntry): boolean {
  if (a.customers === '*' || b.customers === '*') {
    return true;
  }
  const other = new Set(b.customers);
  return a.customers.some((c) => other.has(c));
}

/** Two entries whose names are equal or one a prefix of the other would manage the same relationship. */
function checkOverlaps(entries: readonly TemplateEntry[], problems: TemplateProblem[]): void {
  for (let i = 0; i < entries.length; i += 1) {
    for (let j = 0; j < i; j += 1) {
      const a = entries[i].name.toLowerCase();
      const b = entries[j].name.toLowerCase();
      if ((a.startsWith(b) || b.startsWith(a)) && customersOverlap(entries[i], entries[j])) {
        problems.push(
          problem(
            ['relationships', entries[i].index, 'name'],
            'nameOverlap',
            msg(
              '"{0}" and "{1}" (entry {2}) would manage the same relationships of a customer: an entry manages the newest active relationship whose name starts with its name. Make neither name start with the other.',
              entries[i].name,
              entries[j].name,
              String(entries[j].index + 1),
            ),
          ),
        );
      }
    }
  }
}

/** Parses and validates a template's JSON text. Every problem is returned, each with its JSON path. */
export function parseTemplate(text: string): TemplateParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      problems: [problem([], 'syntax', notJsonMessage(e))],
    };
  }
  return validateTemplate(json);
}

/** Validates a parsed template value (JSON, or YAML read into the same shape). */
export function validateTemplate(json: unknown): TemplateParseResult {
  const shape = fileSchema.safeParse(json);
  const problems: TemplateProblem[] = shape.success
    ? []
    : shape.error.issues.map((issue) => problem(issue.path, 'schema', schemaMessage(issue)));
  const list = (json as { relationships?: unknown } | null)?.relationships;
  const entries: TemplateEntry[] = [];
  if (Array.isArray(list)) {
    list.forEach((value: unknown, i) => {
      // Entry by entry, so one malformed entry (or a wrong version) does not hide the problems of the others.
      const raw = entrySchema.safeParse(value);
      if (raw.success) {
        entries.push(checkEntry(raw.data, i, problems));
      } else {
        problems.push(...raw.error.issues.map((issue) => problem(['relationships', i, ...issue.path], 'schema', schemaMessage(issue))));
      }
    });
  }
  checkOverlaps(entries, problems);
  const secrets = findSecrets(json).map((f) => problem(f.segments, 'credential', f.messageCode));
  if (secrets.length > 0) {
    // Other messages about a secret's place may quote the value ("… is not a GUID"): only ours is kept there.
    const hidden = (p: TemplateProblem): boolean =>
      secrets.some((c) => p.path === c.path || p.path.startsWith(`${c.path}.`) || p.path.startsWith(`${c.path}[`));
    problems.splice(0, problems.length, ...problems.filter((p) => !hidden(p)), ...secrets);
  }
  if (problems.length > 0 || !shape.success) {
    return { ok: false, problems: sortProblems(problems) };
  }
  return { ok: true, template: { version: 1, relationships: entries } };
}

/**
 * A problem's text through a face's `t` (the extension passes `vscode.l10n.t`); English by default, as the
 * CLI prints it. A problem without a code (the schema library's own words) reads as it is.
 */
export function problemText(p: TemplateProblem, t?: (template: string, ...args: string[]) => string): string {
  return p.messageCode !== undefined && t !== undefined ? translated(p.messageCode, t) : p.message;
}

/** The JSON parser's refusal; its own words (with the position) stay an argument. */
export function notJsonMessage(error: unknown): Message {
  return msg('The template is not valid JSON: {0}', error instanceof Error ? error.message : String(error));
}

/** Our words for the schema's issues; any other issue keeps the schema library's English, shown as it is. */
function schemaMessage(issue: z.ZodIssue): Message | string {
  if (issue.code === 'unrecognized_keys') {
    return msg('Unknown field(s) {0}; see the template schema.', issue.keys.map((k) => `"${k}"`).join(', '));
  }
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return msg('"{0}" is required.', String(issue.path[issue.path.length - 1]));
  }
  if (issue.code === 'invalid_union') {
    return msg('Must be "*" or a list of customer tenant ids.');
  }
  // A wrong kind of value (the schema library's words) and the version (the file schema's): the same English as a code.
  const known =
    issue.code === 'invalid_type'
      ? msg('Expected {0}, received {1}', issue.expected, issue.received)
      : msg('The template version must be 1.');
  return english(known) === issue.message ? known : issue.message;
}

/** Problems in file order (by path), so lists are stable. */
function sortProblems(problems: TemplateProblem[]): TemplateProblem[] {
  const key = (p: TemplateProblem): string => p.segments.map((s) => (typeof s === 'number' ? String(s).padStart(6, '0') : s)).join('/');
  return problems
    .map((p, i) => ({ p, i }))
    .sort((x, y) => (key(x.p) < key(y.p) ? -1 : key(x.p) > key(y.p) ? 1 : x.i - y.i))
    .map((x) => x.p);
}

/** Problems only the live data shows: customers the template names that the partner does not have. */
export function checkCustomers(template: GdapTemplate, knownCustomers: ReadonlySet<string>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const entry of template.relationships) {
    if (entry.customers === '*') {
      continue;
    }
    entry.customers.forEach((c, i) => {
      if (!knownCustomers.has(c)) {
        problems.push(
          problem(
            ['relationships', entry.index, 'customers', i],
            'unknownCustomer',
            msg('{0} is not one of your customers (no relationship and not in the customer list); check the tenant id.', c),
          ),
        );
      }
    });
  }
  return problems;
}
