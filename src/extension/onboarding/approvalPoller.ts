import * as vscode from 'vscode';
import type { Inventory } from '../../core/actions/inventory';
import { domainRelationship } from '../../core/domain/model';
import type { CommandDeps } from '../commands/commandDeps';
import type { MovedRelationship } from '../tree/inventoryStore';
import { allRelationships } from './pick';
import { BackoffSchedule, SYSTEM_TIMERS, type BackoffTiming, type CheckResult, type TimerFunctions } from './backoffSchedule';
import { grantPlannedFor } from './grantCommands';

/** Statuses on the way from the lock to `active`: the customer has not approved yet, or it is being set up. */
const WAITING: readonly string[] = ['approvalPending', 'approved', 'activating'];

/** First wait after a refresh (and after a status change), and the longest wait. */
export type PollerTiming = BackoffTiming;

/** Once a minute after a refresh, backing off to every 15 minutes while nothing changes. */
export const DEFAULT_POLLER_TIMING: PollerTiming = { baseMs: 60_000, maxMs: 15 * 60_000 };

/*
 * Approval polling (docs/onboarding.md §9). Partner Center allows one webhook per partner and another tool
 * may hold it, so the extension looks for itself: on every refresh of the tree (the inventory it loads
 * anyway) and, while any invitation waits, on a timer that backs off (backoffSchedule.ts). A check reads
 * only the waiting relationships (one $batch); when some moved on, only their customers are read again
 * (the whole tree past 20 customers, gdapTreeProvider.ts) — never while a load is in flight — and the change
 * announces what became active. A check that fails (network lost, throttled) backs off like one that found
 * nothing; nothing runs while signed out.
 */
export class ApprovalPoller implements vscode.Disposable {
  /** Last seen status of each relationship that was waiting, by id, with its name. */
  private readonly watched = new Map<string, { status: string; name: string }>();
  private schedule: BackoffSchedule;
  private readonly subs: vscode.Disposable[];
  /** Counts inventory changes, so a check can tell whether the reload it asked for landed. */
  private inventoryChanges = 0;

  constructor(
    private readonly deps: CommandDeps,
    private readonly signedIn: () => boolean,
    timing: PollerTiming = DEFAULT_POLLER_TIMING,
    private readonly timers: TimerFunctions = SYSTEM_TIMERS,
  ) {
    this.schedule = this.newSchedule(timing);
    this.subs = [deps.tree.store.onDidChange(() => this.onInventory())];
  }

  private newSchedule(timing: PollerTiming): BackoffSchedule {
    return new BackoffSchedule(
      () => this.checkOnce(),
      timing,
      () => this.signedIn() && this.watched.size > 0,
      this.timers,
    );
  }

  /** Other waits (the in-host tests use short ones): starts over at the new base delay. */
  retime(timing: PollerTiming): void {
    this.schedule.dispose();
    this.schedule = this.newSchedule(timing);
    this.schedule.restart();
  }

  /** The relationships being watched (for the tests and the log). */
  get watching(): readonly string[] {
    return [...this.watched.keys()];
  }

  /** The wait before the next check, or undefined when no timer is set (for the tests). */
  get nextCheckInMs(): number | undefined {
    return this.schedule.scheduled ? this.schedule.nextDelayMs : undefined;
  }

  /** The inventory changed (a refresh): announce what became active, watch what waits, restart the timer. */
  private onInventory(): void {
    this.inventoryChanges += 1;
    const inv: Inventory | undefined = this.deps.tree.store.current;
    if (inv === undefined) {
      // Signed out or cleared: forget, stop.
      this.watched.clear();
      this.schedule.pause();
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
    this.schedule.restart();
  }

  /** One check now (the timer's, or a test's); joins a check in flight rather than starting another. */
  async check(): Promise<void> {
    await this.schedule.runNow();
  }

  private async checkOnce(): Promise<CheckResult> {
    if (!this.signedIn() || this.watched.size === 0) {
      return 'idle';
    }
    if (this.deps.tree.loading) {
      // A load is in flight: its end reports the statuses (onInventory); do not start a second read.
      return 'unchanged';
    }
    const seen = await this.readWatched();
    if (!Array.isArray(seen)) {
      return seen;
    }
    // The change fires onInventory, which announces and restarts the timer at its base delay. A change
    // that did not land (a read failed) backs off instead: without it the timer would never be set again.
    const before = this.inventoryChanges;
    await this.deps.tree.applyMoved(seen).catch((e: unknown) => {
      this.deps.log.info(`Reading the approved relationships failed (${e instanceof Error ? e.message : String(e)}); trying again later.`);
    });
    return this.inventoryChanges === before ? 'failed' : 'changed';
  }

  /** Reads the watched relationships: those that moved on, else whether the read failed (not a move). */
  private async readWatched(): Promise<MovedRelationship[] | 'unchanged' | 'failed'> {
    try {
      const read = await this.deps.clients().graph.getRelationshipsMany([...this.watched.keys()]);
      let failed = false;
      const moved: MovedRelationship[] = [];
      for (const [id, item] of read) {
        const before = this.watched.get(id);
        if (before === undefined) {
          continue;
        }
        if (item.ok && item.value.status !== before.status) {
          moved.push({ id, relationship: domainRelationship(item.value) });
        } else if (!item.ok && item.error.kind === 'notFound') {
          moved.push({ id });
        }
        failed ||= !item.ok && item.error.kind !== 'notFound';
      }
      return moved.length > 0 ? moved : failed ? 'failed' : 'unchanged';
    } catch (e) {
      this.deps.log.info(`Approval check failed (${e instanceof Error ? e.message : String(e)}); trying again later.`);
      return 'failed';
    }
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
    this.schedule.dispose();
    for (const s of this.subs) {
      s.dispose();
    }
  }
}
