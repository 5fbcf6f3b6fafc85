import type { CommandName } from './args';
import { AUTO_EXTEND_HELP } from './commands/autoExtend';
import { MAKE_RENEWABLE_HELP } from './commands/makeRenewable';
import { REMOVE_GA_HELP } from './commands/removeGa';
import { RENEW_HELP } from './commands/renew';
import { ACCESS_HELP } from './commands/access';
import { CHECK_HELP } from './commands/check';
import { MCP_HELP } from './commands/mcp';
import { ONBOARDING_HELP } from './commands/onboardingArgs';
import { APPLY_HELP } from './commands/apply';
import { EXPORT_HELP } from './commands/export';
import { PLAN_HELP } from './commands/plan';

const GLOBAL = `Global options:
  --emulator URL         Use the local emulator (loopback only; env GDAP_EMULATOR_URL)
  --emulator-ca FILE     PEM the emulator printed (env GDAP_EMULATOR_CA); trusted for that origin only
  --cloud NAME           global | usgov | usgovdod (default global)
  --client-id ID         Application (client) id: signs you in in the browser (with --tenant);
                         with env GDAP_CLIENT_SECRET: app-only sign-in instead
  --device-code          Sign in with a device code instead of the browser (needs --client-id and
                         --tenant); a fallback that Conditional Access often blocks
  --tenant TENANT        Partner tenant id or domain
  --journal PATH         Action journal (default $XDG_STATE_HOME/gdap/journal.jsonl)
  -v, --verbose          Request log on stderr (tokens redacted)
  -q, --quiet            No progress or notices on stderr
  -h, --help             Help for a command

Authentication, first match wins:
  1. env GDAP_GRAPH_TOKEN / GDAP_PARTNER_CENTER_TOKEN (bearer tokens)
  2. --device-code --client-id ID --tenant TENANT (token cache in $XDG_STATE_HOME/gdap, mode 0600)
  3. --client-id ID --tenant TENANT with env GDAP_CLIENT_SECRET (app-only: Graph only, no remove-dap)
  4. --client-id ID --tenant TENANT: browser sign-in (authorization code + PKCE, redirect to
     http://localhost; the link is printed when no browser opens; same token cache as 2.)
  5. with --emulator and nothing else: signs in to the emulator itself

Exit codes: 0 ok, 1 a target failed, 2 usage or invalid input, 3 authentication failed, 4 findings to report.`;

const MAIN = `Usage: gdap <command> [options]

Manage GDAP relationships, access assignments and legacy DAP from the command line.

Commands:
  inventory            Customers, relationships (and access assignments) as a table, JSON or CSV
  expiring             Active relationships ending soon that will not auto-extend
  access               Who can do what: customer × relationship × group × role
  check                The access doctor: findings over every relationship, each with what to do
  terminate            Terminate relationships
  remove-assignment    Remove an access assignment from a relationship
  remove-dap           Remove legacy DAP (delegated admin privileges) from customers
  auto-extend          Turn auto-extend on or off
  remove-ga            Remove Global Administrator from relationships
  make-renewable       Remove Global Administrator, then turn auto-extend on
  renew                Create and lock a successor for relationships that ended or are ending
  create               Create a relationship, lock it for approval, print the approval link
  lock | delete        Lock drafts for approval | delete drafts
  assign | set-roles   Grant a security group roles | change an assignment's roles
  grant-planned        Grant the assignments planned at creation once approved
  history | invites    A relationship's requests and operations | pending invitations
  plan | apply         Compare a GDAP template (*.gdap.json) with the live state | make it so
  export               Write a GDAP template that reproduces customers' relationships
  mcp                  Serve the GDAP tools to a language model (Model Context Protocol, stdio)
  emulator             Run the local API emulator

Run "gdap <command> --help" for a command's options, "gdap --version" for the version.

Output: on a terminal, read commands print a table that fits its width and changes print one line per
target (✓ done, – skipped, ✗ failed). Piped or redirected, they print JSON exactly as before, so scripts
need no change; --format chooses explicitly.

${GLOBAL}
`;

const MUTATION = `  -y, --yes              Do not ask for confirmation (required without a terminal)
  --dry-run              Print the plan and change nothing
  --format json|table    Results as JSON, or one line per target (default: table on a terminal,
                         json otherwise)`;

const COMMAND_HELP: Record<CommandName, string> = {
  ...ONBOARDING_HELP,
  inventory: `Usage: gdap inventory [--assignments] [--format table|json|csv] [--customer TENANT_ID] [--status STATUS]

Prints every customer with its GDAP relationships, and the relationships not yet tied to a customer.

  --assignments          Include access assignments (of active and expiring relationships)
  --format FORMAT        table, json or csv (default: table on a terminal, json otherwise).
                         table: one row per relationship with its origin (e.g. Microsoft-led
                         transition), shrunk to the terminal's width; with --assignments it
                         counts them. csv: one row per relationship, or per assignment with
                         --assignments
  --customer TENANT_ID   Only this customer's relationships
  --status STATUS        Only relationships in this status (e.g. active, approvalPending)
`,
  expiring: `Usage: gdap expiring [--days N] [--format table|json|csv] [--bucket]

Active relationships that end within N days (default 30) and will not auto-extend.

  --days N               Look-ahead in days, 0-730 (default 30)
  --format FORMAT        table, json or csv (default: table on a terminal, json otherwise)
  --bucket               JSON buckets "1", "7", "30" (days left) and "ended30" (ended in the last
                         30 days), each relationship with its reason: noAutoExtend or globalAdministrator
`,
  'auto-extend': AUTO_EXTEND_HELP,
  'remove-ga': REMOVE_GA_HELP,
  'make-renewable': MAKE_RENEWABLE_HELP,
  renew: RENEW_HELP,
  access: ACCESS_HELP,
  check: CHECK_HELP,
  plan: PLAN_HELP,
  apply: APPLY_HELP,
  export: EXPORT_HELP,
  mcp: MCP_HELP,
  terminate: `Usage: gdap terminate <relationshipId>... [--yes] [--dry-run] [--no-wait] [--timeout SECONDS] [--format json|table]

Terminates active relationships and waits until they are terminated.

${MUTATION}
  --no-wait              Return once the termination was requested
  --timeout SECONDS      Per-relationship wait limit (default 600)
`,
  'remove-assignment': `Usage: gdap remove-assignment <relationshipId> <assignmentId> [--yes] [--dry-run] [--no-wait] [--format json|table]

Removes one access assignment (a security group's roles) from a relationship.

${MUTATION}
  --no-wait              Return once the removal was requested
  --timeout SECONDS      Wait limit (default 600)
`,
  'remove-dap': `Usage: gdap remove-dap <customerTenantId>... [--yes] [--dry-run] [--format json|table]

Removes legacy DAP from customers through Partner Center. Needs a signed-in user (App+User).

${MUTATION}
`,
  emulator: `Usage: gdap emulator [--port N] [--preset empty|demo|large] [options]

Runs the local emulator of Graph GDAP, Partner Center and the sign-in endpoints. It prints its URL and
"ca-file: PATH"; point the CLI at it with --emulator URL --emulator-ca PATH. Options are the emulator's
own (node dist/emulator.js --help lists them).
`,
};

export function helpText(topic?: CommandName): string {
  if (topic === undefined) {
    return MAIN;
  }
  return topic === 'emulator' ? COMMAND_HELP.emulator : `${COMMAND_HELP[topic]}\n${GLOBAL}\n`;
}
