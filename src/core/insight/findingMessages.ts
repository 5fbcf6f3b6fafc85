import { english, msg, type Message } from '../messages';

/*
 * The access doctor's findings as codes with typed parameters, and their one text (docs/architecture.md,
 * localisation). `findingMessage` turns a finding into a `Message` whose template is the English sentence:
 * the CLI prints it in English (`findingEnglish`, the `message` of `gdap check`), the extension passes it to
 * `vscode.l10n.t`. Every branch is a whole sentence (no pieces put together), so each language can order
 * its words; `npm run l10n` collects the templates into the bundle.
 */

/** A relationship as a finding names it: its display name, and its customer's name when it has a customer. */
export interface RelationshipRef {
  readonly relationship: string;
  readonly customer: string | null;
}

/** The parameters of each finding code (docs/access.md "The doctor's checks"). */
export interface FindingParamsByCode {
  /** `days` until the end, 0 or less for today. */
  readonly endsSoon: RelationshipRef & { readonly days: number; readonly globalAdministrator: boolean };
  readonly gaBlocksAutoExtend: RelationshipRef;
  readonly noActiveAssignments: RelationshipRef;
  readonly assignmentError: RelationshipRef & { readonly assignmentId: string; readonly groupId: string };
  readonly groupNotFound: RelationshipRef & { readonly assignmentId: string; readonly groupId: string };
  /** Whole days since the invitation was created. */
  readonly inviteAging: RelationshipRef & { readonly days: number };
  /** Whole days left before the lapse (rounded up), 0 or less once past it; `windowDays` is the approval window. */
  readonly inviteLapsing: RelationshipRef & { readonly daysLeft: number; readonly windowDays: number };
  readonly duplicateRoles: { readonly customer: string; readonly relationships: readonly string[] };
  readonly privilegedRoleUnused: RelationshipRef & { readonly role: string };
  readonly unknownRole: RelationshipRef & { readonly roleIds: readonly string[] };
  readonly dapStillOn: { readonly customer: string; readonly tenantId: string };
  readonly noGdap: { readonly customer: string };
}

export type FindingCode = keyof FindingParamsByCode;

/** A finding's code with the parameters of that code. */
export type FindingFacts = { [C in FindingCode]: { readonly code: C; readonly params: FindingParamsByCode[C] } }[FindingCode];

type Renderers = { readonly [C in FindingCode]: (p: FindingParamsByCode[C]) => Message };

const quotedList = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

function endsSoon(p: FindingParamsByCode['endsSoon']): Message {
  const { relationship: r, customer: c, days } = p;
  const n = String(days);
  if (p.globalAdministrator) {
    if (c === null) {
      return days <= 0
        ? msg(
            'Relationship "{0}" ends today and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
            r,
          )
        : days === 1
          ? msg(
              'Relationship "{0}" ends in 1 day and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
              r,
            )
          : msg(
              'Relationship "{0}" ends in {1} days and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
              r,
              n,
            );
    }
    return days <= 0
      ? msg(
          'Relationship "{0}" at {1} ends today and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
          r,
          c,
        )
      : days === 1
        ? msg(
            'Relationship "{0}" at {1} ends in 1 day and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
            r,
            c,
          )
        : msg(
            'Relationship "{0}" at {1} ends in {2} days and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
            r,
            c,
            n,
          );
  }
  if (c === null) {
    return days <= 0
      ? msg('Relationship "{0}" ends today and will not auto-extend: turn auto-extend on, or renew it.', r)
      : days === 1
        ? msg('Relationship "{0}" ends in 1 day and will not auto-extend: turn auto-extend on, or renew it.', r)
        : msg('Relationship "{0}" ends in {1} days and will not auto-extend: turn auto-extend on, or renew it.', r, n);
  }
  return days <= 0
    ? msg('Relationship "{0}" at {1} ends today and will not auto-extend: turn auto-extend on, or renew it.', r, c)
    : days === 1
      ? msg('Relationship "{0}" at {1} ends in 1 day and will not auto-extend: turn auto-extend on, or renew it.', r, c)
      : msg('Relationship "{0}" at {1} ends in {2} days and will not auto-extend: turn auto-extend on, or renew it.', r, c, n);
}

function inviteLapsing(p: FindingParamsByCode['inviteLapsing']): Message {
  const { relationship: r, customer: c, daysLeft } = p;
  if (daysLeft <= 0) {
    const w = String(p.windowDays);
    return c === null
      ? msg('Invitation "{0}" is past the {1}-day approval window: create a new relationship and send its approval link.', r, w)
      : msg('Invitation "{0}" at {1} is past the {2}-day approval window: create a new relationship and send its approval link.', r, c, w);
  }
  const n = String(daysLeft);
  if (c === null) {
    return daysLeft === 1
      ? msg(
          'Invitation "{0}" lapses in 1 day if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
          r,
        )
      : msg(
          'Invitation "{0}" lapses in {1} days if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
          r,
          n,
        );
  }
  return daysLeft === 1
    ? msg(
        'Invitation "{0}" at {1} lapses in 1 day if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
        r,
        c,
      )
    : msg(
        'Invitation "{0}" at {1} lapses in {2} days if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
        r,
        c,
        n,
      );
}

function inviteAging(p: FindingParamsByCode['inviteAging']): Message {
  const { relationship: r, customer: c } = p;
  const n = String(p.days);
  // Only after 14 days, so never "1 day".
  return c === null
    ? msg('Invitation "{0}" has waited {1} days for the customer\'s approval: remind the customer and send the approval link again.', r, n)
    : msg(
        'Invitation "{0}" at {1} has waited {2} days for the customer\'s approval: remind the customer and send the approval link again.',
        r,
        c,
        n,
      );
}

function unknownRole(p: FindingParamsByCode['unknownRole']): Message {
  const { relationship: r, customer: c } = p;
  const ids = p.roleIds.join(', ');
  const n = String(p.roleIds.length);
  if (c === null) {
    return p.roleIds.length === 1
      ? msg(
          'Relationship "{0}" carries 1 role no catalog names ({1}); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
          r,
          ids,
        )
      : msg(
          'Relationship "{0}" carries {1} roles no catalog names ({2}); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
          r,
          n,
          ids,
        );
  }
  return p.roleIds.length === 1
    ? msg(
        'Relationship "{0}" at {1} carries 1 role no catalog names ({2}); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
        r,
        c,
        ids,
      )
    : msg(
        'Relationship "{0}" at {1} carries {2} roles no catalog names ({3}); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
        r,
        c,
        n,
        ids,
      );
}

const RENDERERS: Renderers = {
  endsSoon,
  inviteLapsing,
  inviteAging,
  unknownRole,
  gaBlocksAutoExtend: ({ relationship: r, customer: c }) =>
    c === null
      ? msg(
          'Relationship "{0}" includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
          r,
        )
      : msg(
          'Relationship "{0}" at {1} includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
          r,
          c,
        ),
  noActiveAssignments: ({ relationship: r, customer: c }) =>
    c === null
      ? msg(
          'Relationship "{0}" is active but gives no security group any role: assign a group, or terminate the relationship if it is no longer needed.',
          r,
        )
      : msg(
          'Relationship "{0}" at {1} is active but gives no security group any role: assign a group, or terminate the relationship if it is no longer needed.',
          r,
          c,
        ),
  assignmentError: ({ relationship: r, customer: c, assignmentId: a, groupId: g }) =>
    c === null
      ? msg('Access assignment {0} of "{1}" (group {2}) is in status error: remove it and assign the group again.', a, r, g)
      : msg('Access assignment {0} of "{1}" at {2} (group {3}) is in status error: remove it and assign the group again.', a, r, c, g),
  groupNotFound: ({ relationship: r, customer: c, assignmentId: a, groupId: g }) =>
    c === null
      ? msg(
          'Access assignment {0} of "{1}" gives its roles to group {2}, which no longer exists: nobody has these roles. Remove the assignment and assign an existing group.',
          a,
          r,
          g,
        )
      : msg(
          'Access assignment {0} of "{1}" at {2} gives its roles to group {3}, which no longer exists: nobody has these roles. Remove the assignment and assign an existing group.',
          a,
          r,
          c,
          g,
        ),
  privilegedRoleUnused: ({ relationship: r, customer: c, role }) =>
    c === null
      ? msg(
          'Relationship "{0}" carries the privileged role {1}, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
          r,
          role,
        )
      : msg(
          'Relationship "{0}" at {1} carries the privileged role {2}, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
          r,
          c,
          role,
        ),
  duplicateRoles: ({ customer, relationships }) =>
    relationships.length === 2
      ? msg(
          '{0} has 2 active relationships granting the same roles ({1}): keep one and terminate the other once its groups are assigned on the one kept.',
          customer,
          quotedList(relationships),
        )
      : msg(
          '{0} has {1} active relationships granting the same roles ({2}): keep one and terminate the others once its groups are assigned on the one kept.',
          customer,
          String(relationships.length),
          quotedList(relationships),
        ),
  dapStillOn: ({ customer, tenantId }) =>
    msg(
      '{0} still has legacy DAP enabled although GDAP covers it: check that your people work through the GDAP groups, then remove DAP (gdap remove-dap {1}).',
      customer,
      tenantId,
    ),
  noGdap: ({ customer }) =>
    msg(
      '{0} is a Partner Center customer with no active GDAP relationship: create one (and have it approved) if you still administer this customer.',
      customer,
    ),
};

/** The finding as a message: the template is the English sentence and the key of the translation bundles. */
export function findingMessage(finding: FindingFacts): Message {
  const render = RENDERERS[finding.code] as (p: FindingFacts['params']) => Message;
  return render(finding.params);
}

/** The finding in English, as `gdap check` prints it. */
export function findingEnglish(finding: FindingFacts): string {
  return english(findingMessage(finding));
}
