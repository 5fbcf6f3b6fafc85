import { parseArgs } from 'node:util';
import { RELATIONSHIP_STATUSES } from '../core/graph/models';
import { isCloudName, parseEmulatorUrl, type CloudName } from '../core/http/clouds';
import { isGdapError } from '../core/http/gdapError';
import { ACCESS_OPTIONS, parseAccess, type AccessCommand } from './commands/access';
import { AUTO_EXTEND_OPTIONS, parseAutoExtend, type AutoExtendCommand } from './commands/autoExtend';
import { CHECK_OPTIONS, parseCheck, type CheckCommand } from './commands/check';
import { MCP_OPTIONS, parseMcp, type McpCommand } from './commands/mcp';
import { MAKE_RENEWABLE_OPTIONS, parseMakeRenewable, type MakeRenewableCommand } from './commands/makeRenewable';
import { parseRemoveGa, REMOVE_GA_OPTIONS, type RemoveGaCommand } from './commands/removeGa';
import { parseRenew, RENEW_OPTIONS, type RenewCommand } from './commands/renew';
import { APPLY_OPTIONS, parseApply, type ApplyCommand } from './commands/apply';
import { EXPORT_OPTIONS, parseExport, type ExportCommand } from './commands/export';
import { parsePlan, PLAN_OPTIONS, type PlanCommand } from './commands/plan';
import { ONBOARDING_COMMANDS, ONBOARDING_OPTIONS, parseOnboardingCommand, type OnboardingCommand } from './commands/onboardingArgs';
import { UsageError } from './usageError';

export const COMMANDS = [
  'inventory',
  'expiring',
  'access',
  'check',
  'terminate',
  'remove-assignment',
  'remove-dap',
  'auto-extend',
  'remove-ga',
  'make-renewable',
  'renew',
  'plan',
  'apply',
  'export',
  ...ONBOARDING_COMMANDS,
  'mcp',
  'emulator',
] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface GlobalOptions {
  readonly emulatorUrl?: string;
  readonly emulatorCaFile?: string;
  readonly cloud: CloudName;
  readonly deviceCode: boolean;
  readonly clientId?: string;
  readonly tenant?: string;
  readonly journal?: string;
  readonly verbose: boolean;
  readonly quiet: boolean;
}

export interface MutationFlags {
  readonly yes: boolean;
  readonly dryRun: boolean;
  /** How the results are printed: a line per target for a person, or the JSON contract. */
  readonly format: 'json' | 'table';
}

/** Output of the read commands. `table` is for people; json and csv are the stable contracts for scripts. */
export type OutputFormat = 'json' | 'csv' | 'table';

/** What the command line cannot tell by itself: whether a person is reading stdout. */
export interface TerminalFacts {
  readonly stdoutIsTTY?: boolean;
}

export type ParsedCommand =
  | { readonly command: 'help'; readonly topic?: CommandName }
  | { readonly command: 'version' }
  | { readonly command: 'emulator'; readonly args: readonly string[] }
  | {
      readonly command: 'inventory';
      readonly global: GlobalOptions;
      readonly assignments: boolean;
      readonly format: OutputFormat;
      readonly customer?: string;
      readonly status?: string;
    }
  | {
      readonly command: 'expiring';
      readonly global: GlobalOptions;
      readonly days: number;
      readonly format: OutputFormat;
      readonly bucket?: boolean;
    }
  | AutoExtendCommand
  | RemoveGaCommand
  | MakeRenewableCommand
  | RenewCommand
  | AccessCommand
  | CheckCommand
  | PlanCommand
  | ApplyCommand
  | ExportCommand
  | McpCommand
  | ({
      readonly command: 'terminate';
      readonly global: GlobalOptions;
      readonly ids: readonly string[];
      readonly wait: boolean;
      readonly timeoutMs: number;
    } & MutationFlags)
  | ({
      readonly command: 'remove-assignment';
      readonly global: GlobalOptions;
      readonly relationshipId: string;
      readonly assignmentId: string;
      readonly wait: boolean;
      readonly timeoutMs: number;
    } & MutationFlags)
  | ({ readonly command: 'remove-dap'; readonly global: GlobalOptions; readonly tenantIds: readonly string[] } & MutationFlags)
  | OnboardingCommand<GlobalOptions>;

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  emulator: { type: 'string' },
  'emulator-ca': { type: 'string' },
  cloud: { type: 'string' },
  'device-code': { type: 'boolean' },
  'client-id': { type: 'string' },
  tenant: { type: 'string' },
  journal: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
};

const COMMAND_OPTIONS: Record<Exclude<CommandName, 'emulator'>, Record<string, OptionSpec>> = {
  inventory: { assignments: { type: 'boolean' }, format: { type: 'string' }, customer: { type: 'string' }, status: { type: 'string' } },
  expiring: { days: { type: 'string' }, format: { type: 'string' }, bucket: { type: 'boolean' } },
  'auto-extend': AUTO_EXTEND_OPTIONS,
  'remove-ga': REMOVE_GA_OPTIONS,
  'make-renewable': MAKE_RENEWABLE_OPTIONS,
  renew: RENEW_OPTIONS,
  access: ACCESS_OPTIONS,
  check: CHECK_OPTIONS,
  plan: PLAN_OPTIONS,
  apply: APPLY_OPTIONS,
  export: EXPORT_OPTIONS,
  mcp: MCP_OPTIONS,
  terminate: {
    yes: { type: 'boolean', short: 'y' },
    'dry-run': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
    format: { type: 'string' },
  },
  'remove-assignment': {
    yes: { type: 'boolean', short: 'y' },
    'dry-run': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
    format: { type: 'string' },
  },
  'remove-dap': { yes: { type: 'boolean', short: 'y' }, 'dry-run': { type: 'boolean' }, format: { type: 'string' } },
  ...ONBOARDING_OPTIONS,
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Relationship ids are a GUID, or two GUIDs joined by a hyphen (docs/api-notes.md §2.1 examples). */
const RELATIONSHIP_ID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i;
/** Tenant for sign-in: a GUID or a domain name (it becomes a URL path segment). */
const TENANT =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)$/i;
const CLIENT_ID = GUID;

export const DEFAULT_TIMEOUT_SECONDS = 600;
export const MAX_TIMEOUT_SECONDS = 86_400;
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 730;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function isRelationshipId(value: string): boolean {
  return RELATIONSHIP_ID.test(value);
}

function fail(message: string): never {
  throw new UsageError(message);
}

/** A whole number within [min, max], written in plain digits. */
export function parseIntegerOption(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value.trim())) {
    fail(`--${name} must be a whole number between ${min} and ${max} (got "${value}").`);
  }
  const n = Number(value.trim());
  if (n < min || n > max) {
    fail(`--${name} must be between ${min} and ${max} (got ${n}).`);
  }
  return n;
}

/**
 * The read commands' format: as asked, else a table when a person reads stdout and JSON when it goes to a
 * pipe or file, so scripts see exactly what they always saw.
 */
function parseFormat(value: string | undefined, terminal: TerminalFacts): OutputFormat {
  if (value === undefined) {
    return terminal.stdoutIsTTY === true ? 'table' : 'json';
  }
  if (value === 'json' || value === 'csv' || value === 'table') {
    return value;
  }
  return fail(`--format must be json or csv (for scripts) or table (got "${value}").`);
}

/** The mutations' format: one line per target on a terminal, the JSON results otherwise. */
function parseMutationFormat(value: string | undefined, terminal: TerminalFacts): 'json' | 'table' {
  if (value === undefined) {
    return terminal.stdoutIsTTY === true ? 'table' : 'json';
  }
  if (value === 'json' || value === 'table') {
    return value;
  }
  return fail(`--format must be json or table here (got "${value}").`);
}

function parseGlobal(values: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv): GlobalOptions {
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const cloud = str('cloud') ?? 'global';
  if (!isCloudName(cloud) || cloud === 'china') {
    fail(`--cloud must be global, usgov or usgovdod (got "${cloud}").`);
  }
  const emulatorUrl =
    str('emulator') ?? (env.GDAP_EMULATOR_URL !== undefined && env.GDAP_EMULATOR_URL !== '' ? env.GDAP_EMULATOR_URL : undefined);
  if (emulatorUrl !== undefined) {
    try {
      parseEmulatorUrl(emulatorUrl);
    } catch (e) {
      fail(isGdapError(e) ? e.message : `Invalid emulator URL "${emulatorUrl}".`);
    }
  }
  const emulatorCaFile =
    str('emulator-ca') ?? (env.GDAP_EMULATOR_CA !== undefined && env.GDAP_EMULATOR_CA !== '' ? env.GDAP_EMULATOR_CA : undefined);
  const clientId = str('client-id');
  if (clientId !== undefined && !CLIENT_ID.test(clientId)) {
    fail(`--client-id must be an application (client) id, a GUID (got "${clientId}").`);
  }
  const tenant = str('tenant');
  if (tenant !== undefined && !TENANT.test(tenant)) {
    fail(`--tenant must be a tenant id (GUID) or a domain name (got "${tenant}").`);
  }
  const deviceCode = values['device-code'] === true;
  if (deviceCode && (clientId === undefined || tenant === undefined)) {
    fail('--device-code needs --client-id and --tenant.');
  }
  if ((clientId === undefined) !== (tenant === undefined)) {
    fail('--client-id and --tenant go together.');
  }
  const journal = str('journal');
  if (journal === '') {
    fail('--journal needs a file path.');
  }
  if (values.verbose === true && values.quiet === true) {
    fail('--verbose and --quiet cannot be combined.');
  }
  return {
    emulatorUrl,
    emulatorCaFile,
    cloud,
    deviceCode,
    clientId,
    tenant,
    journal,
    verbose: values.verbose === true,
    quiet: values.quiet === true,
  };
}

function isCommand(value: string): value is CommandName {
  return (COMMANDS as readonly string[]).includes(value);
}

/**
 * Parses and validates the whole command line before anything is sent: unknown options, bad GUIDs,
 * statuses, durations and numbers are a `UsageError` (exit 2).
 */
// Long because: one switch over every command's options; each case is a few lines and the command table reads best in one place.
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = {}, terminal: TerminalFacts = {}): ParsedCommand {
  const first = argv[0];
  if (first === undefined) {
    return { command: 'help' };
  }
  if (first === '--version' || first === '-V') {
    if (argv.length > 1) {
      fail('--version takes no other arguments.');
    }
    return { command: 'version' };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = argv[1];
    if (topic !== undefined && !isCommand(topic)) {
      fail(`Unknown command "${topic}". Run "gdap --help" for the list.`);
    }
    return { command: 'help', topic };
  }
  if (!isCommand(first)) {
    fail(
      first.startsWith('-')
        ? `The command comes first, e.g. "gdap inventory ${first}". Run "gdap --help".`
        : `Unknown command "${first}". Run "gdap --help" for the list.`,
    );
  }
  if (first === 'emulator') {
    // The emulator parses its own options; help for it comes from the emulator itself.
    return { command: 'emulator', args: argv.slice(1) };
  }
  const options = { ...GLOBAL_OPTIONS, ...COMMAND_OPTIONS[first] };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv.slice(1)], options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    fail(`${message.replace(/\. To specify a positional argument.*$/, '.')} Run "gdap ${first} --help".`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help === true) {
    return { command: 'help', topic: first };
  }
  const positionals = parsed.positionals;
  const global = parseGlobal(values, env);
  const noPositionals = (): void => {
    if (positionals.length > 0) {
      fail(`"gdap ${first}" takes no arguments (got "${positionals[0]}").`);
    }
  };
  const str = (k: string): string | undefined => (typeof values[k] === 'string' ? values[k] : undefined);
  const timeoutMs = (): number =>
    parseIntegerOption('timeout', str('timeout') ?? String(DEFAULT_TIMEOUT_SECONDS), 1, MAX_TIMEOUT_SECONDS) * 1000;
  const flags = (): MutationFlags => ({
    yes: values.yes === true,
    dryRun: values['dry-run'] === true,
    format: parseMutationFormat(str('format'), terminal),
  });

  switch (first) {
    case 'inventory': {
      noPositionals();
      const customer = str('customer');
      if (customer !== undefined && !isGuid(customer)) {
        fail(`--customer must be a customer tenant id (GUID) (got "${customer}").`);
      }
      const status = str('status');
      if (status !== undefined && !(RELATIONSHIP_STATUSES as readonly string[]).includes(status)) {
        fail(`--status must be one of ${RELATIONSHIP_STATUSES.join(', ')} (got "${status}").`);
      }
      return {
        command: 'inventory',
        global,
        assignments: values.assignments === true,
        format: parseFormat(str('format'), terminal),
        customer: customer?.toLowerCase(),
        status,
      };
    }
    case 'expiring': {
      noPositionals();
      if (values.bucket === true && str('format') === 'csv') {
        fail('--bucket prints JSON only; leave out --format csv.');
      }
      return {
        command: 'expiring',
        global,
        days: parseIntegerOption('days', str('days') ?? String(DEFAULT_DAYS), 0, MAX_DAYS),
        format: parseFormat(str('format'), terminal),
        ...(values.bucket === true ? { bucket: true } : {}),
      };
    }
    case 'auto-extend':
      return parseAutoExtend(positionals, values, global, terminal);
    case 'remove-ga':
      return parseRemoveGa(positionals, values, global, terminal);
    case 'make-renewable':
      return parseMakeRenewable(positionals, values, global, terminal);
    case 'renew':
      return parseRenew(positionals, values, global, terminal);
    case 'access':
      return parseAccess(positionals, parsed.values, global, terminal);
    case 'check':
      return parseCheck(positionals, parsed.values, global, terminal);
    case 'plan':
      return parsePlan(positionals, parsed.values, global, terminal);
    case 'apply':
      return parseApply(positionals, parsed.values, global, terminal);
    case 'export':
      return parseExport(positionals, parsed.values, global);
    case 'mcp':
      return parseMcp(positionals, parsed.values, global);
    case 'terminate': {
      if (positionals.length === 0) {
        fail('Name at least one relationship id: gdap terminate <relationshipId>...');
      }
      for (const id of positionals) {
        if (!isRelationshipId(id)) {
          fail(`"${id}" is not a relationship id (a GUID, or two GUIDs joined by "-").`);
        }
      }
      return {
        command: 'terminate',
        global,
        ids: dedupe(positionals),
        wait: values['no-wait'] !== true,
        timeoutMs: timeoutMs(),
        ...flags(),
      };
    }
    case 'remove-assignment': {
      if (positionals.length !== 2) {
        fail('Usage: gdap remove-assignment <relationshipId> <assignmentId>');
      }
      const [relationshipId, assignmentId] = positionals;
      if (!isRelationshipId(relationshipId)) {
        fail(`"${relationshipId}" is not a relationship id (a GUID, or two GUIDs joined by "-").`);
      }
      if (!isGuid(assignmentId)) {
        fail(`"${assignmentId}" is not an access assignment id (a GUID).`);
      }
      return {
        command: 'remove-assignment',
        global,
        relationshipId,
        assignmentId,
        wait: values['no-wait'] !== true,
        timeoutMs: timeoutMs(),
        ...flags(),
      };
    }
    case 'remove-dap': {
      if (positionals.length === 0) {
        fail('Name at least one customer tenant id: gdap remove-dap <customerTenantId>...');
      }
      for (const id of positionals) {
        if (!isGuid(id)) {
          fail(`"${id}" is not a customer tenant id (a GUID).`);
        }
      }
      return { command: 'remove-dap', global, tenantIds: dedupe(positionals.map((p) => p.toLowerCase())), ...flags() };
    }
    default:
      return parseOnboardingCommand(first, global, parsed.values, positionals, timeoutMs, terminal);
  }
}

/** The same target named twice is acted on once. */
function dedupe(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  return ids.filter((id) => {
    const key = id.toLowerCase();
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
