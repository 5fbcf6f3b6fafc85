import type { PlannedAssignment } from '../../core/actions/plannedAssignments';
import { validateCreateRelationship, type CreateRelationshipTarget } from '../../core/actions/strategies/createRelationship';
import { parseRoleList } from '../../core/roles/roleNames';
import { UsageError } from '../usageError';

/*
 * The grant-side commands (docs/onboarding.md): their names, options, help and parsing. The shared
 * parser in args.ts hands over once the global options are parsed; everything here is validated before
 * any request is sent (a problem is a UsageError, exit 2).
 */

export const ONBOARDING_COMMANDS = ['create', 'lock', 'delete', 'assign', 'set-roles', 'history', 'invites', 'grant-planned'] as const;
export type OnboardingCommandName = (typeof ONBOARDING_COMMANDS)[number];

type Spec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };
const CONFIRM: Record<string, Spec> = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  format: { type: 'string' },
};
const WAIT: Record<string, Spec> = { 'no-wait': { type: 'boolean' }, timeout: { type: 'string' } };

export const ONBOARDING_OPTIONS: Record<OnboardingCommandName, Record<string, Spec>> = {
  create: {
    ...CONFIRM,
    ...WAIT,
    name: { type: 'string' },
    roles: { type: 'string' },
    customer: { type: 'string' },
    duration: { type: 'string' },
    'auto-extend': { type: 'boolean' },
    'no-lock': { type: 'boolean' },
    assign: { type: 'string', multiple: true },
  },
  lock: { ...CONFIRM, ...WAIT },
  delete: { ...CONFIRM },
  assign: { ...CONFIRM, ...WAIT, group: { type: 'string' }, roles: { type: 'string' } },
  'set-roles': { ...CONFIRM, ...WAIT, roles: { type: 'string' } },
  history: {},
  invites: { format: { type: 'string' } },
  'grant-planned': { ...CONFIRM, ...WAIT },
};

interface Common<G> {
  readonly global: G;
}
interface Mutating<G> extends Common<G> {
  readonly yes: boolean;
  readonly dryRun: boolean;
  /** One line per target for a person (the default on a terminal), or the JSON results. */
  readonly format: 'json' | 'table';
  readonly wait: boolean;
  readonly timeoutMs: number;
}

export type OnboardingCommand<G> =
  | (Mutating<G> & {
      readonly command: 'create';
      readonly target: CreateRelationshipTarget;
      readonly lock: boolean;
      readonly planned: readonly PlannedAssignment[];
    })
  | (Mutating<G> & { readonly command: 'lock' | 'delete'; readonly ids: readonly string[] })
  | (Mutating<G> & {
      readonly command: 'assign';
      readonly relationshipId: string;
      readonly groupId: string;
      readonly roleDefinitionIds: readonly string[];
    })
  | (Mutating<G> & {
      readonly command: 'set-roles';
      readonly relationshipId: string;
      readonly assignmentId: string;
      readonly roleDefinitionIds: readonly string[];
    })
  | (Mutating<G> & { readonly command: 'grant-planned'; readonly relationshipId: string })
  | (Common<G> & { readonly command: 'history'; readonly relationshipId: string })
  | (Common<G> & { readonly command: 'invites'; readonly format: 'json' | 'csv' | 'table' });

const FORMAT_HELP = `  --format json|table    Results as JSON, or one line per target (default: table on a terminal,
                         json otherwise)`;

export const ONBOARDING_HELP: Record<OnboardingCommandName, string> = {
  create: `Usage: gdap create --name NAME --roles ROLES [--customer TENANT_ID] [--duration P730D] [--auto-extend]
                   [--no-lock] [--assign GROUP_ID=ROLES]... [--yes] [--dry-run]
                   [--format json|table]

Creates a relationship and locks it for approval; prints it with the customer approval link.

  --name NAME            Display name, unique among your relationships, at most 50 characters
  --roles ROLES          Comma-separated role names (e.g. "Global Reader,Helpdesk Administrator") or ids
  --customer TENANT_ID   The customer's tenant id; without it any customer can approve the invitation
  --duration DURATION    P1D to P2Y (default P730D)
  --auto-extend          Extend by 180 days at the end (not with Global Administrator)
  --no-lock              Leave it as a draft ("created"); lock later with "gdap lock"
  --assign GROUP=ROLES   Plan a group assignment, granted by "gdap grant-planned" once approved (repeatable)
  -y, --yes              Do not ask for confirmation (required without a terminal)
  --dry-run              Print the plan and change nothing
${FORMAT_HELP}
`,
  lock: `Usage: gdap lock <relationshipId>... [--yes] [--dry-run] [--no-wait] [--format json|table]

Locks draft relationships for customer approval and prints their approval links.

${FORMAT_HELP}
`,
  delete: `Usage: gdap delete <relationshipId>... [--yes] [--dry-run] [--format json|table]

Deletes draft relationships (status "created"); anything else is skipped with the reason.

${FORMAT_HELP}
`,
  assign: `Usage: gdap assign <relationshipId> --group GROUP_ID --roles ROLES [--yes] [--dry-run] [--no-wait] [--format json|table]

Grants a security group some of an active relationship's roles and waits until the assignment is active.

${FORMAT_HELP}
`,
  'set-roles': `Usage: gdap set-roles <relationshipId> <assignmentId> --roles ROLES [--yes] [--dry-run] [--no-wait] [--format json|table]

Replaces the roles of an access assignment (a subset of the relationship's roles).

${FORMAT_HELP}
`,
  history: `Usage: gdap history <relationshipId>

Prints the relationship's requests and operations: {"requests": [...], "operations": [...]}.
`,
  invites: `Usage: gdap invites [--format table|json|csv]

Pending invitations (approvalPending): age in days, the date the request lapses (90 days) and the approval link.

  --format FORMAT        table, json or csv (default: table on a terminal, json otherwise)
`,
  'grant-planned': `Usage: gdap grant-planned <relationshipId> [--yes] [--dry-run] [--no-wait] [--format json|table]

Grants the group assignments planned with "gdap create --assign" once the relationship is active.

${FORMAT_HELP}
`,
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RELATIONSHIP_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;

function fail(message: string): never {
  throw new UsageError(message);
}

function relationshipId(value: string | undefined, usage: string): string {
  if (value === undefined) {
    fail(`Usage: ${usage}`);
  }
  if (!RELATIONSHIP_ID.test(value)) {
    fail(`"${value}" is not a relationship id (a GUID, or two GUIDs joined by "-").`);
  }
  return value;
}

/** Role list → ids, or a usage error that lists every unknown name with its closest matches. */
export function rolesOption(value: string | undefined, command: string): readonly string[] {
  if (value === undefined) {
    fail(`"gdap ${command}" needs --roles, e.g. --roles "Global Reader,Helpdesk Administrator".`);
  }
  const parsed = parseRoleList(value);
  if (!parsed.ok) {
    fail(parsed.problems.map((p) => p.message).join(' '));
  }
  return parsed.roleDefinitionIds;
}

function groupId(value: string | undefined, what: string): string {
  if (value === undefined || !GUID.test(value)) {
    fail(`${what} must be a security group id (GUID)${value !== undefined ? ` (got "${value}")` : ''}.`);
  }
  return value.toLowerCase();
}

/** The results' format: as asked, else one line per target on a terminal and JSON when piped. */
function resultsFormat(value: string | undefined, terminal: { readonly stdoutIsTTY?: boolean }): 'json' | 'table' {
  if (value === undefined) {
    return terminal.stdoutIsTTY === true ? 'table' : 'json';
  }
  if (value !== 'json' && value !== 'table') {
    fail(`--format must be json or table here (got "${value}").`);
  }
  return value;
}

/** Parses one grant-side command line (the shared parser already checked the option names). */
// Long because: one switch over the grant-side commands' options; each case is a few lines.
export function parseOnboardingCommand<G>(
  command: OnboardingCommandName,
  global: G,
  values: Record<string, string | boolean | (string | boolean)[] | undefined>,
  positionals: readonly string[],
  timeoutMs: () => number,
  terminal: { readonly stdoutIsTTY?: boolean } = {},
): OnboardingCommand<G> {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const mutating = (): Mutating<G> => ({
    global,
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    format: resultsFormat(str('format'), terminal),
    wait: values['no-wait'] !== true,
    timeoutMs: command === 'delete' ? 0 : timeoutMs(),
  });
  const count = (n: number, usage: string): void => {
    if (positionals.length !== n) {
      fail(`Usage: ${usage}`);
    }
  };
  switch (command) {
    case 'create': {
      count(0, ONBOARDING_HELP.create.split('\n')[0].replace('Usage: ', ''));
      const name = str('name');
      if (name === undefined) {
        fail('"gdap create" needs --name NAME.');
      }
      if (str('roles') === undefined) {
        fail('"gdap create" needs --roles, e.g. --roles "Global Reader,Helpdesk Administrator".');
      }
      const v = validateCreateRelationship({
        name,
        roles: str('roles') ?? '',
        ...(str('customer') !== undefined ? { customerTenantId: str('customer') } : {}),
        ...(str('duration') !== undefined ? { duration: str('duration') } : {}),
        autoExtend: values['auto-extend'] === true,
      });
      if (!v.ok) {
        fail(v.problems.map((p) => p.message).join(' '));
      }
      const raw = values.assign;
      const planned = (Array.isArray(raw) ? raw : []).map((entry): PlannedAssignment => {
        const text = String(entry);
        const eq = text.indexOf('=');
        if (eq < 0) {
          fail(`--assign takes GROUP_ID=ROLES (got "${text}").`);
        }
        const group = groupId(text.slice(0, eq).trim(), '--assign');
        const roles = rolesOption(text.slice(eq + 1), 'create --assign');
        const missing = roles.filter((r) => !v.target.roleDefinitionIds.includes(r));
        if (missing.length > 0) {
          fail(`--assign ${group}: the roles must be among --roles (${missing.join(', ')} is not).`);
        }
        return { groupId: group, roleDefinitionIds: roles };
      });
      if (new Set(planned.map((p) => p.groupId)).size !== planned.length) {
        fail('--assign names the same group twice; give each group once with all its roles.');
      }
      return { ...mutating(), command, target: v.target, lock: values['no-lock'] !== true, planned };
    }
    case 'lock':
    case 'delete': {
      if (positionals.length === 0) {
        fail(`Name at least one relationship id: gdap ${command} <relationshipId>...`);
      }
      const ids = positionals.map((p) => relationshipId(p, `gdap ${command} <relationshipId>...`));
      return { ...mutating(), command, ids: [...new Set(ids)] };
    }
    case 'assign': {
      const usage = 'gdap assign <relationshipId> --group GROUP_ID --roles ROLES';
      count(1, usage);
      return {
        ...mutating(),
        command,
        relationshipId: relationshipId(positionals[0], usage),
        groupId: groupId(str('group'), '--group'),
        roleDefinitionIds: rolesOption(str('roles'), command),
      };
    }
    case 'set-roles': {
      const usage = 'gdap set-roles <relationshipId> <assignmentId> --roles ROLES';
      count(2, usage);
      const assignmentId = positionals[1];
      if (!GUID.test(assignmentId)) {
        fail(`"${assignmentId}" is not an access assignment id (a GUID).`);
      }
      return {
        ...mutating(),
        command,
        relationshipId: relationshipId(positionals[0], usage),
        assignmentId,
        roleDefinitionIds: rolesOption(str('roles'), command),
      };
    }
    case 'grant-planned': {
      const usage = 'gdap grant-planned <relationshipId>';
      count(1, usage);
      return { ...mutating(), command, relationshipId: relationshipId(positionals[0], usage) };
    }
    case 'history': {
      const usage = 'gdap history <relationshipId>';
      count(1, usage);
      return { global, command, relationshipId: relationshipId(positionals[0], usage) };
    }
    case 'invites': {
      count(0, 'gdap invites [--format table|json|csv]');
      // As the other read commands: a table when a person reads stdout, JSON when piped.
      const format = str('format') ?? (terminal.stdoutIsTTY === true ? 'table' : 'json');
      if (format !== 'json' && format !== 'csv' && format !== 'table') {
        fail(`--format must be json or csv (for scripts) or table (got "${format}").`);
      }
      return { global, command, format };
    }
  }
}
