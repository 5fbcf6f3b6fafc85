import * as vscode from 'vscode';
import {
  autoExtends,
  classifyRelationship,
  daysUntilEnd,
  includesGlobalAdministrator,
  type RelationshipDisplayState,
} from '../../core/actions/relationshipFacts';
import { expiryBucketOf, type ExpiryBucketName } from '../../core/actions/expiryBuckets';
import type { InventoryCustomer, InventoryRelationship } from '../../core/actions/inventory';
import { toInvitation } from '../../core/actions/onboarding';
import { summarizeCustomer, type ApprovalState } from '../../core/domain/customerSummary';
import { relationshipOrigin, type RelationshipOriginKind } from '../../core/domain/relationshipOrigin';
import { formatCount, formatUtcDate, isoDurationDays, safeLocale } from '../ui/intlFormat';

let localeOf: { language: string; locale: string } | undefined;

/** VS Code's display language as an `Intl` locale (never a fixed one: dates follow the user's language). */
export function displayLocale(): string {
  // Canonicalising the tag costs more than the formatting itself, and every tree item asks: once per language.
  const language = vscode.env.language;
  if (localeOf?.language !== language) {
    localeOf = { language, locale: safeLocale(language) };
  }
  return localeOf.locale;
}

/** A UTC calendar date in the display language ("3 Mar 2026", "03.03.2026"); tooltips that show one say "UTC". */
export function formatDate(value: string | null | undefined): string | undefined {
  return formatUtcDate(value, displayLocale());
}

/** Counts already formatted, per locale: the tree formats the same small numbers thousands of times. */
const counts = new Map<string, Map<number, string>>();
const COUNTS_KEPT = 1000;

/** A count with the display language's digit grouping. */
export function count(n: number): string {
  const locale = displayLocale();
  let known = counts.get(locale);
  if (known === undefined) {
    known = new Map();
    counts.set(locale, known);
  }
  let text = known.get(n);
  if (text === undefined) {
    text = formatCount(n, locale);
    if (known.size < COUNTS_KEPT) {
      known.set(n, text);
    }
  }
  return text;
}

/** "730 days" for the API's ISO 8601 duration "P730D"; anything else as sent. */
export function formatDuration(duration: string): string {
  const days = isoDurationDays(duration);
  if (days === null) {
    return duration;
  }
  return days === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', count(days));
}

/** The note under tooltips that show dates. */
export function utcNote(): string {
  return vscode.l10n.t('Dates are calendar days in UTC.');
}

/**
 * A relationship or access assignment status in the display language (`approvalPending` → "approval pending");
 * values the API adds later (docs/api-notes.md: evolvable enums) are shown as sent, split the same way.
 */
export function humanStatus(status: string): string {
  switch (status) {
    case 'active':
      return vscode.l10n.t('active');
    case 'activating':
      return vscode.l10n.t('activating');
    case 'approvalPending':
      return vscode.l10n.t('approval pending');
    case 'approved':
      return vscode.l10n.t('approved');
    case 'created':
      return vscode.l10n.t('created');
    case 'expired':
      return vscode.l10n.t('expired');
    case 'expiring':
      return vscode.l10n.t('expiring');
    case 'terminated':
      return vscode.l10n.t('terminated');
    case 'terminating':
      return vscode.l10n.t('terminating');
    case 'terminationRequested':
      return vscode.l10n.t('termination requested');
    case 'pending':
      return vscode.l10n.t('pending');
    case 'deleting':
      return vscode.l10n.t('deleting');
    case 'deleted':
      return vscode.l10n.t('deleted');
    case 'error':
      return vscode.l10n.t('error');
    default:
      return status.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  }
}

export function endsIn(days: number): string {
  if (days <= 0) {
    return vscode.l10n.t('ends today');
  }
  return days === 1 ? vscode.l10n.t('ends in 1 day') : vscode.l10n.t('ends in {0} days', count(days));
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
  } else if (r.status === 'approvalPending') {
    parts.push(humanStatus(r.status), ...invitationAge(r, now));
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

/** A pending invitation's age and the days left before it lapses (90 days after creation, docs/onboarding.md §4). */
export function invitationAge(r: InventoryRelationship, now: Date): string[] {
  const inv = toInvitation(r, now);
  if (inv.ageDays === null || inv.lapsesOn === null) {
    return [];
  }
  const left = Math.ceil((Date.parse(inv.lapsesOn) - now.getTime()) / 86_400_000);
  return [
    inv.ageDays === 0
      ? vscode.l10n.t('sent today')
      : inv.ageDays === 1
        ? vscode.l10n.t('1 day old')
        : vscode.l10n.t('{0} days old', count(inv.ageDays)),
    left <= 0
      ? vscode.l10n.t('lapse date passed')
      : left === 1
        ? vscode.l10n.t('lapses in 1 day')
        : vscode.l10n.t('lapses in {0} days', count(left)),
  ];
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

/**
 * Each expiry bucket's own icon and colour (docs/renewal.md): ends within 1 day, 7 days, 30 days, or ended
 * (by the calendar) in the last 30 days.
 */
const BUCKET_ICONS: Record<ExpiryBucketName, [string, string]> = {
  '1': ['error', 'list.errorForeground'],
  '7': ['warning', 'list.warningForeground'],
  '30': ['bell', 'charts.yellow'],
  ended30: ['history', 'charts.red'],
};

export function bucketIcon(bucket: ExpiryBucketName): vscode.ThemeIcon {
  const [id, color] = BUCKET_ICONS[bucket];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

/**
 * The radar's bucket of a relationship as the tree shows it: an ending bucket only inside the warning
 * window (`gdap.expiryWarningDays`), "ended in the last 30 days" whatever the window.
 */
export function shownBucket(r: InventoryRelationship, now: Date, warningDays: number): ExpiryBucketName | null {
  const bucket = expiryBucketOf(r, now);
  if (bucket === null || bucket === 'ended30') {
    return bucket;
  }
  return classifyRelationship(r, now, warningDays) === 'expiringSoon' ? bucket : null;
}

/** What a bucket's icon and colour say, in words (a screen reader hears no colour). */
export function bucketWords(bucket: ExpiryBucketName): string {
  switch (bucket) {
    case '1':
      return vscode.l10n.t('ends within 1 day');
    case '7':
      return vscode.l10n.t('ends within 7 days');
    case '30':
      return vscode.l10n.t('ends within 30 days');
    case 'ended30':
      return vscode.l10n.t('ended in the last 30 days');
  }
}

export function relationshipState(r: InventoryRelationship, now: Date, warningDays: number): RelationshipDisplayState {
  return classifyRelationship(r, now, warningDays);
}

/** "3 relationships · 1 expiring in 12 days" */
export function customerDescription(relationships: readonly InventoryRelationship[], now: Date, warningDays: number): string {
  const total =
    relationships.length === 1 ? vscode.l10n.t('1 relationship') : vscode.l10n.t('{0} relationships', count(relationships.length));
  const expiring = relationships.filter((r) => classifyRelationship(r, now, warningDays) === 'expiringSoon');
  if (expiring.length === 0) {
    return total;
  }
  const soonest = Math.max(0, Math.min(...expiring.map((r) => daysUntilEnd(r, now) ?? 0)));
  const when = soonest === 1 ? vscode.l10n.t('1 day') : vscode.l10n.t('{0} days', count(soonest));
  return `${total} · ${vscode.l10n.t('{0} expiring in {1}', count(expiring.length), when)}`;
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
  return days === 1 ? vscode.l10n.t('in 1 day') : vscode.l10n.t('in {0} days', count(days));
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
    lines.push(
      `${vscode.l10n.t('Relationships')}: ${summary.byStatus.map((s) => `${count(s.count)} ${humanStatus(s.status)}`).join(', ')}`,
    );
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
        : `⚠ ${vscode.l10n.t('Will lapse: {0} relationships end without auto-extend, the first {1}', count(summary.lapsing.length), when)}`,
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
  if (summary.nextEnd !== null || summary.lapsing.length > 0) {
    tip.appendMarkdown(`\n${utcNote()}`);
  }
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

/** What a relationship's icon and its colour show, in words (a screen reader hears no colour). */
function stateWords(state: RelationshipDisplayState): string {
  switch (state) {
    case 'active':
      return vscode.l10n.t('active');
    case 'expiringSoon':
      return vscode.l10n.t('warning: expiring soon');
    case 'pending':
      return vscode.l10n.t('waiting for approval');
    case 'ending':
      return vscode.l10n.t('ending');
    case 'ended':
      return vscode.l10n.t('ended');
    case 'unknown':
      return vscode.l10n.t('unknown status');
  }
}

/**
 * The screen reader's reading of a relationship: what the icon and colour show (state, in progress), the
 * description (status, ends in N days, Global Administrator) and how many roles are privileged.
 */
export function relationshipAccessibility(
  r: InventoryRelationship,
  state: RelationshipDisplayState,
  now: Date,
  busy: string | undefined,
): vscode.AccessibilityInformation {
  const parts: string[] = [busy === undefined ? stateWords(state) : vscode.l10n.t('in progress: {0}', busy)];
  const description = relationshipDescription(r, now, undefined);
  parts.push(description);
  const privileged = r.roles.filter((x) => x.privileged).length;
  if (privileged > 0) {
    parts.push(privileged === 1 ? vscode.l10n.t('1 privileged role') : vscode.l10n.t('{0} privileged roles', count(privileged)));
  }
  return { label: vscode.l10n.t('Relationship {0}: {1}', r.displayName, parts.join(', ')) };
}

/** A customer: its description (counts, expiring) and legacy DAP once known. */
export function customerAccessibility(name: string, description: string, dap: boolean | undefined): vscode.AccessibilityInformation {
  const parts = [description];
  if (dap !== undefined) {
    parts.push(dap ? vscode.l10n.t('legacy DAP on') : vscode.l10n.t('legacy DAP off'));
  }
  return { label: vscode.l10n.t('Customer {0}: {1}', name, parts.join(', ')) };
}

/** The contextValue facet of a legacy DAP state (menus offer Remove DAP for `dap.on` and `dap.unknown`). */
export function dapFacet(dap: boolean | undefined): string {
  return dap === undefined ? 'dap.unknown' : dap ? 'dap.on' : 'dap.off';
}

/** "2 relationships · DAP on": only DAP on is worth a word on the row (it is what to act on). */
export function withDapSuffix(description: string, dap: boolean | undefined): string {
  if (dap !== true) {
    return description;
  }
  return description === '' ? vscode.l10n.t('DAP on') : `${description} · ${vscode.l10n.t('DAP on')}`;
}

/** A customer without a GDAP relationship (the "No GDAP" group): what it has, in words. */
export function noGdapCustomerAccessibility(
  name: string,
  domain: string | null,
  dap: boolean | undefined,
): vscode.AccessibilityInformation {
  const parts = [vscode.l10n.t('no GDAP relationship')];
  if (domain !== null) {
    parts.push(domain);
  }
  if (dap !== undefined) {
    parts.push(dap ? vscode.l10n.t('legacy DAP on') : vscode.l10n.t('legacy DAP off'));
  }
  return { label: vscode.l10n.t('Customer {0}: {1}', name, parts.join(', ')) };
}

/** The hover of a customer without a GDAP relationship: why it is there, DAP, domain and tenant id. */
export function noGdapCustomerTooltip(
  name: string,
  domain: string | null,
  tenantId: string,
  dap: boolean | undefined,
): vscode.MarkdownString {
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${md(name)}**\n\n`);
  const lines = [vscode.l10n.t('No GDAP relationship: a Partner Center customer your tenant has no GDAP relationship with.')];
  lines.push(
    `${vscode.l10n.t('Legacy DAP')}: ${dap === undefined ? vscode.l10n.t('not read yet') : dap ? vscode.l10n.t('on') : vscode.l10n.t('off')}`,
  );
  if (domain !== null) {
    lines.push(`${vscode.l10n.t('Domain')}: ${md(domain)}`);
  }
  lines.push(`${vscode.l10n.t('Tenant id')}: \`${tenantId}\``);
  tip.appendMarkdown(lines.map((l) => `- ${l}\n`).join(''));
  return tip;
}

/** A role: the orange shield says "privileged". */
export function roleAccessibility(name: string, privileged: boolean): vscode.AccessibilityInformation {
  return { label: privileged ? vscode.l10n.t('Role {0}, privileged', name) : vscode.l10n.t('Role {0}', name) };
}

/** An access assignment: its status (greyed out when not active), roles, or the action in progress. */
export function assignmentAccessibility(group: string, description: string, busy: boolean): vscode.AccessibilityInformation {
  return {
    label: busy
      ? vscode.l10n.t('Access assignment {0}: in progress: {1}', group, description)
      : vscode.l10n.t('Access assignment {0}: {1}', group, description),
  };
}
