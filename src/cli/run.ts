import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ActionContext, ItemResult, JournalRecord } from '../core/actions/actionTypes';
import { loadInventory } from '../core/actions/inventory';
import { FileJournal, findInterrupted, readRecords } from '../core/actions/journal';
import { reconcileInterrupted } from '../core/actions/reconcile';
import { isExpiring } from '../core/actions/relationshipFacts';
import { defaultStateDir } from '../core/auth/tokenCacheStore';
import type { TokenAudience } from '../core/auth/tokenProvider';
import { createCoreClients, type CoreClients } from '../core/coreClients';
import { resolveEndpoints, type ServiceEndpoints } from '../core/http/clouds';
import { isGdapError } from '../core/http/gdapError';
import { redact } from '../core/http/redact';
import type { RequestLogEntry, RequestLogger } from '../core/http/requestLog';
import { createHttpTransport } from '../core/http/transport';
import { parseCommandLine, type GlobalOptions, type ParsedCommand } from './args';
import { createCliAuth, type CliAuth } from './cliAuth';
import { runAccess } from './commands/access';
import { runCheck } from './commands/check';
import { runAutoExtend } from './commands/autoExtend';
import { runExpiringBuckets } from './commands/expiringBuckets';
import { runMakeRenewable } from './commands/makeRenewable';
import { runMcp } from './commands/mcp';
import { runRemoveGa } from './commands/removeGa';
import { runRenew } from './commands/renew';
import { runApply } from './commands/apply';
import { runExport } from './commands/export';
import { runPlan } from './commands/plan';
import type { CliIo } from './cliIo';
import { requireConfirmationPossible } from './confirm';
import { runEmulatorCommand } from './emulatorCommand';
import { EXIT_FAILED, EXIT_OK, exitCodeForError, type ExitCode } from './exitCodes';
import { helpText } from './help';
import { inventoryJsonParts, relationshipJson } from '../core/domain/projection';
import {
  expiringToTable,
  inventoryRelationships,
  inventoryToCsv,
  inventoryToTable,
  jsonChunks,
  relationshipsToCsv,
  writeChunks,
} from './inventoryOutput';
import { isOnboardingCommand, runOnboardingCommand } from './commands/onboardingRun';
import { withClaimsStepUp } from './claimsStepUp';
import { runMutation } from './mutations';
import { UsageError } from './usageError';
import { CLI_VERSION } from './version';

/** What an API command needs once the command line is valid. */
export interface CommandContext {
  readonly io: CliIo;
  readonly global: GlobalOptions;
  readonly endpoints: ServiceEndpoints;
  readonly clients: CoreClients;
  readonly auth: CliAuth;
  readonly journalPath: string;
  /** Writes a progress or notice line on stderr: only on a terminal and without --quiet. */
  progress(line: string): void;
  /** Signs in for one audience (exit 3 on failure) and returns an action context for it. */
  actionContext(audience: TokenAudience, onItem?: (r: ItemResult) => void): Promise<ActionContext>;
}

export function formatLogEntry(entry: RequestLogEntry): string {
  const parts = [entry.method, redact(entry.url), entry.status === undefined ? '-' : String(entry.status), `${entry.durationMs}ms`];
  if (entry.attempt > 1) {
    parts.push(`attempt ${entry.attempt}`);
  }
  if (entry.clientRequestId !== undefined) {
    parts.push(`client-request-id=${entry.clientRequestId}`);
  }
  if (entry.requestId !== undefined) {
    parts.push(`request-id=${entry.requestId}`);
  }
  if (entry.note !== undefined) {
    parts.push(`(${redact(entry.note)})`);
  }
  return `gdap: http ${parts.join(' ')}`;
}

/** One line per error; details (kind, status, code, request ids, service text) only with --verbose. */
export function formatError(error: unknown, verbose: boolean): string {
  const message = redact(error instanceof Error ? error.message : String(error)).split('\n')[0];
  let text = `gdap: error: ${message}\n`;
  if (verbose && isGdapError(error)) {
    const details: string[] = [`kind=${error.kind}`];
    if (error.status !== undefined) {
      details.push(`status=${error.status}`);
    }
    if (error.code !== undefined) {
      details.push(`code=${error.code}`);
    }
    if (error.requestId !== undefined) {
      details.push(`request-id=${error.requestId}`);
    }
    if (error.clientRequestId !== undefined) {
      details.push(`client-request-id=${error.clientRequestId}`);
    }
    text += `gdap:   ${details.join(' ')}\n`;
    if (error.serviceMessage !== undefined && error.serviceMessage !== '') {
      text += `gdap:   service: ${redact(error.serviceMessage).split('\n')[0]}\n`;
    }
  }
  return text;
}

function readCa(file: string | undefined): string | undefined {
  if (file === undefined) {
    return undefined;
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the emulator certificate "${file}" (${(e as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
}

/** Runs one command line; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommandLine(argv, io.env, { stdoutIsTTY: io.stdoutIsTTY === true });
  } catch (e) {
    io.stderr.write(formatError(e, false));
    return exitCodeForError(e);
  }
  switch (parsed.command) {
    case 'help':
      io.stdout.write(helpText(parsed.topic));
      return EXIT_OK;
    case 'version':
      io.stdout.write(`${CLI_VERSION}\n`);
      return EXIT_OK;
    case 'emulator':
      return runEmulatorCommand(parsed.args, io.scriptDir);
    default:
      return runApiCommand(parsed, io);
  }
}

// Long because: sign-in, the command context and the switch over every command in one place, so each command is wired once.
async function runApiCommand(parsed: Exclude<ParsedCommand, { command: 'help' | 'version' | 'emulator' }>, io: CliIo): Promise<number> {
  const { global } = parsed;
  const stderrLine = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  let clients: CoreClients | undefined;
  let transport: ReturnType<typeof createHttpTransport> | undefined;
  let journal: FileJournal | undefined;
  try {
    if (parsed.command === 'terminate' || parsed.command === 'remove-assignment' || parsed.command === 'remove-dap') {
      const what =
        parsed.command === 'terminate'
          ? 'terminate relationships'
          : parsed.command === 'remove-assignment'
            ? 'remove an access assignment'
            : 'remove DAP';
      requireConfirmationPossible(io, parsed.yes, parsed.dryRun, what);
    }
    const emulatorCaPem = readCa(global.emulatorCaFile);
    const endpoints = resolveEndpoints({ cloud: global.cloud, emulatorUrl: global.emulatorUrl, emulatorCaPem });
    if (endpoints.emulator !== undefined && !global.quiet) {
      stderrLine(`gdap: using the emulator at ${endpoints.emulator.origin}`);
    }
    const log: RequestLogger | undefined = global.verbose ? (entry) => stderrLine(formatLogEntry(entry)) : undefined;
    const stateDir = defaultStateDir(io.env);
    transport = createHttpTransport({ endpoints });
    const auth = createCliAuth({
      global,
      env: io.env,
      endpoints,
      transport,
      stateDir,
      log,
      msalLog: global.verbose ? (m) => stderrLine(`gdap: msal: ${redact(m)}`) : undefined,
      openBrowser: io.openBrowser,
      // The link carries only the PKCE challenge and the state; the code and the verifier never pass here.
      showSignInUrl: (url) =>
        stderrLine(`gdap: no browser could be opened; to sign in, open this link in a browser on this machine:\n${url}`),
      showDeviceCode: (prompt, emulator) => {
        // The prompt is shown, never logged.
        if (!emulator) {
          stderrLine(prompt.message);
        } else if (!global.quiet) {
          stderrLine(`gdap: emulator sign-in for Partner Center: ${prompt.message}`);
        }
      },
    });
    clients = createCoreClients({ endpoints, tokens: auth.tokens, log });
    const journalPath = global.journal ?? path.join(stateDir, 'journal.jsonl');
    const ctxClients = clients;
    const progressOn = io.stderrIsTTY && !global.quiet;
    const context: CommandContext = {
      io,
      global,
      endpoints,
      clients: ctxClients,
      auth,
      journalPath,
      progress: (line) => {
        if (progressOn) {
          stderrLine(`gdap: ${line}`);
        }
      },
      actionContext: async (audience, onItem) => {
        await auth.tokens.getToken(audience, { signal: io.signal });
        const firstUse = journal === undefined;
        journal ??= new FileJournal(journalPath);
        const actionContext: ActionContext = {
          graph: ctxClients.graph,
          partnerCenter: ctxClients.partnerCenter,
          journal,
          actor: await auth.actorFor(audience),
          cloud: endpoints.cloud,
          signal: io.signal,
          onItem,
          onProgress: (id, status) => {
            if (progressOn) {
              stderrLine(`gdap: ${id}: ${status}`);
            }
          },
        };
        if (firstUse) {
          // A run interrupted last time (intent without outcome) is settled by reading its target
          // before anything new is sent, with core's rule, and the user is told.
          const open = findInterrupted(await readRecords(journalPath).catch((): JournalRecord[] => []));
          if (open.length > 0) {
            for (const summary of await reconcileInterrupted(actionContext, open)) {
              stderrLine(`gdap: journal: ${summary.message}`);
            }
          }
        }
        return actionContext;
      },
    };
    if (isOnboardingCommand(parsed)) {
      return await runOnboardingCommand(context, parsed);
    }
    switch (parsed.command) {
      case 'inventory':
        return await runInventory(context, parsed);
      case 'expiring':
        return parsed.bucket === true ? await runExpiringBuckets(context, parsed.days) : await runExpiring(context, parsed);
      case 'auto-extend':
        return await runAutoExtend(context, parsed);
      case 'remove-ga':
        return await runRemoveGa(context, parsed);
      case 'make-renewable':
        return await runMakeRenewable(context, parsed);
      case 'renew':
        return await runRenew(context, parsed);
      case 'access':
        return await runAccess(context, parsed);
      case 'check':
        return await withClaimsStepUp(context, (c) => runCheck(c, parsed));
      case 'plan':
        return await runPlan(context, parsed);
      case 'apply':
        return await runApply(context, parsed);
      case 'export':
        return await runExport(context, parsed);
      case 'mcp':
        return await runMcp(context, parsed);
      default:
        // Remove DAP is a Partner Center call, which may ask for MFA (docs/api-notes.md §15.6).
        return parsed.command === 'remove-dap'
          ? await withClaimsStepUp(context, (c) => runMutation(c, parsed))
          : await runMutation(context, parsed);
    }
  } catch (e) {
    io.stderr.write(formatError(e, global.verbose));
    return exitCodeForError(e);
  } finally {
    await journal?.close().catch(() => undefined);
    clients?.dispose();
    transport?.close();
  }
}

async function runInventory(ctx: CommandContext, parsed: Extract<ParsedCommand, { command: 'inventory' }>): Promise<ExitCode> {
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const inventory = await loadInventory(ctx.clients.graph, {
    includeAssignments: parsed.assignments,
    customerTenantId: parsed.customer,
    status: parsed.status,
    signal: ctx.io.signal,
    source: ctx.endpoints.emulator !== undefined ? 'emulator' : `graph:${ctx.endpoints.cloud}`,
    onProgress: (p) => ctx.progress(`inventory: ${p.phase} ${p.loaded}${p.total !== undefined ? `/${p.total}` : ''}`),
  });
  switch (parsed.format) {
    case 'csv':
      ctx.io.stdout.write(inventoryToCsv(inventory, parsed.assignments));
      break;
    case 'table':
      ctx.io.stdout.write(inventoryToTable(inventory, parsed.assignments, ctx.io.stdoutColumns));
      break;
    default: {
      // Piece by piece: the same text as one JSON.stringify, without holding all of it (inventoryOutput.ts).
      const { top, element } = inventoryJsonParts(inventory);
      await writeChunks(ctx.io.stdout, jsonChunks(top, element));
    }
  }
  const errors = inventory.assignmentErrors ?? [];
  if (errors.length > 0) {
    ctx.io.stderr.write(
      `gdap: error: the access assignments of ${errors.length} relationship(s) could not be loaded (first: ${errors[0].relationshipId}: ${redact(errors[0].message)})\n`,
    );
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

async function runExpiring(ctx: CommandContext, parsed: Extract<ParsedCommand, { command: 'expiring' }>): Promise<ExitCode> {
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const now = new Date();
  // Only active relationships can be "expiring" in this sense; the status filter keeps the read small.
  const inventory = await loadInventory(ctx.clients.graph, {
    includeAssignments: false,
    status: 'active',
    signal: ctx.io.signal,
    now,
    source: ctx.endpoints.emulator !== undefined ? 'emulator' : `graph:${ctx.endpoints.cloud}`,
  });
  const expiring = inventoryRelationships(inventory)
    .filter((r) => isExpiring(r, parsed.days, now))
    .sort((a, b) => (a.endDateTime ?? '').localeCompare(b.endDateTime ?? '') || a.id.localeCompare(b.id));
  if (parsed.format === 'csv') {
    ctx.io.stdout.write(relationshipsToCsv(expiring, false));
  } else if (parsed.format === 'table') {
    ctx.io.stdout.write(expiringToTable(expiring, parsed.days, now, ctx.io.stdoutColumns));
  } else {
    ctx.io.stdout.write(
      `${JSON.stringify({ generatedAt: inventory.generatedAt, source: inventory.source, days: parsed.days, relationships: expiring.map(relationshipJson) }, null, 2)}\n`,
    );
  }
  return EXIT_OK;
}
