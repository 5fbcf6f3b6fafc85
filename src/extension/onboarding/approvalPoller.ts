import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import type { CommandDeps } from '../commands/commandDeps';
import { allRelationships } from './pick';
import { grantPlannedFor } from './grantCommands';

/** Statuses on the way from the lock to `active`: the customer has not approved yet, or it is being set up. */
const WAITING: readonly string[] = ['approvalPending', 'approved', 'activating'];

export interface PollerTiming {
  /** First wait after a refresh (and after a status change). */
  readonly baseMs: number;
  /** The longest wait; each check that found nothing new doubles the wait up to this. */
  readonly maxMs: number;
}

/** Once a minute after a refresh, backing off to every 15 minutes while nothing changes. */
export const DEFAULT_POLLER_TIMING: PollerTiming = { baseMs: 60_000, maxMs: 15 * 60_000 };

/*
 * Approval polling (docs/onboarding.md §9). Partner Center allows one webhook per partner and another tool
 * may hold it, so the extension looks for itself: on every refresh of the tree (the inventory it loads
 * anyway) and, while any invitation waits, on a timer that backs off. A check reads only the waiting
 * relationships (one $batch); when one moved on, the tree is reloaded — never while a load is in flight —
 * and the reload announces what became active. Nothing runs while signed out.
 */
export class ApprovalPoller implements vscode.Disposable {
  /** Last seen status of each relationship that was waiting, by id, with its name. */
  private readonly watched = new Map<string, { status: string; name: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;
  private checking: Promise<void> | undefined;
  private readonly subs: vscode.Disposable[];
  private disposed = false;

  constructor(
    private readonly deps: CommandDeps,
    private readonly signedIn: () => boolean,
    private readonly timing: PollerTiming = DEFAULT_POLLER_TIMING,
  ) {
    this.delayMs = timing.baseMs;
    this.subs = [deps.tree.store.onDidChange(() => this.onInventory())];
  }

  /** The relationships being watched (for the tests and the log). */
  get watching(): readonly string[] {
    return [...this.watched.keys()];
  }

  /** The inventory changed (a refresh): announce what became active, watch what waits, restart the timer. */
  private onInventory(): void {
    const inv: Inventory | undefined = this.deps.tree.store.current;
    if (inv === undefined) {
      // Signed out or cleared: forget, stop.
      this.watched.clear();
      this.stop();
      return;
    }
    for (const { relationship } of allRelationships(this.deps)) {
      const before = this.watched.get(relationship.id);
      if (before !== undefined && relationship.status === 'active') {
        void this.announce(relationship.id, relationship.displayName);
      }
      if (WAITING.includes(relationship.status)) {
        this.watched.set(relationship.id, { status: relationship.status, name: relationship.displayName });
      } else {
        this.watched.delete(relationship.id);
      }
    }
    this.delayMs = this.timing.baseMs;
    this.schedule();
  }

  private schedule(): void {
    this.stop();
    if (this.disposed || this.watched.size === 0 || !this.signedIn()) {
      return;
    }
    this.timer = setTimeout(() => void this.check(), this.delayMs);
  }

  private stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** One check now (the timer's, or a test's); joins a check in flight rather than starting another. */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (!this.signedIn() || this.watched.size === 0) {
      this.stop();
      return;
    }
    if (this.deps.tree.loading) {
      // A load is in flight: its end reports the statuses (onInventory); do not start a second read.
      this.schedule();
      return;
    }
    let moved = false;
    try {
      const read = await this.deps.clients().graph.getRelationshipsMany([...this.watched.keys()]);
      for (const [id, item] of read) {
        const before = this.watched.get(id);
        if (before !== undefined && (!item.ok || item.value.status !== before.status)) {
          moved = true;
        }
      }
    } catch (e) {
      this.deps.log.info(`Approval check failed (${e instanceof Error ? e.message : String(e)}); trying again later.`);
    }
    if (moved) {
      // The reload fires onInventory, which announces and restarts the timer at its base delay.
      await this.deps.tree.refresh();
      return;
    }
    this.delayMs = Math.min(this.delayMs * 2, this.timing.maxMs);
    this.schedule();
  }

  /** A relationship the partner waited for is active: say so, offer the planned assignments. */
  private async announce(id: string, name: string): Promise<void> {
    const planned = await this.deps.onboarding.planned.get(id);
    const grant = vscode.l10n.t('Grant Planned Assignments');
    const message =
      planned.length === 0
        ? vscode.l10n.t('The customer approved "{0}": it is active now.', name)
        : planned.length === 1
          ? vscode.l10n.t('The customer approved "{0}": it is active now. 1 group assignment is planned for it.', name)
          : vscode.l10n.t('The customer approved "{0}": it is active now. {1} group assignments are planned for it.', name, planned.length);
    this.deps.log.info(`Approved: ${name} (${id}) is active.`);
    const choice = await (planned.length === 0
      ? this.deps.prompts.current.notify('info', message)
      : this.deps.prompts.current.notify('info', message, grant));
    if (choice === grant) {
      try {
        await grantPlannedFor(this.deps, { id, displayName: name });
      } catch (e) {
        await this.deps.funnel.report(e, vscode.l10n.t('Granting the planned assignments'));
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    for (const s of this.subs) {
      s.dispose();
    }
  }
}
