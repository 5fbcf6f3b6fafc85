import { loadInventory } from '../../core/actions/inventory';
import { assignmentGroupIds } from '../../core/insight/accessRows';
import type { ToolSource } from '../../core/tools/toolQueries';
import type { GlobalOptions } from '../args';
import { EXIT_OK, type ExitCode } from '../exitCodes';
import type { CommandContext } from '../run';
import { UsageError } from '../usageError';
import { folderTemplatePlanner } from '../../core/tools/templatePlanner';

export interface McpCommand {
  readonly command: 'mcp';
  readonly global: GlobalOptions;
  readonly allowChanges: boolean;
}

export const MCP_OPTIONS = {
  'allow-changes': { type: 'boolean' },
} as const;

export const MCP_HELP = `Usage: gdap mcp [--allow-changes] [global options]

Serves GDAP Explorer's tools to a language model over the Model Context Protocol on stdin/stdout
(an MCP client starts it; see docs/chat-tools.md). Signs in as every other command does.

Read-only tools: gdap_inventory, gdap_access, gdap_expiring, gdap_check, gdap_impact,
gdap_plan_template.

  --allow-changes        Also offer gdap_auto_extend, gdap_terminate and gdap_remove_assignment. Each
                         call shows the user its plan through the client (MCP elicitation) and sends
                         only on their accept; a client that cannot ask is refused. At most 10 targets
                         per call. The journal marks these changes "origin": "mcp".
`;

export function parseMcp(positionals: readonly string[], values: Record<string, unknown>, global: GlobalOptions): McpCommand {
  if (positionals.length > 0) {
    throw new UsageError(`"gdap mcp" takes no arguments (got "${String(positionals[0])}").`);
  }
  return { command: 'mcp', global, allowChanges: values['allow-changes'] === true };
}

/** Serves until the client closes stdin or the process is interrupted. stdout carries the protocol only. */
export async function runMcp(ctx: CommandContext, parsed: McpCommand): Promise<ExitCode> {
  const source: ToolSource = {
    graph: ctx.clients.graph,
    loadInventory: async (signal) => {
      await ctx.auth.tokens.getToken('graph', { signal: signal ?? ctx.io.signal });
      return loadInventory(ctx.clients.graph, {
        includeAssignments: true,
        signal: signal ?? ctx.io.signal,
        source: ctx.endpoints.emulator !== undefined ? 'emulator' : `graph:${ctx.endpoints.cloud}`,
      });
    },
    groups: async (inventory, signal) => {
      // As `gdap access` names groups: a convenience that stays unresolved without a group-read scope.
      const ids = assignmentGroupIds(inventory);
      if (ids.length === 0 || ctx.clients.graph.getGroupNames === undefined) {
        return {};
      }
      const notFound = new Set<string>();
      const names = await ctx.clients.graph.getGroupNames(ids, {
        signal: signal ?? ctx.io.signal,
        onUnresolved: (id, error) => {
          if (error.kind === 'notFound') {
            notFound.add(id);
          }
        },
      });
      return { names, notFound };
    },
    actionContext: async () => ({ ...(await ctx.actionContext('graph')), origin: 'mcp' }),
  };
  // Loaded here, not at start-up: every other command would otherwise pay for the SDK's schemas.
  const [{ createMcpServer, listedTools }, { StdioServerTransport }] = await Promise.all([
    import('../mcp/mcpServer.js'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const server = createMcpServer({
    source,
    // Templates are read from the folder the server was started in, and from nowhere else.
    templates: folderTemplatePlanner(() => [process.cwd()]),
    allowChanges: parsed.allowChanges,
    notice: (line: string) => {
      if (!parsed.global.quiet) {
        ctx.io.stderr.write(`gdap: ${line}\n`);
      }
    },
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve();
  });
  // The SDK's stdio transport does not end on its own when the client closes our stdin.
  const onEnd = (): void => void server.close();
  process.stdin.once('end', onEnd);
  ctx.io.signal.addEventListener('abort', onEnd, { once: true });
  await server.connect(transport);
  if (!parsed.global.quiet) {
    ctx.io.stderr.write(
      `gdap: mcp: serving ${listedTools(parsed.allowChanges).length} tools on stdio${parsed.allowChanges ? ' (changes allowed, each confirmed by the user)' : ' (read-only)'}\n`,
    );
  }
  await closed;
  process.stdin.off('end', onEnd);
  return EXIT_OK;
}
