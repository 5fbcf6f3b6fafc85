import * as vscode from 'vscode';
import { expiryBuckets } from '../../core/actions/expiryBuckets';
import type { Inventory, InventoryRelationship } from '../../core/actions/inventory';
import { classifyRelationship, daysUntilEnd } from '../../core/actions/relationshipFacts';
import { COMMANDS } from '../constants';
import type { GdapSettings } from '../settings';
import { count } from '../tree/presentation';
import { viewBadgeNotes, type NoteSubscription } from '../tree/viewBadgeNotes';
import type { PromptHolder } from '../ui/promptLayer';
import { allRelationships } from './renewalTargets';

/*
 * The expiry radar (docs/renewal.md): the explorer's badge, a status-bar item and a daily notification,
 * all computed from the loaded inventory. It never sends a request: the tree's own loads (sign-in,
 * refresh, the reload after a mutation) are what it follows.
 */

/** globalState keys: the UTC day the notification was last shown, and when a snooze ends (epoch ms). */
export const RADAR_STATE_KEYS = {
  lastNotifiedDay: 'gdap.radar.lastNotifiedDay',
  snoozedUntil: 'gdap.radar.snoozedUntil',
} as const;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** The notification names what ends within this many days. */
export const NOTIFY_WITHIN_DAYS = 7;

export interface RadarCounts {
  /** Relationships ending within `gdap.expiryWarningDays` without renewing themselves (the badge). */
  readonly inWindow: number;
  /** The status bar's nearest horizon: 1, 7 or the warning window, and how many end within it. */
  readonly nearest: { readonly days: number; readonly count: number } | null;
  /** What ends within 7 days (the notification's list), soonest first. */
  readonly within7: readonly InventoryRelationship[];
}

/** Pure: the radar's figures for an inventory at `now`. */
export function radarCounts(inventory: Inventory | undefined, now: Date, warningDays: number): RadarCounts {
  const all = allRelationships(inventory);
  const inWindow = all.filter((r) => classifyRelationship(r, now, warningDays) === 'expiringSoon');
  const days = inWindow.map((r) => Math.max(0, daysUntilEnd(r, now) ?? 0));
  let nearest: RadarCounts['nearest'] = null;
  for (const horizon of [1, 7, warningDays]) {
    const n = days.filter((d) => d <= horizon).length;
    if (n > 0 && horizon <= warningDays) {
      nearest = { days: horizon, count: n };
      break;
    }
  }
  const buckets = expiryBuckets(all, now, NOTIFY_WITHIN_DAYS);
  return { inWindow: inWindow.length, nearest, within7: [...buckets['1'], ...buckets['7']] };
}

export function statusBarText(nearest: { readonly days: number; readonly count: number }): string {
  if (nearest.days === 1) {
    return nearest.count === 1
      ? vscode.l10n.t('GDAP: 1 ends within 1 day')
      : vscode.l10n.t('GDAP: {0} end within 1 day', count(nearest.count));
  }
  return nearest.count === 1
    ? vscode.l10n.t('GDAP: 1 ends within {0} days', count(nearest.days))
    : vscode.l10n.t('GDAP: {0} end within {1} days', count(nearest.count), count(nearest.days));
}

export interface RadarDeps {
  readonly inventory: () => Inventory | undefined;
  /** True while the inventory shown is the start-up cache (the check after sign-in waits for a fresh load). */
  readonly fromCache: () => boolean;
  readonly settings: () => GdapSettings;
  readonly signedIn: () => boolean;
  readonly globalState: vscode.Memento;
  readonly prompts: PromptHolder;
  readonly setBadge: (badge: vscode.ViewBadge | undefined) => void;
  readonly now: () => Date;
  /** "Show": the explorer filtered to what ends soon. */
  readonly show: () => Promise<void>;
  /** "Enable Auto-Extend…" on the relationships the notification names. */
  readonly enableAutoExtend: (relationships: readonly InventoryRelationship[]) => Promise<void>;
}

export class ExpiryRadar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setInterval> | undefined;
  private pending: ReturnType<typeof setTimeout> | undefined;
  /** Set at sign-in: the next loaded inventory is checked for the notification. */
  private checkAfterLoad = false;
  /** Other features' lines in the badge's tooltip (e.g. the access findings): the badge stays this radar's. */
  private readonly notes: NoteSubscription = viewBadgeNotes.onDidChange(() => this.scheduleUpdate());

  constructor(private readonly deps: RadarDeps) {
    this.item = vscode.window.createStatusBarItem('gdap.radar', vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('GDAP Expiry Radar');
    this.item.command = COMMANDS.showExpiring;
  }

  /** Sign-in state changed: the hourly check runs only while signed in; signed out, nothing shows. */
  authChanged(signedIn: boolean): void {
    if (signedIn) {
      this.checkAfterLoad = true;
      // Once an hour: the day may have turned (one notification a day) and buckets move with the clock.
      this.timer ??= setInterval(() => void this.tick(), HOUR_MS);
    } else {
      if (this.timer !== undefined) {
        clearInterval(this.timer);
      }
      this.timer = undefined;
      this.checkAfterLoad = false;
    }
    this.scheduleUpdate();
  }

  /** The inventory changed (a load, a reload after a mutation): recompute, and after sign-in check once. */
  inventoryChanged(): void {
    this.scheduleUpdate();
    if (this.checkAfterLoad && this.deps.signedIn() && this.deps.inventory() !== undefined && !this.deps.fromCache()) {
      this.checkAfterLoad = false;
      void this.checkNotification();
    }
  }

  /** Coalesces bursts of tree events into one recomputation. */
  scheduleUpdate(): void {
    if (this.pending !== undefined) {
      return;
    }
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.update();
    }, 50);
  }

  counts(): RadarCounts {
    return radarCounts(this.deps.inventory(), this.deps.now(), this.deps.settings().expiryWarningDays);
  }

  /** Badge and status bar from the loaded inventory (nothing while signed out). */
  update(): RadarCounts | undefined {
    if (!this.deps.signedIn()) {
      this.deps.setBadge(undefined);
      this.item.hide();
      return undefined;
    }
    const c = this.counts();
    const days = this.deps.settings().expiryWarningDays;
    this.deps.setBadge(
      c.inWindow > 0
        ? {
            value: c.inWindow,
            tooltip: viewBadgeNotes.tooltip(
              c.inWindow === 1
                ? vscode.l10n.t('1 relationship ends within {0} days without auto-extend', count(days))
                : vscode.l10n.t('{0} relationships end within {1} days without auto-extend', count(c.inWindow), count(days)),
            ),
          }
        : undefined,
    );
    if (c.nearest === null) {
      this.item.hide();
    } else {
      this.item.text = `$(warning) ${statusBarText(c.nearest)}`;
      this.item.tooltip = vscode.l10n.t('Relationships that end without auto-extend. Click to show them.');
      this.item.backgroundColor = c.nearest.days <= 7 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.show();
    }
    return c;
  }

  /** What the status-bar item shows (undefined while hidden); for the in-host tests. */
  statusBar(): { readonly text: string; readonly command: string | undefined } | undefined {
    const c = this.deps.signedIn() ? this.counts() : undefined;
    return c?.nearest != null
      ? { text: this.item.text, command: typeof this.item.command === 'string' ? this.item.command : undefined }
      : undefined;
  }

  private async tick(): Promise<void> {
    this.update();
    await this.checkNotification();
  }

  /**
   * Shows the notification when it is due: signed in, the setting on, not shown yet this (UTC) day, not
   * snoozed, and something ends within 7 days. Resolves once the user answered (or dismissed) it; true
   * when it was shown.
   */
  async checkNotification(): Promise<boolean> {
    const now = this.deps.now();
    const today = now.toISOString().slice(0, 10);
    const state = this.deps.globalState;
    if (
      !this.deps.signedIn() ||
      !this.deps.settings().notifications ||
      state.get<string>(RADAR_STATE_KEYS.lastNotifiedDay) === today ||
      (state.get<number>(RADAR_STATE_KEYS.snoozedUntil) ?? 0) > now.getTime()
    ) {
      return false;
    }
    const list = this.counts().within7;
    if (list.length === 0) {
      return false;
    }
    // Recorded before asking: at most one a day even when the user never answers.
    await state.update(RADAR_STATE_KEYS.lastNotifiedDay, today);
    await this.ask(list, now);
    return true;
  }

  private async ask(list: readonly InventoryRelationship[], now: Date): Promise<void> {
    const show = vscode.l10n.t('Show');
    const enable = vscode.l10n.t('Enable Auto-Extend…');
    const snooze = vscode.l10n.t('Snooze 1 day');
    const customer = (r: InventoryRelationship): string => r.customer.displayName ?? r.customer.tenantId ?? '?';
    const names = list.slice(0, 5).map((r) => `${r.displayName} (${customer(r)})`);
    const message =
      list.length === 1
        ? vscode.l10n.t('GDAP: "{0}" with {1} ends within 7 days and will not renew by itself.', list[0].displayName, customer(list[0]))
        : list.length <= 5
          ? vscode.l10n.t('GDAP: {0} relationships end within 7 days and will not renew by themselves: {1}', list.length, names.join(', '))
          : vscode.l10n.t(
              'GDAP: {0} relationships end within 7 days and will not renew by themselves: {1} and {2} more',
              list.length,
              names.join(', '),
              list.length - names.length,
            );
    const choice = await this.deps.prompts.current.notify('warning', message, show, enable, snooze);
    if (choice === show) {
      await this.deps.show();
    } else if (choice === enable) {
      await this.deps.enableAutoExtend(list);
    } else if (choice === snooze) {
      await this.deps.globalState.update(RADAR_STATE_KEYS.snoozedUntil, now.getTime() + DAY_MS);
    }
  }

  dispose(): void {
    this.notes.dispose();
    if (this.timer !== undefined) {
      clearInterval(this.timer);
    }
    if (this.pending !== undefined) {
      clearTimeout(this.pending);
    }
    this.item.dispose();
  }
}
