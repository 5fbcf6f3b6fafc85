import * as vscode from 'vscode';
import {
  autoExtends,
  classifyRelationship,
  daysUntilEnd,
  includesGlobalAdministrator,
  type RelationshipDisplayState,
} from '../../core/actions/relationshipFacts';
import type { InventoryCustomer, InventoryRelationship } from '../../core/actions/inventory';
import { summarizeCustomer, type ApprovalState } from '../../core/domain/customerSummary';
import { relationshipOrigin, type RelationshipOriginKind } from '../../core/domain/relationshipOrigin';

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

/** The origin of a relationship whose name is an id, in the user's language ("Microsoft-led transition"). */
export function originLabel(origin: RelationshipOriginKind): string {
  switch (origin) {
    case 'microsoftLedTransition':
      return vscode.l10n.t('Microsoft-led transition');
    case 'cipp':
      return vscode.l10n.t('CIPP');
    case 'lighthouse':
      return vscode.l10n.t('Microsoft 365 Lighthouse');
    case 'microsoftDefault':
      return vscode.l10n.t('Microsoft default');
  }
}

/** The origin tag of a relationship, or undefined for a name the partner chose. */
export function originTag(r: Pick<InventoryRelationship, 'displayName'>): string | undefined {
  const { origin } = relationshipOrigin(r.displayName);
  return origin === null ? undefined : originLabel(origin);
}

/**
 * Description of a relationship: "active · ends in 12 days", "active · auto-extends", "terminated 3 Mar 2026";
 * a relationship whose name is an id leads with where it came from ("Microsoft-led transition · active").
 */
export function relationshipDescription(r: InventoryRelationship, now: Date, busy: string | undefined): string {
  if (busy !== undefined) {
    return busy;
  }
  const parts: string[] = [];
  const tag = originTag(r);
  if (tag !== undefined) {
    parts.push(tag);
  }
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

function approvalStateText(state: ApprovalState): string {
  switch (state) {
    case 'draft':
      return vscode.l10n.t('draft, not yet sent to the customer');
    case 'awaitingApproval':
      return vscode.l10n.t("waiting for the customer's approval");
    case 'approved':
      return vscode.l10n.t('approved, being activated');
  }
}

function inDays(days: number): string {
  if (days <= 0) {
    return vscode.l10n.t('today');
  }
  return days === 1 ? vscode.l10n.t('in 1 day') : vscode.l10n.t('in {0} days', days);
}

/**
 * A customer's tooltip answers the first questions: relationships by status, which ends next, whether any
 * will lapse (ends without auto-extend), where invitations stand, and legacy DAP once it is known.
 */
export function customerTooltip(name: string, customer: InventoryCustomer, dap: boolean | undefined, now: Date): vscode.MarkdownString {
  const summary = summarizeCustomer(customer.relationships, now);
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${md(name)}**\n\n`);
  const lines: string[] = [];
  if (summary.byStatus.length === 0) {
    lines.push(vscode.l10n.t('No GDAP relationship'));
  } else {
    lines.push(`${vscode.l10n.t('Relationships')}: ${summary.byStatus.map((s) => `${s.count} ${humanStatus(s.status)}`).join(', ')}`);
  }
  if (summary.nextEnd !== null) {
    const e = summary.nextEnd;
    lines.push(`${vscode.l10n.t('Next end')}: ${formatDate(e.endDateTime) ?? e.endDateTime} (${inDays(e.days)}, ${md(e.displayName)})`);
  }
  if (summary.lapsing.length > 0) {
    const first = summary.lapsing[0];
    const when = formatDate(first.endDateTime) ?? first.endDateTime;
    lines.push(
      summary.lapsing.length === 1
        ? `⚠ ${vscode.l10n.t('Will lapse: {0} ends {1} without auto-extend', md(first.displayName), when)}`
        : `⚠ ${vscode.l10n.t('Will lapse: {0} relationships end without auto-extend, the first {1}', summary.lapsing.length, when)}`,
    );
  } else if (summary.byStatus.some((s) => s.status === 'active')) {
    lines.push(vscode.l10n.t('Will lapse: none, every active relationship auto-extends'));
  }
  for (const invitation of summary.pendingInvitations) {
    lines.push(`${vscode.l10n.t('Invitation')} ${md(invitation.displayName)}: ${approvalStateText(invitation.state)}`);
  }
  if (dap !== undefined) {
    lines.push(`${vscode.l10n.t('Legacy DAP')}: ${dap ? vscode.l10n.t('on') : vscode.l10n.t('off')}`);
  }
  lines.push(`${vscode.l10n.t('Tenant id')}: \`${customer.tenantId}\``);
  tip.appendMarkdown(lines.map((l) => `- ${l}\n`).join(''));
  return tip;
}

/** Opens the Settings editor at gdap.resolveGroupNames. */
const GROUP_NAMES_SETTING_LINK = `command:workbench.action.openSettings?${encodeURIComponent(JSON.stringify(['gdap.resolveGroupNames']))}`;

/**
 * Why an access assignment shows a group id instead of a name, with a link to the setting. The tooltip
 * trusts exactly that one command, nothing else.
 */
export function groupNameNote(tip: vscode.MarkdownString, settingOn: boolean): void {
  tip.isTrusted = { enabledCommands: ['workbench.action.openSettings'] };
  const why = settingOn
    ? vscode.l10n.t(
        'The group name could not be read: the sign-in needs the Microsoft Graph permission GroupMember.Read.All with admin consent (the log says more).',
      )
    : vscode.l10n.t(
        'Group names are shown only with the setting gdap.resolveGroupNames on, which needs the Microsoft Graph permission GroupMember.Read.All with admin consent.',
      );
  tip.appendMarkdown(`\n\n---\n\n${md(why)} [${vscode.l10n.t('Open the setting')}](${GROUP_NAMES_SETTING_LINK})`);
}
