import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { isGdapError } from '../../core/http/gdapError';
import { redact } from '../../core/http/redact';
import { applyChange, notConfirmedAnswer, nothingToDoAnswer, prepareChange } from '../../core/tools/toolChanges';
import { runReadTool, type TemplatePlanner, type ToolAnswer, type ToolSource } from '../../core/tools/toolQueries';
import {
  CHANGE_TOOL_NAMES,
  isChangeTool,
  READ_TOOL_NAMES,
  TOOL_DESCRIPTIONS,
  TOOL_INPUT_SCHEMAS,
  ToolInputError,
  type ChangeToolName,
  type ToolName,
} from '../../core/tools/toolSpecs';
import { CLI_VERSION } from '../version';

/*
 * `gdap mcp`: the GDAP tools over the Model Context Protocol (docs/chat-tools.md). The read-only tools
 * always; the changing ones only with --allow-changes, and then each call shows the client its plan through
 * elicitation and sends only on the user's accept — a client that cannot ask the user gets a refusal.
 */

export interface McpServerOptions {
  readonly source: ToolSource;
  readonly allowChanges: boolean;
  readonly templates?: TemplatePlanner;
  /** A notice for the operator (stderr); never a token. */
  readonly notice?: (line: string) => void;
}

/** The tools this server lists. */
export function listedTools(allowChanges: boolean): ToolName[] {
  return [...READ_TOOL_NAMES, ...(allowChanges ? CHANGE_TOOL_NAMES : [])];
}

function toolEntry(name: ToolName): Tool {
  const change = isChangeTool(name);
  return {
    name,
    description: TOOL_DESCRIPTIONS[name],
    inputSchema: TOOL_INPUT_SCHEMAS[name] as Tool['inputSchema'],
    annotations: {
      readOnlyHint: !change,
      destructiveHint: change,
      idempotentHint: !change || name === 'gdap_auto_extend',
      openWorldHint: false,
    },
  };
}

function result(answer: ToolAnswer, isError = false): CallToolResult {
  return { content: [{ type: 'text', text: answer.text }], ...(isError ? { isError: true } : {}) };
}

function errorResult(error: unknown): CallToolResult {
  const message =
    error instanceof ToolInputError
      ? error.message
      : isGdapError(error)
        ? `${error.message} (${error.kind})`
        : `The tool failed: ${error instanceof Error ? error.message : String(error)}`;
  return { content: [{ type: 'text', text: redact(message) }], isError: true };
}

/** The MCP server with its handlers; the caller connects a transport. */
export function createMcpServer(options: McpServerOptions): Server {
  const server = new Server({ name: 'gdap', title: 'GDAP Explorer', version: CLI_VERSION }, { capabilities: { tools: {} } });
  const tools = listedTools(options.allowChanges);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(toolEntry) }));

  const change = async (name: ChangeToolName, input: unknown, signal: AbortSignal): Promise<CallToolResult> => {
    const prepared = await prepareChange(name, input, options.source, { signal });
    if (prepared.confirmation.acting === 0) {
      return result(nothingToDoAnswer(prepared));
    }
    if (server.getClientCapabilities()?.elicitation === undefined) {
      return result(
        notConfirmedAnswer(prepared, 'This MCP client cannot ask the user to confirm (no elicitation support), so nothing was sent.'),
        true,
      );
    }
    const { confirmation } = prepared;
    const reply = await server.elicitInput(
      {
        message: `${confirmation.message}\n\n${confirmation.detail}`,
        requestedSchema: {
          type: 'object',
          properties: {
            confirm: {
              type: 'boolean',
              title: confirmation.confirmLabel,
              description: 'Check to send this change; anything else sends nothing.',
            },
          },
          required: ['confirm'],
        },
      },
      { signal },
    );
    if (reply.action !== 'accept' || reply.content?.confirm !== true) {
      return result(notConfirmedAnswer(prepared, 'The user did not confirm the plan, so nothing was sent.'));
    }
    options.notice?.(`mcp: ${name}: confirmed by the user; sending ${confirmation.acting} change(s)`);
    return result(await applyChange(prepared, options.source, signal));
  };

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const name = request.params.name;
    if (!(tools as readonly string[]).includes(name)) {
      return errorResult(
        new ToolInputError(
          isChangeTool(name)
            ? `${name} changes customers' access and is offered only when the server runs with --allow-changes.`
            : `Unknown tool "${name}".`,
        ),
      );
    }
    try {
      if (isChangeTool(name)) {
        return await change(name, request.params.arguments ?? {}, extra.signal);
      }
      return result(
        await runReadTool(
          name as Exclude<ToolName, ChangeToolName>,
          request.params.arguments ?? {},
          options.source,
          extra.signal,
          options.templates,
        ),
      );
    } catch (error) {
      return errorResult(error);
    }
  });
  return server;
}
