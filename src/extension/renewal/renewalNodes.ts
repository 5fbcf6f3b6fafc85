import * as vscode from 'vscode';
import { expiryBucketOf, expiryReason, type ExpiryBucketName } from '../../core/actions/expiryBuckets';
import type { InventoryRelationship } from '../../core/actions/inventory';
import { autoExtends, daysUntilEnd, includesGlobalAdministrator, isAutoExtendOn } from '../../core/actions/relationshipFacts';
import { statusFacet } from '../tree/contextValue';
import { bucketIcon, bucketWords, count, endsIn, formatDate, humanStatus, md, utcNote } from '../tree/presentation';

/*
 * The Renewal view (docs/renewal.md): every relationship that will not renew by itself, grouped by how
 * soon it ends, each with why and its fix as an inline action. Built from the loaded inventory only: it
 * sends no request of its own.
 */

/** The view's groups: the radar's buckets, plus "later" for what ends after 30 days without renewing. */
export type RenewalGroup = ExpiryBucketName | 'later';
export const RENEWAL_GROUPS: readonly RenewalGroup[] = ['1', '7', '30', 'later', 'ended30'];

/** Why a relationship is listed: auto-extend is off, Global Administrator blocks it, or it has ended. */
export type RenewalReason = 'noAutoExtend' | 'globalAdministrator' | 'ended';

/** The group of a relationship, or null when it renews itself (or ended long ago, or was terminated). */
export function renewalGroupOf(r: InventoryRelationship, now: Date): RenewalGroup | null {
  const bucket = expiryBucketOf(r, now);
  if (bucket !== null) {
    return bucket;
  }
  return r.status === 'active' && !autoExtends(r) && (daysUntilEnd(r, now) ?? 1) > 0 ? 'later' : null;
}

export function renewalReasonOf(r: InventoryRelationship, group: RenewalGroup): RenewalReason {
  return group === 'ended30' ? 'ended' : (expiryReason(r) ?? 'noAutoExtend');
}

function groupLabel(group: RenewalGroup): string {
  return group === 'later' ? vscode.l10n.t('ends later') : bucketWords(group);
}

function reasonWords(reason: RenewalReason): string {
  switch (reason) {
    case 'noAutoExtend':
      return vscode.l10n.t('auto-extend is off');
    case 'globalAdministrator':
      return vscode.l10n.t('Global Administrator blocks auto-extend');
    case 'ended':
      return vscode.l10n.t('ended');
  }
}

function fixWords(reason: RenewalReason): string {
  switch (reason) {
    case 'noAutoExtend':
      return vscode.l10n.t('Fix: Turn On Auto-Extend…');
    case 'globalAdministrator':
      return vscode.l10n.t('Fix: Make Renewable… (removes Global Administrator, then turns on auto-extend)');
    case 'ended':
      return vscode.l10n.t('Fix: Renew Relationship… (a successor for the customer to approve)');
  }
}

export class RenewalBucketNode {
  constructor(
    readonly group: RenewalGroup,
    public relationships: readonly InventoryRelationship[],
    public items: readonly RenewalItemNode[],
  ) {}

  get id(): string {
    return `renewal/${this.group}`;
  }

  getTreeItem(): vscode.TreeItem {
    const tight = this.group === '1' || this.group === '7';
    const item = new vscode.TreeItem(
      groupLabel(this.group),
      tight ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    const n = this.relationships.length;
    item.description = n === 1 ? vscode.l10n.t('1 relationship') : vscode.l10n.t('{0} relationships', count(n));
    item.iconPath = this.group === 'later' ? new vscode.ThemeIcon('calendar') : bucketIcon(this.group);
    item.contextValue = `gdap.renewalBucket;bucket.${this.group}`;
    item.accessibilityInformation = { label: `${groupLabel(this.group)}: ${String(item.description)}` };
    return item;
  }
}

export class RenewalItemNode {
  constructor(
    readonly parent: RenewalBucketNode,
    public relationship: InventoryRelationship,
    private readonly now: () => Date,
  ) {}

  get id(): string {
    return `renewal/${this.parent.group}/${this.relationship.id}`;
  }

  get reason(): RenewalReason {
    return renewalReasonOf(this.relationship, this.parent.group);
  }

  getTreeItem(): vscode.TreeItem {
    const r = this.relationship;
    const reason = this.reason;
    const item = new vscode.TreeItem(r.displayName, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const customer = r.customer.displayName ?? r.customer.tenantId ?? '';
    const days = daysUntilEnd(r, this.now());
    const when = reason === 'ended' ? humanStatus(r.status) : days !== null ? endsIn(days) : undefined;
    item.description = [customer, when, reasonWords(reason)].filter((x): x is string => x !== undefined && x !== '').join(' · ');
    item.iconPath = this.parent.group === 'later' ? new vscode.ThemeIcon('calendar') : bucketIcon(this.parent.group);
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**${md(r.displayName)}** (${md(customer)})\n\n`);
    tip.appendMarkdown(`- ${vscode.l10n.t('Ends')}: ${formatDate(r.endDateTime) ?? '—'}\n`);
    tip.appendMarkdown(`- ${reasonWords(reason)}\n\n${md(fixWords(reason))}\n\n${utcNote()}`);
    item.tooltip = tip;
    item.accessibilityInformation = { label: vscode.l10n.t('Relationship {0}: {1}', r.displayName, String(item.description)) };
    item.contextValue = [
      'gdap.renewalItem',
      statusFacet(r.status),
      `reason.${reason}`,
      includesGlobalAdministrator(r) && 'ga',
      isAutoExtendOn(r) ? 'ae.on' : 'ae.off',
      !autoExtends(r) && 'selfRenew.no',
      reason === 'ended' || this.parent.group !== 'later' ? 'can.renew' : undefined,
    ]
      .filter((x): x is string => typeof x === 'string')
      .join(';');
    return item;
  }
}
