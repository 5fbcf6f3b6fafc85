import type { FindingCode, FindingFacts, FindingParamsByCode } from '../../../src/core/insight/findingMessages';

/* Doctor findings reaching every message of src/core/insight/findingMessages.ts; the unit and in-host tests share them. */

/** Parameters reaching every branch of every code's text; a Record, so a new code fails to compile here. */
export const SAMPLES: { readonly [C in FindingCode]: readonly FindingParamsByCode[C][] } = {
  endsSoon: [0, 1, 12].flatMap((days) =>
    [true, false].flatMap((globalAdministrator) =>
      [null, 'Contoso'].map((c) => ({ relationship: 'Contoso GDAP', customer: c, days, globalAdministrator })),
    ),
  ),
  gaBlocksAutoExtend: [
    { relationship: 'R', customer: null },
    { relationship: 'R', customer: 'C' },
  ],
  noActiveAssignments: [
    { relationship: 'R', customer: null },
    { relationship: 'R', customer: 'C' },
  ],
  assignmentError: [null, 'C'].map((c) => ({ relationship: 'R', customer: c, assignmentId: 'a', groupId: 'g' })),
  groupNotFound: [null, 'C'].map((c) => ({ relationship: 'R', customer: c, assignmentId: 'a', groupId: 'g' })),
  inviteAging: [null, 'C'].map((c) => ({ relationship: 'R', customer: c, days: 20 })),
  inviteLapsing: [-3, 0, 1, 5].flatMap((daysLeft) =>
    [null, 'C'].map((c) => ({ relationship: 'R', customer: c, daysLeft, windowDays: 90 })),
  ),
  duplicateRoles: [
    { customer: 'C', relationships: ['A', 'B'] },
    { customer: 'C', relationships: ['A', 'B', 'D'] },
  ],
  privilegedRoleUnused: [null, 'C'].map((c) => ({ relationship: 'R', customer: c, role: 'User Administrator' })),
  unknownRole: [['x'], ['x', 'y']].flatMap((roleIds) => [null, 'C'].map((c) => ({ relationship: 'R', customer: c, roleIds }))),
  dapStillOn: [{ customer: 'C', tenantId: 't' }],
  noGdap: [{ customer: 'C' }],
};

export const samples = (): FindingFacts[] =>
  (Object.keys(SAMPLES) as FindingCode[]).flatMap((code) => SAMPLES[code].map((params) => ({ code, params }) as FindingFacts));
