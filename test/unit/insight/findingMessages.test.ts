import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCoreMessagesInText } from '../../../scripts/l10nCheck';
import { runDoctor } from '../../../src/core/insight/doctor';
import { findingEnglish, findingMessage } from '../../../src/core/insight/findingMessages';
import { SAMPLES, samples } from './findingSamples';
import { assignment, customer, daysFromNow, GA, HELPDESK, inventory, NOW, READER, relationship, UNKNOWN, USER_ADMIN } from './build';

const ROOT = join(__dirname, '..', '..', '..');

const T1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const T2 = 'bbbbbbbb-0000-4000-8000-000000000002';
const G1 = '11111111-0000-4000-8000-00000000000a';
const G2 = '22222222-0000-4000-8000-00000000000b';
const UNKNOWN2 = 'ee4db9a0-cc4a-4213-9f9f-70242232d97f';
/** Relationships that reach every branch of every relationship check, with a customer or without one. */
function rels(prefix: string, tenantId: string | null): ReturnType<typeof relationship>[] {
  const t = tenantId === null ? {} : { tenantId };
  return [
    relationship(`${prefix}-u1`, {
      ...t,
      name: `${prefix} U1`,
      roles: [READER, UNKNOWN],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a1', G1, [READER])],
    }),
    relationship(`${prefix}-u2`, {
      ...t,
      name: `${prefix} U2`,
      roles: [UNKNOWN, UNKNOWN2],
      autoExtendDuration: 'P180D',
      assignments: null,
    }),
    relationship(`${prefix}-l1`, {
      ...t,
      name: `${prefix} L1`,
      status: 'approvalPending',
      roles: [READER],
      createdDateTime: daysFromNow(-89.5),
      assignments: null,
    }),
    relationship(`${prefix}-l5`, {
      ...t,
      name: `${prefix} L5`,
      status: 'approvalPending',
      roles: [READER],
      createdDateTime: daysFromNow(-85),
      assignments: null,
    }),
    relationship(`${prefix}-lp`, {
      ...t,
      name: `${prefix} LP`,
      status: 'approvalPending',
      roles: [READER],
      createdDateTime: daysFromNow(-95),
      assignments: null,
    }),
    relationship(`${prefix}-ag`, {
      ...t,
      name: `${prefix} AG`,
      status: 'approvalPending',
      roles: [READER],
      createdDateTime: daysFromNow(-20),
      assignments: null,
    }),
    relationship(`${prefix}-ga`, {
      ...t,
      name: `${prefix} GA`,
      roles: [GA],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a2', G1, [GA])],
    }),
    relationship(`${prefix}-e0`, {
      ...t,
      name: `${prefix} E0`,
      roles: [READER],
      endDateTime: daysFromNow(0),
      assignments: [assignment('a3', G1, [READER])],
    }),
    relationship(`${prefix}-e1`, {
      ...t,
      name: `${prefix} E1`,
      roles: [READER],
      endDateTime: daysFromNow(0.5),
      assignments: [assignment('a4', G1, [READER])],
    }),
    relationship(`${prefix}-e9`, {
      ...t,
      name: `${prefix} E9`,
      roles: [READER],
      endDateTime: daysFromNow(9),
      assignments: [assignment('a5', G1, [READER])],
    }),
    relationship(`${prefix}-g0`, {
      ...t,
      name: `${prefix} G0`,
      roles: [GA],
      endDateTime: daysFromNow(-0.2),
      assignments: [assignment('a6', G1, [GA])],
    }),
    relationship(`${prefix}-g1`, {
      ...t,
      name: `${prefix} G1`,
      roles: [GA],
      endDateTime: daysFromNow(1),
      assignments: [assignment('a7', G1, [GA])],
    }),
    relationship(`${prefix}-g9`, {
      ...t,
      name: `${prefix} G9`,
      roles: [GA],
      endDateTime: daysFromNow(20),
      assignments: [assignment('a8', G1, [GA])],
    }),
    relationship(`${prefix}-er`, {
      ...t,
      name: `${prefix} ER`,
      roles: [READER],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a9', G1, [READER]), assignment('bad', G2, [READER], 'error')],
    }),
    relationship(`${prefix}-na`, {
      ...t,
      name: `${prefix} NA`,
      roles: [HELPDESK],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a10', G1, [HELPDESK], 'deleted')],
    }),
    relationship(`${prefix}-nf`, {
      ...t,
      name: `${prefix} NF`,
      roles: [HELPDESK],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a11', G2, [HELPDESK])],
    }),
    relationship(`${prefix}-pr`, {
      ...t,
      name: `${prefix} PR`,
      roles: [USER_ADMIN, HELPDESK],
      autoExtendDuration: 'P180D',
      assignments: [assignment('a12', G1, [HELPDESK])],
    }),
  ];
}
const T3 = 'cccccccc-0000-4000-8000-000000000003';
const T4 = 'dddddddd-0000-4000-8000-000000000004';
const dup = (id: string, name: string): ReturnType<typeof relationship> =>
  relationship(id, { name, roles: [USER_ADMIN], autoExtendDuration: 'P180D', assignments: [assignment(`${id}-a`, G1, [USER_ADMIN])] });

/** What `gdap check` printed for each finding before findings became codes with parameters: it must not change. */
const ENGLISH: [string, string, string][] = [
  ['endsSoon', 'A-e0', 'Relationship "A E0" at Alpha ends today and will not auto-extend: turn auto-extend on, or renew it.'],
  ['endsSoon', 'A-e1', 'Relationship "A E1" at Alpha ends in 1 day and will not auto-extend: turn auto-extend on, or renew it.'],
  [
    'assignmentError',
    'A-er',
    'Access assignment bad of "A ER" at Alpha (group 22222222-0000-4000-8000-00000000000b) is in status error: remove it and assign the group again.',
  ],
  [
    'endsSoon',
    'A-g0',
    'Relationship "A G0" at Alpha ends today and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'endsSoon',
    'A-g1',
    'Relationship "A G1" at Alpha ends in 1 day and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'groupNotFound',
    'A-nf',
    'Access assignment a11 of "A NF" at Alpha gives its roles to group 22222222-0000-4000-8000-00000000000b, which no longer exists: nobody has these roles. Remove the assignment and assign an existing group.',
  ],
  ['endsSoon', 'P-e0', 'Relationship "P E0" ends today and will not auto-extend: turn auto-extend on, or renew it.'],
  ['endsSoon', 'P-e1', 'Relationship "P E1" ends in 1 day and will not auto-extend: turn auto-extend on, or renew it.'],
  [
    'assignmentError',
    'P-er',
    'Access assignment bad of "P ER" (group 22222222-0000-4000-8000-00000000000b) is in status error: remove it and assign the group again.',
  ],
  [
    'endsSoon',
    'P-g0',
    'Relationship "P G0" ends today and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'endsSoon',
    'P-g1',
    'Relationship "P G1" ends in 1 day and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'groupNotFound',
    'P-nf',
    'Access assignment a11 of "P NF" gives its roles to group 22222222-0000-4000-8000-00000000000b, which no longer exists: nobody has these roles. Remove the assignment and assign an existing group.',
  ],
  ['endsSoon', 'A-e9', 'Relationship "A E9" at Alpha ends in 9 days and will not auto-extend: turn auto-extend on, or renew it.'],
  [
    'gaBlocksAutoExtend',
    'A-g0',
    'Relationship "A G0" at Alpha includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'gaBlocksAutoExtend',
    'A-g1',
    'Relationship "A G1" at Alpha includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'endsSoon',
    'A-g9',
    'Relationship "A G9" at Alpha ends in 20 days and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'gaBlocksAutoExtend',
    'A-g9',
    'Relationship "A G9" at Alpha includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'gaBlocksAutoExtend',
    'A-ga',
    'Relationship "A GA" at Alpha includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'inviteLapsing',
    'A-l1',
    'Invitation "A L1" at Alpha lapses in 1 day if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
  ],
  [
    'inviteLapsing',
    'A-l5',
    'Invitation "A L5" at Alpha lapses in 5 days if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
  ],
  [
    'inviteLapsing',
    'A-lp',
    'Invitation "A LP" at Alpha is past the 90-day approval window: create a new relationship and send its approval link.',
  ],
  [
    'noActiveAssignments',
    'A-na',
    'Relationship "A NA" at Alpha is active but gives no security group any role: assign a group, or terminate the relationship if it is no longer needed.',
  ],
  [
    'privilegedRoleUnused',
    'A-na',
    'Relationship "A NA" at Alpha carries the privileged role Helpdesk Administrator, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
  ],
  [
    'privilegedRoleUnused',
    'A-pr',
    'Relationship "A PR" at Alpha carries the privileged role User Administrator, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
  ],
  [
    'unknownRole',
    'A-u1',
    'Relationship "A U1" at Alpha carries 1 role no catalog names (dd4db9a0-cc4a-4213-9f9f-70242232d97e); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
  ],
  [
    'unknownRole',
    'A-u2',
    'Relationship "A U2" at Alpha carries 2 roles no catalog names (dd4db9a0-cc4a-4213-9f9f-70242232d97e, ee4db9a0-cc4a-4213-9f9f-70242232d97f); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
  ],
  [
    'noGdap',
    'bbbbbbbb-0000-4000-8000-000000000002',
    'Beta is a Partner Center customer with no active GDAP relationship: create one (and have it approved) if you still administer this customer.',
  ],
  [
    'noGdap',
    'eeeeeeee-0000-4000-8000-000000000005',
    'eeeeeeee-0000-4000-8000-000000000005 is a Partner Center customer with no active GDAP relationship: create one (and have it approved) if you still administer this customer.',
  ],
  [
    'dapStillOn',
    'cccccccc-0000-4000-8000-000000000003',
    'Gamma still has legacy DAP enabled although GDAP covers it: check that your people work through the GDAP groups, then remove DAP (gdap remove-dap cccccccc-0000-4000-8000-000000000003).',
  ],
  ['endsSoon', 'P-e9', 'Relationship "P E9" ends in 9 days and will not auto-extend: turn auto-extend on, or renew it.'],
  [
    'gaBlocksAutoExtend',
    'P-g0',
    'Relationship "P G0" includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'gaBlocksAutoExtend',
    'P-g1',
    'Relationship "P G1" includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'endsSoon',
    'P-g9',
    'Relationship "P G9" ends in 20 days and will not auto-extend: remove Global Administrator and turn auto-extend on, or renew it.',
  ],
  [
    'gaBlocksAutoExtend',
    'P-g9',
    'Relationship "P G9" includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'gaBlocksAutoExtend',
    'P-ga',
    'Relationship "P GA" includes Global Administrator, so it cannot auto-extend: remove Global Administrator (gdap make-renewable), or plan its renewal before it ends.',
  ],
  [
    'inviteLapsing',
    'P-l1',
    'Invitation "P L1" lapses in 1 day if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
  ],
  [
    'inviteLapsing',
    'P-l5',
    'Invitation "P L5" lapses in 5 days if the customer does not approve it: send the approval link again, or create a new relationship after it lapses.',
  ],
  ['inviteLapsing', 'P-lp', 'Invitation "P LP" is past the 90-day approval window: create a new relationship and send its approval link.'],
  [
    'noActiveAssignments',
    'P-na',
    'Relationship "P NA" is active but gives no security group any role: assign a group, or terminate the relationship if it is no longer needed.',
  ],
  [
    'privilegedRoleUnused',
    'P-na',
    'Relationship "P NA" carries the privileged role Helpdesk Administrator, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
  ],
  [
    'privilegedRoleUnused',
    'P-pr',
    'Relationship "P PR" carries the privileged role User Administrator, which no access assignment uses: leave it out of the next relationship (least privilege), or assign it to the group that needs it.',
  ],
  [
    'unknownRole',
    'P-u1',
    'Relationship "P U1" carries 1 role no catalog names (dd4db9a0-cc4a-4213-9f9f-70242232d97e); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
  ],
  [
    'unknownRole',
    'P-u2',
    'Relationship "P U2" carries 2 roles no catalog names (dd4db9a0-cc4a-4213-9f9f-70242232d97e, ee4db9a0-cc4a-4213-9f9f-70242232d97f); its privilege is unknown. Turn on the live role catalog (RoleManagement.Read.Directory) or look the id up in Microsoft Entra.',
  ],
  [
    'inviteAging',
    'A-ag',
    'Invitation "A AG" at Alpha has waited 20 days for the customer\'s approval: remind the customer and send the approval link again.',
  ],
  [
    'duplicateRoles',
    'A-e0',
    'Alpha has 4 active relationships granting the same roles ("A E0", "A E1", "A E9", "A ER"): keep one and terminate the others once its groups are assigned on the one kept.',
  ],
  [
    'duplicateRoles',
    'A-ga',
    'Alpha has 4 active relationships granting the same roles ("A GA", "A G0", "A G1", "A G9"): keep one and terminate the others once its groups are assigned on the one kept.',
  ],
  [
    'duplicateRoles',
    'A-na',
    'Alpha has 2 active relationships granting the same roles ("A NA", "A NF"): keep one and terminate the other once its groups are assigned on the one kept.',
  ],
  [
    'duplicateRoles',
    'd3',
    'Delta has 3 active relationships granting the same roles ("Three", "Four", "Five"): keep one and terminate the others once its groups are assigned on the one kept.',
  ],
  [
    'duplicateRoles',
    'd1',
    'Gamma has 2 active relationships granting the same roles ("One", "Two"): keep one and terminate the other once its groups are assigned on the one kept.',
  ],
  [
    'inviteAging',
    'P-ag',
    'Invitation "P AG" has waited 20 days for the customer\'s approval: remind the customer and send the approval link again.',
  ],
];

const readJson = (path: string): Record<string, string> => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, string>;

describe('access doctor findings as codes with parameters', () => {
  it('renders every code and branch in English exactly as gdap check printed it', () => {
    const inv = inventory(
      [
        customer(T1, 'Alpha', rels('A', T1)),
        customer(T3, 'Gamma', [dup('d1', 'One'), dup('d2', 'Two')]),
        customer(T4, 'Delta', [dup('d3', 'Three'), dup('d4', 'Four'), dup('d5', 'Five')]),
      ],
      rels('P', null),
    );
    const found = runDoctor({
      now: NOW,
      inventory: inv,
      groups: { names: new Map(), notFound: new Set([G2]) },
      partnerCenterCustomers: [
        { tenantId: T3, companyName: 'Gamma', allowDelegatedAccess: true },
        { tenantId: T2, companyName: 'Beta', allowDelegatedAccess: null },
        { tenantId: 'eeeeeeee-0000-4000-8000-000000000005', companyName: null, allowDelegatedAccess: null },
      ],
    });
    assert.deepEqual(
      found.map((f) => [f.code, f.relationshipId ?? f.customerTenantId, f.message]),
      ENGLISH,
    );
    // The message is the English rendering of the finding's own code and parameters.
    for (const f of found) {
      assert.equal(findingEnglish(f), f.message);
    }
    assert.deepEqual(new Set(found.map((f) => f.code)), new Set(Object.keys(SAMPLES)), 'the golden list holds every code');
  });

  it('the samples reach every message of the renderer, each with all its placeholders filled', () => {
    const source = join(ROOT, 'src', 'core', 'insight', 'findingMessages.ts');
    const templates = findCoreMessagesInText(source, readFileSync(source, 'utf8'));
    const reached = samples().map(findingMessage);
    assert.deepEqual(new Set(reached.map((m) => m.template)), new Set(templates));
    for (const m of reached) {
      const used = new Set((m.template.match(/\{(\d+)\}/g) ?? []).map((p) => Number(p.slice(1, -1))));
      assert.deepEqual(
        [...used].sort(),
        m.args.map((_, i) => i),
        m.template,
      );
    }
  });

  for (const lang of ['de', 'fr', 'ja'] as const) {
    it(`${lang}: every finding code has a translation for each of its messages`, () => {
      const bundle = readJson(`l10n/bundle.l10n.${lang}.json`);
      for (const f of samples()) {
        const { template } = findingMessage(f);
        const translated = bundle[template];
        assert.equal(typeof translated, 'string', `${f.code}: ${template}`);
        assert.notEqual(translated, template, `${f.code} reads in ${lang}, not English: ${template}`);
      }
    });
  }
});
