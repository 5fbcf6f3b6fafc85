import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import type { AuthService } from '../auth/authService';
import type { CommandDeps } from '../commands/commandDeps';
import { RENEWAL_VIEW_ID } from '../constants';
import type { GdapNode } from '../tree/node';
import { ExpiryRadar, RADAR_STATE_KEYS, type RadarCounts } from './radar';
import { features } from '../lazy/featureLoader';
import { RenewalViewProvider, type RenewalNode } from './renewalView';

/** What the in-host tests reach of the renewal parts (through the test API only). */
export interface RenewalTestHooks {
  readonly view: vscode.TreeView<RenewalNode>;
  readonly provider: RenewalViewProvider;
  /** Recomputes the badge and status bar now and returns the figures. */
  update(): RadarCounts | undefined;
  /** The status-bar item as shown (undefined while hidden). */
  statusBar(): { readonly text: string; readonly command: string | undefined } | undefined;
  /** Runs the daily check now; true when the notification was shown. */
  checkNotification(): Promise<boolean>;
  /** Forgets the day the notification was last shown and (unless kept) the snooze. */
  resetNotificationState(options?: { readonly keepSnooze?: boolean }): Promise<void>;
}

/**
 * Wires the renewal parts (docs/renewal.md): the expiry radar (badge on the explorer, status bar, daily
 * notification) and the Renewal view. Both follow the loaded inventory; neither sends a request.
 */
export function registerRenewal(
  deps: CommandDeps,
  context: vscode.ExtensionContext,
  treeView: vscode.TreeView<GdapNode>,
  auth: AuthService,
): { readonly disposables: vscode.Disposable[]; readonly hooks: RenewalTestHooks } {
  const signedIn = (): boolean => auth.state === 'signedIn';
  const inventory = (): Inventory | undefined => (signedIn() ? deps.tree.store.current : undefined);
  const provider = new RenewalViewProvider(inventory, () => new Date());
  const view = vscode.window.createTreeView<RenewalNode>(RENEWAL_VIEW_ID, { treeDataProvider: provider, canSelectMany: true });
  const radar = new ExpiryRadar({
    inventory,
    fromCache: () => deps.tree.store.isFromCache,
    settings: deps.settings,
    signedIn,
    globalState: context.globalState,
    prompts: deps.prompts,
    setBadge: (badge) => (treeView.badge = badge),
    now: () => new Date(),
    show: () => features().showExpiringCommand(deps),
    enableAutoExtend: (relationships) => features().turnOnAutoExtendFor(deps, relationships),
  });
  const changed = (): void => {
    radar.scheduleUpdate();
    provider.refresh();
  };
  const disposables: vscode.Disposable[] = [
    provider,
    view,
    radar,
    deps.tree.store.onDidChange(() => {
      radar.inventoryChanged();
      provider.refresh();
    }),
    // Repaints after a mutation, a filter or a settings change (the warning window).
    deps.tree.onDidChangeTreeData(changed),
    auth.onDidChangeState((state) => {
      radar.authChanged(state === 'signedIn');
      provider.refresh();
    }),
  ];
  radar.authChanged(signedIn());
  return {
    disposables,
    hooks: {
      view,
      provider,
      update: () => radar.update(),
      statusBar: () => radar.statusBar(),
      checkNotification: () => radar.checkNotification(),
      resetNotificationState: async (options) => {
        await context.globalState.update(RADAR_STATE_KEYS.lastNotifiedDay, undefined);
        if (options?.keepSnooze !== true) {
          await context.globalState.update(RADAR_STATE_KEYS.snoozedUntil, undefined);
        }
      },
    },
  };
}
