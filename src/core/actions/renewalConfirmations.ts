import {
  composeConfirmation,
  distinct,
  formatMessage,
  roleList,
  unique,
  type Confirmation,
  type ConfirmationItem,
  type ConfirmationOptions,
  type Translate,
} from './confirmations';
import type { AutoExtendPlanItem } from './strategies/autoExtend';
import type { MakeRenewablePlanItem } from './strategies/makeRenewable';
import type { RelationshipPlanFields } from './strategies/relationshipPlan';
import type { GlobalAdministratorRemovalPlan, RemoveGlobalAdministratorPlanItem } from './strategies/removeGlobalAdministrator';
import type { RenewPlanItem } from './strategies/renewRelationship';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../roles/roleCatalog';

/*
 * The confirmations of the renewal mutations (docs/renewal.md): auto-extend on and off, remove Global
 * Administrator, make renewable, renew. Built from plan items with the shared blocks of confirmations.ts:
 * one message for one target and another for several, names not ids, what changes for each.
 */

/** Which mutation a reason is given for (the same code reads differently per mutation). */
type RenewalAction = 'autoExtendOn' | 'autoExtendOff' | 'removeGlobalAdministrator' | 'makeRenewable' | 'renew';

function customerOf(p: RelationshipPlanFields, t: Translate): string {
  return p.customerName ?? p.customerTenantId ?? t('no customer yet');
}

function nameOf(p: RelationshipPlanFields): string {
  return p.name ?? p.id;
}

/** Already done, in the words of the mutation (a renewal names the successor it found). */
function alreadyDoneText(p: RelationshipPlanFields, action: RenewalAction, t: Translate): string {
  switch (action) {
    case 'autoExtendOn':
      return t('auto-extend is already on');
    case 'autoExtendOff':
      return t('auto-extend is already off');
    case 'makeRenewable':
      return t('it already renews itself');
    case 'renew': {
      const r = p as RenewPlanItem;
      return t('already renewed: "{0}" ({1})', r.successorName ?? '?', r.successorStatus ?? '?');
    }
    case 'removeGlobalAdministrator':
      return t('Global Administrator is not among its roles');
  }
}

/** Why nothing is sent for a plan item, translated from its reason code; the core's sentence otherwise. */
export function renewalReason(p: RelationshipPlanFields, action: RenewalAction, t: Translate): string | null {
  switch (p.reasonCode) {
    case null:
      return null;
    case 'notActive':
      return t('not active (status "{0}")', p.status ?? '?');
    case 'globalAdministrator':
      return t('Global Administrator blocks auto-extend: use Make Renewable to remove it first');
    case 'noGlobalAdministrator':
      return t('Global Administrator is not among its roles');
    case 'alreadyDone':
      return alreadyDoneText(p, action, t);
    case 'inFlight':
      return t('Global Administrator is already being removed');
    case 'notRenewable':
      return t('only an active, expiring or expired relationship can be renewed (status "{0}")', p.status ?? '?');
    case 'noCustomer':
      return t('it has no customer yet');
    case 'unreadable':
      return p.reason;
  }
}

function itemsOf<P extends RelationshipPlanFields>(
  plan: readonly P[],
  action: RenewalAction,
  t: Translate,
  text: (p: P) => string = (p) => `${nameOf(p)} (${customerOf(p, t)})`,
): { all: P[]; items: ConfirmationItem[]; acting: P[]; customers: string[]; one: P | undefined } {
  const all = unique(plan, (p) => p.id);
  const items = all.map((p): ConfirmationItem => ({
    id: p.id,
    willAct: p.willAct,
    text: text(p),
    status: p.status,
    reason: renewalReason(p, action, t),
  }));
  const acting = all.filter((p) => p.willAct);
  return { all, items, acting, customers: distinct(acting.map((p) => customerOf(p, t))), one: acting.length === 1 ? acting[0] : undefined };
}

function changedNote(options: ConfirmationOptions, one: boolean, t: Translate): string[] {
  if (options.changedSinceShown !== true) {
    return [];
  }
  return [
    one
      ? t('The relationship changed since it was read; this is what it holds now.')
      : t('The relationships changed since they were read; this is what they hold now.'),
  ];
}

function typeToConfirm(customers: readonly string[], acting: number): string {
  return customers.length === 1 ? customers[0] : String(acting);
}

export function autoExtendConfirmation(plan: readonly AutoExtendPlanItem[], on: boolean, options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const { items, acting, customers, one } = itemsOf(plan, on ? 'autoExtendOn' : 'autoExtendOff', t);
  const consequence = [
    ...changedNote(options, one !== undefined, t),
    on
      ? one !== undefined
        ? t('It then extends itself by 180 days at each end date, with the same roles, until auto-extend is turned off.')
        : t('They then extend themselves by 180 days at each end date, with the same roles, until auto-extend is turned off.')
      : one !== undefined
        ? t('It then ends on its end date, and all access it grants ends with it, unless it is renewed or auto-extend is turned on again.')
        : t(
            'They then end on their end dates, and all access they grant ends with them, unless they are renewed or auto-extend is turned on again.',
          ),
  ];
  const listing = one !== undefined ? [] : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)];
  const message = on
    ? one !== undefined
      ? t('Turn on auto-extend for the GDAP relationship "{0}" with {1}?', nameOf(one), customerOf(one, t))
      : t('Turn on auto-extend for {0} GDAP relationships ({1})?', acting.length, customers.join(', '))
    : one !== undefined
      ? t('Turn off auto-extend for the GDAP relationship "{0}" with {1}?', nameOf(one), customerOf(one, t))
      : t('Turn off auto-extend for {0} GDAP relationships ({1})?', acting.length, customers.join(', '));
  return composeConfirmation(
    items,
    {
      message,
      consequence,
      listing,
      confirmLabel: on ? t('Turn On Auto-Extend') : t('Turn Off Auto-Extend'),
      typeToConfirm: typeToConfirm(customers, acting.length),
    },
    t,
  );
}

const isGa = (roleDefinitionId: string): boolean => roleDefinitionId.toLowerCase() === GLOBAL_ADMINISTRATOR_ROLE_ID;

/** Each access assignment granting Global Administrator and what happens to it (the plan names every one). */
export function globalAdministratorAssignmentLines(
  p: GlobalAdministratorRemovalPlan,
  options: ConfirmationOptions,
  indent: string,
): string[] {
  const t = options.translate ?? formatMessage;
  if (p.assignmentsError !== null) {
    return [
      `${indent}${t('The access assignments could not be read ({0}); any that grants Global Administrator stops granting it.', p.assignmentsError)}`,
    ];
  }
  if (p.globalAdministratorAssignments.length === 0) {
    return [`${indent}${t('No access assignment grants Global Administrator.')}`];
  }
  return p.globalAdministratorAssignments.map((a) => {
    const group = options.groupName?.(a.groupId) ?? t('Security group {0}', a.groupId);
    const others = a.roles.filter((r) => !isGa(r.roleDefinitionId));
    const effect =
      a.effect === 'keepsOtherRoles'
        ? t('stops granting Global Administrator; keeps {0}', roleList(others, t))
        : t('granted only Global Administrator: it grants nothing afterwards and can be removed');
    return `${indent}${group}: ${effect}`;
  });
}

/** Remove Global Administrator: the roles kept, and every access assignment granting it with what happens to it. */
export function removeGlobalAdministratorConfirmation(
  plan: readonly RemoveGlobalAdministratorPlanItem[],
  options: ConfirmationOptions = {},
): Confirmation {
  const t = options.translate ?? formatMessage;
  const { items, acting, customers, one } = itemsOf(plan, 'removeGlobalAdministrator', t);
  const consequence = [
    ...changedNote(options, one !== undefined, t),
    one !== undefined
      ? t(
          'The relationship keeps these roles: {0}. Microsoft applies the change in the background; it can take a few minutes.',
          roleList(one.rolesAfter, t),
        )
      : t('Each relationship keeps its other roles. Microsoft applies the change in the background; it can take a few minutes.'),
  ];
  const listing =
    one !== undefined
      ? ['', t('Access assignments that grant Global Administrator:'), ...globalAdministratorAssignmentLines(one, options, '• ')]
      : [
          '',
          ...acting.flatMap((p) => [`• ${nameOf(p)} (${customerOf(p, t)})`, ...globalAdministratorAssignmentLines(p, options, '    – ')]),
        ];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Remove Global Administrator from the GDAP relationship "{0}" with {1}?', nameOf(one), customerOf(one, t))
          : t('Remove Global Administrator from {0} GDAP relationships ({1})?', acting.length, customers.join(', ')),
      consequence,
      listing,
      confirmLabel: t('Remove Global Administrator'),
      typeToConfirm: typeToConfirm(customers, acting.length),
    },
    t,
  );
}

function removesGa(p: MakeRenewablePlanItem): boolean {
  return p.steps.includes('removeGlobalAdministrator') || p.steps.includes('waitForGlobalAdministratorRemoval');
}

/** Make renewable: per relationship, Global Administrator removed first where present, then auto-extend on. */
export function makeRenewableConfirmation(plan: readonly MakeRenewablePlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const steps = (p: MakeRenewablePlanItem): string =>
    removesGa(p) ? t('removes Global Administrator, then turns on auto-extend') : t('turns on auto-extend');
  const { items, acting, customers, one } = itemsOf(plan, 'makeRenewable', t, (p) =>
    p.willAct ? `${nameOf(p)} (${customerOf(p, t)}): ${steps(p)}` : `${nameOf(p)} (${customerOf(p, t)})`,
  );
  const consequence = [
    ...changedNote(options, one !== undefined, t),
    one !== undefined
      ? removesGa(one)
        ? t(
            'Global Administrator is removed first (Microsoft applies it in the background), then auto-extend is turned on: the relationship extends itself by 180 days at each end date.',
          )
        : t('Auto-extend is turned on: the relationship extends itself by 180 days at each end date.')
      : acting.some(removesGa)
        ? t('Where Global Administrator is among the roles it is removed first; then auto-extend is turned on for each relationship.')
        : t('Auto-extend is turned on for each: they extend themselves by 180 days at each end date.'),
  ];
  const listing =
    one !== undefined
      ? removesGa(one)
        ? ['', t('Access assignments that grant Global Administrator:'), ...globalAdministratorAssignmentLines(one, options, '• ')]
        : []
      : [
          '',
          ...acting.flatMap((p) => [
            `• ${items.find((i) => i.id === p.id)?.text ?? nameOf(p)}`,
            ...(removesGa(p) ? globalAdministratorAssignmentLines(p, options, '    – ') : []),
          ]),
        ];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Make the GDAP relationship "{0}" with {1} renew itself?', nameOf(one), customerOf(one, t))
          : t('Make {0} GDAP relationships renew themselves ({1})?', acting.length, customers.join(', ')),
      consequence,
      listing,
      confirmLabel: t('Make Renewable'),
      typeToConfirm: typeToConfirm(customers, acting.length),
    },
    t,
  );
}

function plannedText(p: RenewPlanItem, t: Translate): string {
  if (p.plannedAssignmentsNote !== null && p.plannedAssignments.length === 0) {
    return t('no access assignment carried over ({0})', p.plannedAssignmentsNote);
  }
  return p.plannedAssignments.length === 1
    ? t('1 access assignment kept to grant once approved')
    : t('{0} access assignments kept to grant once approved', p.plannedAssignments.length);
}

/** Renew: the successor (name, roles, duration), locked for approval, and the access assignments kept for it. */
export function renewConfirmation(plan: readonly RenewPlanItem[], options: ConfirmationOptions = {}): Confirmation {
  const t = options.translate ?? formatMessage;
  const { items, acting, customers, one } = itemsOf(plan, 'renew', t, (p) =>
    p.willAct && p.successorName !== null
      ? `${nameOf(p)} (${customerOf(p, t)}) → "${p.successorName}": ${plannedText(p, t)}`
      : `${nameOf(p)} (${customerOf(p, t)})`,
  );
  const consequence = [
    ...changedNote(options, one !== undefined, t),
    one !== undefined
      ? t(
          'A new relationship "{0}" is created for the same customer with the same duration and locked for the customer\'s approval; access through it starts only once the customer approves.',
          one.successorName ?? '?',
        )
      : t(
          "For each, a new relationship is created for the same customer with the same duration and locked for the customer's approval; access through it starts only once the customer approves.",
        ),
  ];
  const listing =
    one !== undefined
      ? ['', t('Roles: {0}', roleList(one.successorRoles, t)), plannedText(one, t)]
      : ['', ...items.filter((i) => i.willAct).map((i) => `• ${i.text}`)];
  return composeConfirmation(
    items,
    {
      message:
        one !== undefined
          ? t('Renew the GDAP relationship "{0}" with {1}?', nameOf(one), customerOf(one, t))
          : t('Renew {0} GDAP relationships ({1})?', acting.length, customers.join(', ')),
      consequence,
      listing,
      confirmLabel: t('Renew'),
      typeToConfirm: typeToConfirm(customers, acting.length),
    },
    t,
  );
}
