import * as vscode from 'vscode';
import {
  autoExtends,
  classifyRelationship,
  daysUntilEnd,
  includesGlobalAdministrator,
  type RelationshipDisplayState,
} from '../../core/actions/relationshipFacts';
import type { InventoryRelationship } from '../../core/actions/inventory';

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "3 Mar 2026" */
export function formatDate(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : dateFormat.format(new Date(ms));
}

/** `approvalPending` → "approval pending" (unknown values are shown as sent, split the same way). */
export function humanStatus(status: string): string {
  return status.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function endsIn(days: number): string {
  if (days <= 0) {
    return vscode.l10n.t('ends today');
  }
  return days === 1 ? vscode.l10n.t('ends in 1 day') : vscode.l10n.t('ends in {0} days', days);
}

/** Description of a relationship: "active · ends in 12 days", "active · auto-extends", "terminated 3 Mar 2026". */
export function relationshipDescription(r: InventoryRelationship, now: Date, busy: string | undefined): string {
  if (busy !== undefined) {
    return busy;
  }
  const parts: string[] = [];
  if (r.status === 'active') {
    const days = daysUntilEnd(r, now);
    parts.push(humanStatus(r.status));
    if (autoExtends(r)) {
      parts.push(vscode.l10n.t('auto-extends'));
    } else if (days !== null) {
      parts.push(endsIn(days));
    }
  } else if (r.status === 'terminated' || r.status === 'expired') {
    // The end date is the termination date only once it has passed (a terminated relationship keeps
    // its planned end date in the API); otherwise the status alone.
    const end = Date.parse(r.endDateTime ?? '');
    const when = Number.isNaN(end) || end > now.getTime() ? undefined : formatDate(r.endDateTime);
    parts.push(when === undefined ? humanStatus(r.status) : `${humanStatus(r.status)} ${when}`);
  } else {
    parts.push(humanStatus(r.status));
  }
  if (includesGlobalAdministrator(r)) {
    parts.push(vscode.l10n.t('Global Administrator'));
  }
  return parts.join(' · ');
}

const ICONS: Record<RelationshipDisplayState, [string, string]> = {
  active: ['pass', 'testing.iconPassed'],
  expiringSoon: ['warning', 'list.warningForeground'],
  pending: ['clock', 'charts.blue'],
  ending: ['sync', 'charts.orange'],
  ended: ['circle-slash', 'disabledForeground'],
  unknown: ['question', 'list.errorForeground'],
};

export function relationshipIcon(state: RelationshipDisplayState, busy: boolean): vscode.ThemeIcon {
  if (busy) {
    return new vscode.ThemeIcon('loading~spin');
  }
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

export function relationshipState(r: InventoryRelationship, now: Date, warningDays: number): RelationshipDisplayState {
  return classifyRelationship(r, now, warningDays);
}

/** "3 relationships · 1 expiring in 12 days" */
export function customerDescription(relationships: readonly InventoryRelationship[], now: Date, warningDays: number): string {
  const count = relationships.length === 1 ? vscode.l10n.t('1 relationship') : vscode.l10n.t('{0} relationships', relationships.length);
  const expiring = relationships.filter((r) => classifyRelationship(r, now, warningDays) === 'expiringSoon');
  if (expiring.length === 0) {
    return count;
  }
  const soonest = Math.max(0, Math.min(...expiring.map((r) => daysUntilEnd(r, now) ?? 0)));
  const when = soonest === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', soonest);
  return `${count} · ${vscode.l10n.t('{0} expiring in {1}', expiring.length, when)}`;
}

/** Markdown-safe text. */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
