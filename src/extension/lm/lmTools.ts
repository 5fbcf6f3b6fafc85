import * as vscode from 'vscode';
import { loadInventory } from '../../core/actions/inventory';
import { isGdapError } from '../../core/http/gdapError';
import { redact } from '../../core/http/redact';
import { assignmentGroupIds } from '../../core/insight/accessRows';
import type { TemplatePlanner, ToolAnswer, ToolSource } from '../../core/tools/toolQueries';
import type { PreparedChange } from '../../core/tools/toolChanges';
import {
  CHANGE_TOOL_NAMES,
  READ_TOOL_NAMES,
  ToolInputError,
  type ChangeToolName,
  type ReadToolName,
  type ToolName,
} from '../../core/tools/toolSpecs';
import { actionContext, type CommandDeps } from '../commands/commandDeps';
import { l10nTranslate } from '../commands/mutationProgress';
import { reloadCustomersOf } from '../commands/strategyRun';
import { features } from '../lazy/featureLoader';
import { readSettings } from '../settings';

/*
 * GDAP Explorer's language-model tools (docs/chat-tools.md): the read-only ones always, the changing ones
 * only outside read-only mode. A changing tool's `prepareInvocation` plans from fresh reads and returns the
 * plan's confirmation (the modal's own text) as the confirmation message, so VS Code asks the user before
 * `invoke`; `invoke` sends only a change that was prepared — and so shown — for exactly this input.
 */

/** How long a shown plan stays good for its invocation. */
const PREPARED_TTL_MS = 10 * 60 * 1000;

type AnyTool = vscode.LanguageModelTool<Record<string, unknown>>;

function signalOf(token: vscode.CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token?.isCancellationRequested === true) {
    controller.abort();
  }
  token?.onCancellationRequested(() => controller.abort());
  return controller.signal;
}

function toResult(a: ToolAnswer): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(a.text)]);
}

/** An error a model can read: what went wrong and what to do; never a token. */
function toolError(error: unknown): Error {
  if (error instanceof ToolInputError) {
    return new Error(redact(error.message));
  }
  if (isGdapError(error)) {
    return new Error(redact(`${error.message} (${error.kind})`));
  }
  return new Error(redact(error instanceof Error ? error.message : String(error)));
}

export interface LmToolsOptions {
  /** The template planner, when there is one (gdap_plan_template says so otherwise). */
  readonly templates?: TemplatePlanner;
}

export class GdapLmTools implements vscode.Disposable {
  private readonly prepared = new Map<string, { readonly change: PreparedChange; readonly at: number }>();
  private readonly tools = new Map<ToolName, AnyTool>();
  private readonly registrations = new Map<ToolName, vscode.Disposable>();
  private readonly configListener: vscode.Disposable;
  readonly source: ToolSource;

  constructor(
    private readonly deps: CommandDeps,
    private readonly options: LmToolsOptions = {},
  ) {
    this.source = {
      get graph() {
        return deps.clients().graph;
      },
      loadInventory: (signal) =>
        loadInventory(deps.clients().graph, {
          includeAssignments: true,
          ...(signal !== undefined ? { signal } : {}),
          source: deps.endpoints().emulator !== undefined ? 'emulator' : 'graph',
        }),
      groups: async (inventory, signal) => {
        const graph = deps.clients().graph;
        const ids = assignmentGroupIds(inventory);
        // Names only when the user opted in (the scope needs admin consent), as the tree does.
        if (!deps.settings().resolveGroupNames || ids.length === 0 || graph.getGroupNames === undefined) {
          return {};
        }
        return { names: await graph.getGroupNames(ids, signal !== undefined ? { signal } : {}) };
      },
      actionContext: async (signal) => ({ ...(await actionContext(deps, signal ?? new AbortController().signal)), origin: 'tool' }),
    };
    for (const name of READ_TOOL_NAMES) {
      this.tools.set(name, this.readTool(name));
    }
    for (const name of CHANGE_TOOL_NAMES) {
      this.tools.set(name, this.changeTool(name));
    }
    this.sync();
    this.configListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('gdap.readOnly')) {
        this.sync();
      }
    });
  }

  /** The tool objects as registered (the in-host tests call them directly). */
  tool(name: ToolName): AnyTool | undefined {
    return this.registrations.has(name) ? this.tools.get(name) : undefined;
  }

  /** The names registered now. */
  registered(): ToolName[] {
    return [...this.registrations.keys()];
  }

  /** Registers what the mode allows: in read-only mode the changing tools are not registered at all. */
  private sync(): void {
    // Read here, not from the runtime: this listener may run before the one that refreshes the runtime's copy.
    const readOnly = readSettings().readOnly;
    for (const [name, tool] of this.tools) {
      const wanted = !readOnly || !(CHANGE_TOOL_NAMES as readonly string[]).includes(name);
      const current = this.registrations.get(name);
      if (wanted && current === undefined) {
        this.registrations.set(name, vscode.lm.registerTool(name, tool));
      } else if (!wanted && current !== undefined) {
        current.dispose();
        this.registrations.delete(name);
        this.prepared.clear();
      }
    }
  }

  private readTool(name: ReadToolName): AnyTool {
    return {
      invoke: async (options, token) => {
        try {
          const { runReadTool } = features();
          return toResult(await runReadTool(name, options.input, this.source, signalOf(token), this.options.templates));
        } catch (error) {
          throw toolError(error);
        }
      },
    };
  }

  private changeTool(name: ChangeToolName): AnyTool {
    return {
      prepareInvocation: async (options, token) => {
        let change: PreparedChange;
        try {
          const { prepareChange } = features();
          change = await prepareChange(name, options.input, this.source, { translate: l10nTranslate, signal: signalOf(token) });
        } catch (error) {
          throw toolError(error);
        }
        this.prepared.set(change.key, { change, at: Date.now() });
        if (change.confirmation.acting === 0) {
          return { invocationMessage: vscode.l10n.t('GDAP: nothing to change') };
        }
        return {
          invocationMessage: vscode.l10n.t('GDAP: sending the confirmed change'),
          confirmationMessages: { title: change.confirmation.message, message: change.confirmation.detail },
        };
      },
      invoke: async (options, token) => {
        try {
          return toResult(await this.invokeChange(name, options.input, signalOf(token)));
        } catch (error) {
          throw toolError(error);
        }
      },
    };
  }

  private async invokeChange(name: ChangeToolName, input: unknown, signal: AbortSignal): Promise<ToolAnswer> {
    const { answer, applyChange, changeKey, nothingToDoAnswer } = features();
    const key = changeKey(name, input);
    const entry = this.prepared.get(key);
    this.prepared.delete(key);
    if (entry === undefined || Date.now() - entry.at > PREPARED_TTL_MS) {
      // Only a plan VS Code showed (prepareInvocation) and the user confirmed may be sent.
      return answer({
        tool: name,
        sent: false,
        outcome: 'notConfirmed',
        why: 'No plan was shown to the user for this input (or it is older than 10 minutes), so nothing was sent. Call the tool again: the user will see the plan and decide.',
      });
    }
    if (entry.change.confirmation.acting === 0) {
      return nothingToDoAnswer(entry.change);
    }
    const result = await applyChange(entry.change, this.source, signal);
    // Only the customers holding the relationships are read again (the whole tree past 20 of them).
    void reloadCustomersOf(this.deps, entry.change.relationshipIds);
    return result;
  }

  dispose(): void {
    this.configListener.dispose();
    for (const d of this.registrations.values()) {
      d.dispose();
    }
    this.registrations.clear();
    this.prepared.clear();
  }
}
