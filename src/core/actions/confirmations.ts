import { translated, type Message } from '../messages';
import type { PlanItemBase } from './mutationStrategy';
import type { RemoveAssignmentPlanItem } from './strategies/removeAccessAssignment';
import type { RemoveDapPlanItem } from './strategies/removeDap';
import type { TerminatePlanItem } from './strategies/terminateRelationship';
import { impactLines, shortImpact, SHORT_IMPACT_LINES, type ImpactText } from '../insight/impactText';

/*
 * The one renderer of confirmations (docs/pipeline.md): the extension's modals and the CLI's terminal
 * question both turn plan items into text here, so they show the same items with the same words.
 *
 * Messages are English templates with `{0}` placeholders, one per count (a message for one target and
 * another for several, never a plural glued on). The extension passes `vscode.l10n.t` as `translate`
 * so they are localisable; the CLI uses `formatMessage`.
 */

/** Same signature as `vscode.l10n.t(message, ...args)`. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/** Fills `{0}`, `{1}`… in English (the CLI, and tests that compare with the extension). */
export const formatMessage: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });

/** One plan item as the confirmation lists it. */
export interface ConfirmationItem {
  /** The plan item's id (relationship id, `<relationshipId>/<assignmentId>`, customer tenant id). */
  readonly id: string;
  readonly willAct: boolean;
  /** The target and what it loses, e.g. `Contoso GDAP (Contoso): Global Administrator, Directory Readers`. */
  readonly text: string;
  readonly status: string | null;
  /** Why nothing will be sent for it; null when it is acted on. */
  readonly reason: string | null;
}

export interface Confirmation {
  /** The question, naming the single target or counting several. */
  readonly message: string;
  /** Consequence, warnings, what each target loses, and what is left alone and why. */
  readonly detail: string;
  /** The warnings and consequence alone (the first part of `detail`), for a face that lists the items itself. */
  readonly consequence: string;
  /** The verb button. */
  readonly confirmLabel: string;
  /** What to type when typing is required: the one customer's name, else the count. */
  readonly typeToConfirm: string;
  /** Typing is required whatever the setting (e.g. the last admin access would go). */
  readonly mustType: boolean;
  readonly items: readonly ConfirmationItem[];
  /** How many items will be acted on (0: nothing to confirm). */
  readonly acting: number;
  /**
   * Every impact line (who loses which role, who keeps it through what) when `detail` shows only the first
   * of them; the modal's "Show Full Impact" opens it. Absent when `detail` already holds them all.
   */
  readonly fullImpact?: string;
  /** Every impact line, for a face that prints it whole (the CLI's question); absent when no item carries an impact. */
  readonly impact?: string;
}

export interface ConfirmationOptions {
  readonly translate?: Translate;
  /** Display name of a security group when known (the extension resolves them). */
  readonly groupName?: (groupId: string) => string | undefined;
  /** The user saw an earlier version of these targets (after a 412): say so. */
  readonly changedSinceShown?: boolean;
}

/** A plan item's reason in the face's words: its message through `translate` when it has one. */
export function reasonText(p: { readonly reason: string | null; readonly reasonMessage?: Message | null }, t: Translate): string | null {
  return p.reasonMessage ? translated(p.reasonMessage, t) : p.reason;
}

export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function roleList(roles: readonly { readonly name: string }[], t: Translate): string {
  return roles.length > 0 ? roles.map((r) => r.name).join(', ') : t('no roles');
}

function notActingLines(items: readonly ConfirmationItem[], t: Translate): string[] {
  const left = items.filter((i) => !i.willAct);
  if (left.length === 0) {
    return [];
  }
  return ['', t('Nothing will be sent for:'), ...left.map((i) => `• ${i.text} — ${i.reason ?? t('not applicable')}`)];
}

/** The parts of a confirmation made into one (every mutation's confirmation ends here). */
export function composeConfirmation(
  items: readonly ConfirmationItem[],
  parts: {
    message: string;
    consequence: string[];
    listing: string[];
    confirmLabel: string;
    typeToConfirm: string;
    mustType?: boolean;
    /** The impact of the acting items (docs/access.md); its first lines go into `detail`. */
    impact?: ImpactText;
  },
  t: Translate,
): Confirmation {
  const impact = parts.impact?.lines ?? [];
  const short = shortImpact({ lines: impact }, t);
  const impactPart = impact.length === 0 ? [] : ['', ...short];
  return {
    message: parts.message,
    detail: [...parts.consequence, ...parts.listing, ...impactPart, ...notActingLines(items, t)].join('\n'),
    consequence: parts.consequence.join('\n'),
    confirmLabel: parts.confirmLabel,
    typeToConfirm: parts.typeToConfirm,
    mustType: parts.mustType === true,
    items,
    acting: items.filter((i) => i.willAct).length,
    ...(impact.length > SHORT_IMPACT_LINES + 1 ? { fullImpact: impact.join('\n') } : {}),
    ...(impact.length > 0 ? { impact: impact.join('\n') } : {}),
  };
}

/** Deduplicated plan items by id, in order (a repeated target is shown once). */
export function unique<P extends PlanItemBase>(items: readonly P[], id: (p: P) => string): P[] {
  return [...new Map(items.map((p) => [id(p), p])).values()];
}

export function terminateConfirmation(plan: readonly TerminatePlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => p.id);
  const customerOf = (p: TerminatePlanItem): string => p.customerName ?? p.customerTenantId ?? t('no customer yet');
  const items = all.map((p): ConfirmationItem => ({
    id: p.id,
    willAct: p.willAct,
    text: `${p.name ?? p.id} (${customerOf(p)}): ${roleList(p.roles, t)}`,
    status: p.status,
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  const customers = distinct(acting.map(customerOf));
  const one = acting.length === 1 ? acting[0] : undefined;
  const consequence = [
    one !== undefined
      ? t(
          "All access this relationship grants ends: every role below and every access assignment under it. This cannot be undone; a new relationship needs the customer's approval.",
        )
      : t(
          "All access these relationships grant ends: every role below and every access assignment under them. This cannot be undone; a new relationship needs the customer's approval.",
        ),
  ];
  const listing =
    one !== undefined
      ? ['', t('Roles that end: {0}', roleList(one.roles, t))]
      : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Terminate the GDAP relationship "{0}" with {1}?', one.name ?? one.id, customerOf(one))
          : t('Terminate {0} GDAP relationships ({1})?', acting.length, customers.join(', ')),
      consequence,
      listing,
      confirmLabel: t('Terminate'),
      typeToConfirm: customers.length === 1 ? customers[0] : String(acting.length),
      impact: impactLines(
        acting.map((p) => ({ customer: customerOf(p), impact: p.impact })),
        t,
        options.groupName,
      ),
    },
    t,
  );
}

export function removeAssignmentConfirmation(plan: readonly RemoveAssignmentPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => p.id);
  const customerOf = (p: RemoveAssignmentPlanItem): string => p.customerName ?? p.customerTenantId ?? '?';
  const groupOf = (p: RemoveAssignmentPlanItem): string =>
    p.securityGroupId === null
      ? t('an unknown security group')
      : (options.groupName?.(p.securityGroupId) ?? t('Security group {0}', p.securityGroupId));
  const items = all.map((p): ConfirmationItem => ({
    id: p.id,
    willAct: p.willAct,
    text: `${groupOf(p)} (${customerOf(p)}, ${p.relationshipName ?? p.relationshipId}): ${roleList(p.roles, t)}`,
    status: p.status,
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  const customers = distinct(acting.map(customerOf));
  const one = acting.length === 1 ? acting[0] : undefined;
  const changed =
    options.changedSinceShown === true
      ? [
          one !== undefined
            ? t('The assignment changed since it was read; this is what it holds now.')
            : t('The assignments changed since they were read; this is what they hold now.'),
        ]
      : [];
  const consequence =
    one !== undefined
      ? [
          ...changed,
          t(
            'Members of the security group lose these roles in the customer tenant (relationship "{0}"): {1}',
            one.relationshipName ?? one.relationshipId,
            roleList(one.roles, t),
          ),
        ]
      : [...changed, t('Members of these security groups lose these roles in the customer tenant:')];
  const listing = one !== undefined ? [] : items.filter((i) => i.willAct).map((i) => `• ${i.text}`);
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Remove the access of {0} in {1}?', groupOf(one), customerOf(one))
          : t('Remove these {0} access assignments?', acting.length),
      consequence,
      listing,
      confirmLabel: t('Remove'),
      typeToConfirm: customers.length === 1 ? customers[0] : String(acting.length),
      impact: impactLines(
        acting.map((p) => ({ customer: customerOf(p), impact: p.impact })),
        t,
        options.groupName,
      ),
    },
    t,
  );
}

/**
 * The Remove DAP guard (docs/access.md): working admin access remains only when an active relationship of
 * the customer has an active access assignment. `noGdap`: no active relationship; `noAssignment`: active
 * relationships, but no group holds a role through them; `unknown`: it could not be checked; `safe`.
 */
export type DapGuard = 'safe' | 'noGdap' | 'noAssignment' | 'unknown';

export function dapGuard(p: Pick<RemoveDapPlanItem, 'hasActiveGdap' | 'hasActiveAssignment'>): DapGuard {
  if (p.hasActiveGdap === false) {
    return 'noGdap';
  }
  if (p.hasActiveAssignment === undefined) {
    // A plan item from before the assignment check: only the relationship is known.
    return p.hasActiveGdap === true ? 'safe' : 'unknown';
  }
  return p.hasActiveAssignment === true ? 'safe' : p.hasActiveAssignment === false ? 'noAssignment' : 'unknown';
}

function dapWarnings(acting: readonly RemoveDapPlanItem[], nameOf: (p: RemoveDapPlanItem) => string, t: Translate): string[] {
  const of = (g: DapGuard): RemoveDapPlanItem[] => acting.filter((p) => dapGuard(p) === g);
  const noGdap = of('noGdap');
  const noAssignment = of('noAssignment');
  const unknown = of('unknown');
  const out: string[] = [];
  if (noGdap.length > 0) {
    out.push(
      noGdap.length === 1
        ? t(
            '⚠ WARNING: {0} has no active GDAP relationship. Removing DAP removes ALL of your admin access to this customer.',
            nameOf(noGdap[0]),
          )
        : t(
            '⚠ WARNING: {0} have no active GDAP relationship. Removing DAP removes ALL of your admin access to these customers.',
            noGdap.map(nameOf).join(', '),
          ),
    );
  }
  if (noAssignment.length > 0) {
    out.push(
      noAssignment.length === 1
        ? t(
            '⚠ WARNING: {0} has an active GDAP relationship but no active access assignment, so no one in your tenant can use it. Removing DAP removes ALL of your working admin access to this customer. Assign a security group first.',
            nameOf(noAssignment[0]),
          )
        : t(
            '⚠ WARNING: {0} have active GDAP relationships but no active access assignment, so no one in your tenant can use them. Removing DAP removes ALL of your working admin access to these customers. Assign security groups first.',
            noAssignment.map(nameOf).join(', '),
          ),
    );
  }
  if (unknown.length > 0) {
    out.push(
      unknown.length === 1
        ? t(
            '⚠ Could not check whether {0} keeps admin access through GDAP (its relationships or access assignments did not load).',
            nameOf(unknown[0]),
          )
        : t(
            '⚠ Could not check whether {0} keep admin access through GDAP (their relationships or access assignments did not load).',
            unknown.map(nameOf).join(', '),
          ),
    );
  }
  return out.length > 0 ? [...out, ''] : [];
}

export function removeDapConfirmation(plan: readonly RemoveDapPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const all = unique(plan, (p) => p.tenantId);
  const nameOf = (p: RemoveDapPlanItem): string => p.companyName ?? p.tenantId;
  const itemText = (p: RemoveDapPlanItem): string => {
    const guard = p.willAct ? dapGuard(p) : 'safe';
    return guard === 'noGdap'
      ? t('{0} — no active GDAP relationship: all admin access ends', nameOf(p))
      : guard === 'noAssignment'
        ? t('{0} — no active access assignment: all working admin access ends', nameOf(p))
        : nameOf(p);
  };
  const items = all.map((p): ConfirmationItem => ({
    id: p.tenantId,
    willAct: p.willAct,
    text: itemText(p),
    status: p.allowDelegatedAccess === null ? null : p.allowDelegatedAccess ? 'dapOn' : 'dapOff',
    reason: reasonText(p, t),
  }));
  const acting = all.filter((p) => p.willAct);
  const one = acting.length === 1 ? acting[0] : undefined;
  const consequence = [
    ...dapWarnings(acting, nameOf, t),
    one !== undefined
      ? t(
          "Your partner tenant's Admin Agents and Helpdesk Agents lose their DAP roles (Global Administrator, Helpdesk Administrator) in this customer. Access through active GDAP relationships stays.",
        )
      : t(
          "Your partner tenant's Admin Agents and Helpdesk Agents lose their DAP roles (Global Administrator, Helpdesk Administrator) in these customers. Access through active GDAP relationships stays.",
        ),
  ];
  const listing = one !== undefined ? [] : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Remove legacy DAP (delegated admin privileges) for {0}?', nameOf(one))
          : t('Remove legacy DAP for {0} customers?', acting.length),
      consequence,
      listing,
      confirmLabel: t('Remove DAP'),
      typeToConfirm: one !== undefined ? nameOf(one) : String(acting.length),
      mustType: acting.some((p) => dapGuard(p) !== 'safe'),
      impact: impactLines(
        acting.map((p) => ({ customer: nameOf(p), impact: p.impact })),
        t,
        options.groupName,
      ),
    },
    t,
  );
}

/** The notice when nothing in the plan will be acted on: each target and why. */
export function nothingToDoMessage(confirmation: Confirmation, options: ConfirmationOptions = {}): string {
  const t = options.translate ?? formatMessage;
  const items = confirmation.items;
  if (items.length === 1) {
    return t('Nothing to do for {0}: {1}', items[0].text, items[0].reason ?? t('not applicable'));
  }
  return t(
    'Nothing to do for these {0} targets: {1}',
    items.length,
    items.map((i) => `${i.text} — ${i.reason ?? t('not applicable')}`).join('; '),
  );
}
