import type { Translate } from '../actions/confirmations';
import type { ImpactRole } from './impact';
import type { PlanImpact } from './planImpact';

/*
 * A plan item's impact as confirmation text: per customer and partner group, the roles lost and the roles
 * still granted through another relationship. The modal shows the first lines and offers the rest
 * ("Show Full Impact"); the CLI prints the plan item's JSON instead.
 */

/** One plan item's impact and the customer it is about (its name). */
export interface ItemImpact {
  readonly customer: string;
  /** Undefined: the plan did not compute it (nothing is said); null: it could not be read (said so). */
  readonly impact: PlanImpact | null | undefined;
}

export interface ImpactText {
  /** Every line (empty when no item carries an impact). */
  readonly lines: readonly string[];
}

/** How many impact lines the modal shows before "Show Full Impact". */
export const SHORT_IMPACT_LINES = 6;

function byGroup<R extends ImpactRole>(roles: readonly R[], key: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of roles) {
    out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  }
  return out;
}

/** The impact lines of a confirmation, customer by customer in plan order. */
export function impactLines(items: readonly ItemImpact[], t: Translate, groupName?: (groupId: string) => string | undefined): ImpactText {
  const known = items.filter((i) => i.impact !== undefined);
  if (known.length === 0) {
    return { lines: [] };
  }
  const nameOf = (r: ImpactRole): string => r.groupName ?? groupName?.(r.groupId) ?? t('Security group {0}', r.groupId);
  const lines: string[] = [];
  const unknown = new Set<string>();
  for (const { customer, impact } of known) {
    if (impact === null || impact === undefined) {
      unknown.add(customer);
      continue;
    }
    for (const [, roles] of byGroup(impact.lost, (r) => r.groupId.toLowerCase())) {
      lines.push(t('• {0} loses at {1}: {2}', nameOf(roles[0]), customer, roles.map((r) => r.roleName).join(', ')));
    }
    for (const [, roles] of byGroup(impact.keptThrough, (r) => `${r.groupId.toLowerCase()}|${r.relationshipId}`)) {
      lines.push(
        t(
          '• {0} keeps at {1}, still granted through "{2}": {3}',
          nameOf(roles[0]),
          customer,
          roles[0].relationshipName,
          roles.map((r) => r.roleName).join(', '),
        ),
      );
    }
  }
  for (const customer of unknown) {
    lines.push(t('• {0}: the impact could not be read (its relationships or access assignments did not load).', customer));
  }
  if (lines.length === 0) {
    return { lines: [t('Impact: no partner group loses a role.')] };
  }
  return { lines: [t('Impact:'), ...lines] };
}

/** The first lines for the modal, and how many more the full list holds. */
export function shortImpact(text: ImpactText, t: Translate, limit: number = SHORT_IMPACT_LINES): string[] {
  if (text.lines.length <= limit + 1) {
    return [...text.lines];
  }
  const hidden = text.lines.length - 1 - limit;
  return [
    ...text.lines.slice(0, limit + 1),
    hidden === 1 ? t('… and 1 more line (Show Full Impact).') : t('… and {0} more lines (Show Full Impact).', hidden),
  ];
}
