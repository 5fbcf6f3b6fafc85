import { strict as assert } from 'node:assert';
import {
  dapGuard,
  removeAssignmentConfirmation,
  removeDapConfirmation,
  terminateConfirmation,
} from '../../../src/core/actions/confirmations';
import { planMutation } from '../../../src/core/actions/mutationPipeline';
import { planRemoveAssignments, planRemoveDap, planTerminate } from '../../../src/core/actions/plans';
import { removeGlobalAdministratorStrategy } from '../../../src/core/actions/strategies/removeGlobalAdministrator';
import { removeDapStrategy } from '../../../src/core/actions/strategies/removeDap';
import { terminateRelationships } from '../../../src/core/actions/terminateRelationships';
import { GdapError } from '../../../src/core/http/gdapError';
import { DAP_GROUP_ID } from '../../../src/core/insight/impact';
import { impactLines, shortImpact, SHORT_IMPACT_LINES } from '../../../src/core/insight/impactText';
import { formatMessage } from '../../../src/core/actions/confirmations';
import { testBed, type TestBed } from './fakes/fakeContext';

const GA = '62e90394-69f5-4237-9190-012177145e10';
const READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const EXCHANGE = '29232cdf-9323-42fd-ade2-1d097af3e4de';
const CONTOSO = { tenantId: 't1', displayName: 'Contoso' };

/** Contoso: "A GDAP" and "MLT Default", both active; group g1 holds Readers through both, Helpdesk only through "A GDAP". */
function contoso(): TestBed {
  const bed = testBed();
  bed.graph.addRelationship({ id: 'rA', displayName: 'A GDAP', customer: CONTOSO, roleDefinitionIds: [GA, READERS, HELPDESK] });
  bed.graph.addRelationship({ id: 'rM', displayName: 'MLT Default', customer: CONTOSO, roleDefinitionIds: [READERS] });
  bed.graph.addAssignment({
    id: 'a1',
    relationshipId: 'rA',
    accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' },
    roleDefinitionIds: [READERS, HELPDESK],
  });
  bed.graph.addAssignment({
    id: 'a2',
    relationshipId: 'rM',
    accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' },
    roleDefinitionIds: [READERS],
  });
  return bed;
}

const pairs = (roles: readonly { groupId: string; roleName: string }[] | undefined): string[] =>
  (roles ?? []).map((r) => `${r.groupId}:${r.roleName}`).sort();

describe('access: impact in every destructive plan item', () => {
  it('terminate: the group loses what only this relationship grants and keeps what another one still grants', async () => {
    const bed = contoso();
    const [item] = await planTerminate(bed.graph, ['rA']);
    assert.deepEqual(pairs(item?.impact?.lost), ['g1:Helpdesk Administrator']);
    assert.deepEqual(pairs(item?.impact?.keptThrough), ['g1:Directory Readers']);
    assert.equal(item?.impact?.keptThrough[0]?.relationshipName, 'MLT Default');
    const text = terminateConfirmation([item]).detail;
    assert.match(text, /Security group g1 loses at Contoso: Helpdesk Administrator/);
    assert.match(text, /Security group g1 keeps at Contoso, still granted through "MLT Default": Directory Readers/);
    assert.equal(bed.graph.mutations().length, 0);
  });

  it('terminate of both relationships at once keeps nothing through either', async () => {
    const bed = contoso();
    const plan = await planTerminate(bed.graph, ['rA', 'rM']);
    assert.deepEqual(pairs(plan[0]?.impact?.lost), ['g1:Directory Readers', 'g1:Helpdesk Administrator']);
    assert.deepEqual(plan[0]?.impact?.keptThrough, []);
    assert.deepEqual(pairs(plan[1]?.impact?.lost), ['g1:Directory Readers']);
    assert.deepEqual(plan[1]?.impact?.keptThrough, []);
  });

  it('terminate: the relationship is read once for plan and impact; unreadable assignments make the impact null, not empty', async () => {
    const bed = contoso();
    const [first] = await planTerminate(bed.graph, ['rA']);
    assert.notEqual(first?.impact, null);
    assert.equal(bed.graph.callsOf('getRelationshipsMany').length, 1);
    bed.graph.faults.add('listAccessAssignmentsForMany:rM', { kind: 'server', applied: false });
    const [again] = await planTerminate(bed.graph, ['rA']);
    assert.equal(again?.impact, null);
    assert.match(terminateConfirmation([again]).detail, /Contoso: the impact could not be read/);
  });

  it("reads only the assignments that can matter: the targets' and those of relationships sharing a role with them", async () => {
    const bed = contoso();
    bed.graph.addRelationship({ id: 'rX', displayName: 'Exchange only', customer: CONTOSO, roleDefinitionIds: [EXCHANGE] });
    bed.graph.addAssignment({
      id: 'a4',
      relationshipId: 'rX',
      accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' },
      roleDefinitionIds: [EXCHANGE],
    });
    const readIds = (): string[] => bed.graph.callsOf('listAccessAssignmentsForMany').flatMap((c) => c.args[0] as string[]);
    const [item] = await planTerminate(bed.graph, ['rM']);
    assert.deepEqual(readIds().sort(), ['rA', 'rM']);
    assert.deepEqual(pairs(item?.impact?.keptThrough), ['g1:Directory Readers']);
    assert.deepEqual(item?.impact?.lost, []);
    // "Exchange only" shares no role with "A GDAP" either: the same answer as reading everything.
    bed.graph.calls.length = 0;
    const [a] = await planTerminate(bed.graph, ['rA']);
    assert.deepEqual(readIds().sort(), ['rA', 'rM']);
    assert.deepEqual(pairs(a?.impact?.lost), ['g1:Helpdesk Administrator']);
    // Terminating "Exchange only" itself reads it; no other relationship grants Exchange Administrator.
    bed.graph.calls.length = 0;
    const [x] = await planTerminate(bed.graph, ['rX']);
    assert.deepEqual(readIds(), ['rX']);
    assert.deepEqual(pairs(x?.impact?.lost), ['g1:Exchange Administrator']);
    // The Remove DAP guard asks whether any active assignment is left: every relationship is read.
    bed.graph.calls.length = 0;
    await planRemoveDap(bed.graph, bed.partnerCenter, ['t1']);
    assert.deepEqual(readIds().sort(), ['rA', 'rM', 'rX']);
  });

  it('remove assignment: the same group keeps Readers through the other relationship', async () => {
    const bed = contoso();
    const [item] = await planRemoveAssignments(bed.graph, [{ relationshipId: 'rA', assignmentId: 'a1' }]);
    assert.deepEqual(pairs(item?.impact?.lost), ['g1:Helpdesk Administrator']);
    assert.deepEqual(pairs(item?.impact?.keptThrough), ['g1:Directory Readers']);
    const c = removeAssignmentConfirmation([item], { groupName: (id) => (id === 'g1' ? 'Helpdesk Agents' : undefined) });
    assert.match(c.detail, /Helpdesk Agents loses at Contoso: Helpdesk Administrator/);
  });

  it('remove Global Administrator: a group holding it only there loses it', async () => {
    const bed = contoso();
    bed.graph.addAssignment({
      id: 'a3',
      relationshipId: 'rA',
      accessContainer: { accessContainerId: 'g2', accessContainerType: 'securityGroup' },
      roleDefinitionIds: [GA, READERS],
    });
    // The fake does not model operations; none are running.
    const graph = Object.assign(Object.create(bed.graph) as typeof bed.graph, { listOperations: () => Promise.resolve([]) });
    const [item] = await planMutation({ graph, partnerCenter: bed.partnerCenter }, removeGlobalAdministratorStrategy, ['rA']);
    assert.equal(item?.willAct, true);
    assert.deepEqual(pairs(item?.impact?.lost), ['g2:Global Administrator']);
    assert.deepEqual(item?.impact?.keptThrough, []);
  });

  it('the intent record keeps the impact the user confirmed', async () => {
    const bed = contoso();
    const plan = await planTerminate(bed.graph, ['rA']);
    await terminateRelationships(bed.ctx(), ['rA'], { confirmedPlan: new Map([['rA', plan[0]]]) });
    const intent = bed.journal.records.find((r) => r.type === 'intent');
    assert.deepEqual(pairs(intent?.impact?.lost), ['g1:Helpdesk Administrator']);
    assert.equal(intent?.impact?.keptThrough[0]?.relationshipName, 'MLT Default');
  });

  it('the modal shows the first lines and offers the rest as the full impact', () => {
    const lost = Array.from({ length: SHORT_IMPACT_LINES + 3 }, (_, i) => ({
      groupId: `g${i}`,
      groupName: `Group ${i}`,
      roleDefinitionId: READERS,
      roleName: 'Directory Readers',
    }));
    const text = impactLines([{ customer: 'Contoso', impact: { lost, keptThrough: [] } }], formatMessage);
    assert.equal(text.lines.length, SHORT_IMPACT_LINES + 4);
    const short = shortImpact(text, formatMessage);
    assert.equal(short.length, SHORT_IMPACT_LINES + 2);
    assert.equal(short.at(-1), '… and 3 more lines (Show Full Impact).');
    const none = impactLines([{ customer: 'Contoso', impact: { lost: [], keptThrough: [] } }], formatMessage);
    assert.deepEqual(none.lines, ['Impact: no partner group loses a role.']);
  });
});

describe('access: the Remove DAP guard', () => {
  it('an active relationship without an active assignment is not enough: warned, name typed', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.graph.addRelationship({ id: 'r1', customer: CONTOSO, roleDefinitionIds: [GA] });
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1', status: 'error', roleDefinitionIds: [GA] });
    const [item] = await planRemoveDap(bed.graph, bed.partnerCenter, ['t1']);
    assert.equal(item?.hasActiveGdap, true);
    assert.equal(item?.hasActiveAssignment, false);
    assert.equal(dapGuard(item), 'noAssignment');
    const c = removeDapConfirmation([item]);
    assert.equal(c.mustType, true);
    assert.equal(c.typeToConfirm, 'Contoso');
    assert.match(c.consequence, /Contoso has an active GDAP relationship but no active access assignment/);
    assert.match(c.detail, /Admin Agents \(DAP\) loses at Contoso: Global Administrator/);
    assert.deepEqual(
      item?.impact?.lost.map((r) => r.groupId),
      [DAP_GROUP_ID],
    );
  });

  it('with an active assignment it is safe: Global Administrator kept through GDAP is said, nothing typed', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.graph.addRelationship({ id: 'r1', displayName: 'Contoso GDAP', customer: CONTOSO, roleDefinitionIds: [GA] });
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1', roleDefinitionIds: [GA] });
    const [item] = await planRemoveDap(bed.graph, bed.partnerCenter, ['t1']);
    assert.equal(dapGuard(item), 'safe');
    const c = removeDapConfirmation([item]);
    assert.equal(c.mustType, false);
    assert.match(c.detail, /Admin Agents \(DAP\) keeps at Contoso, still granted through "Contoso GDAP": Global Administrator/);
  });

  it('assignments that cannot be read make the guard unknown, and typing required', async () => {
    const bed = testBed();
    bed.partnerCenter.addCustomer('t1', 'Contoso', true);
    bed.graph.addRelationship({ id: 'r1', customer: CONTOSO, roleDefinitionIds: [GA] });
    bed.graph.addAssignment({ id: 'a1', relationshipId: 'r1', roleDefinitionIds: [GA] });
    bed.graph.faults.add('listAccessAssignmentsForMany:r1', { kind: 'server', applied: false });
    const [item] = await planRemoveDap(bed.graph, bed.partnerCenter, ['t1']);
    assert.equal(dapGuard(item), 'unknown');
    assert.equal(removeDapConfirmation([item]).mustType, true);
  });

  it('a Partner Center 404 says there is no DAP to remove; an MFA challenge says to sign in with MFA', () => {
    const notFound = removeDapStrategy.decide(
      't9',
      {
        ok: false,
        error: new GdapError({ kind: 'notFound', status: 404, message: 'Partner Center reports that the item does not exist.' }),
      },
      undefined,
    );
    assert.equal(notFound.plan.reason, 'Partner Center does not list this tenant as your reseller customer, so there is no DAP to remove.');
    const mfa = removeDapStrategy.decide(
      't9',
      {
        ok: false,
        error: new GdapError({
          kind: 'auth',
          status: 401,
          code: '800001',
          message: 'Partner Center did not accept the sign-in (HTTP 401). Sign in again.',
          serviceMessage: 'Multi-factor authentication is required: the access token has no mfa in amr.',
        }),
      },
      undefined,
    );
    assert.match(mfa.plan.reason ?? '', /requires multi-factor authentication.*Sign in again with MFA/);
    const other = removeDapStrategy.decide(
      't9',
      { ok: false, error: new GdapError({ kind: 'auth', status: 401, message: 'Expired.' }) },
      undefined,
    );
    assert.equal(other.plan.reason, 'Could not be read: Expired.');
  });
});
