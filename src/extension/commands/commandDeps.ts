import type * as vscode from 'vscode';
import type { GdapNode } from '../tree/node';
import type { ActionContext, ItemResult, Journal } from '../../core/actions/actionTypes';
import type { CoreClients } from '../../core/coreClients';
import type { ServiceEndpoints } from '../../core/http/clouds';
import type { AuthService } from '../auth/authService';
import type { OnboardingServices } from '../onboarding/services';
import type { GdapSettings } from '../settings';
import type { GdapTreeProvider } from '../tree/gdapTreeProvider';
import type { DetailsProvider } from '../ui/detailsProvider';
import type { ErrorFunnel } from '../ui/errorFunnel';
import type { Log } from '../ui/log';
import type { PromptHolder } from '../ui/promptLayer';

/** What commands are built from; created once by the composition root. */
export interface CommandDeps {
  readonly tree: GdapTreeProvider;
  readonly auth: AuthService;
  readonly clients: () => CoreClients;
  readonly endpoints: () => ServiceEndpoints;
  readonly journal: () => Journal;
  readonly journalPath: string;
  readonly prompts: PromptHolder;
  readonly funnel: ErrorFunnel;
  readonly log: Log;
  readonly settings: () => GdapSettings;
  readonly details: DetailsProvider;
  readonly extensionPath: string;
  /** Planned assignments, admin center links and the way out to browser and mail client (onboarding). */
  readonly onboarding: OnboardingServices;
  /** The tree's view, to reveal a node (the Access Matrix, a finding's quick fix); absent where there is none. */
  readonly treeView?: vscode.TreeView<GdapNode>;
  /** Re-initialises sign-in state and the tree after sign-in / sign-out. */
  readonly afterAuthChange: () => Promise<void>;
}

export async function actionContext(
  deps: CommandDeps,
  signal: AbortSignal,
  onProgress?: (id: string, status: string) => void,
  onItem?: (result: ItemResult) => void,
): Promise<ActionContext> {
  const clients = deps.clients();
  return {
    graph: clients.graph,
    partnerCenter: clients.partnerCenter,
    journal: deps.journal(),
    actor: await deps.auth.getActor(),
    cloud: deps.endpoints().cloud,
    signal,
    onProgress,
    onItem,
  };
}
