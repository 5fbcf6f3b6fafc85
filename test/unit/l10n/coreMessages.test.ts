import assert from 'node:assert/strict';
import { terminateConfirmation, type Translate } from '../../../src/core/actions/confirmations';
import { removeAssignmentEligibility } from '../../../src/core/actions/strategies/removeAccessAssignment';
import { terminateEligibility } from '../../../src/core/actions/strategies/terminateRelationship';
import { because, english, msg } from '../../../src/core/messages';

describe('core messages as codes with parameters (src/core/messages.ts)', () => {
  it('the CLI reads them in English, filled in', () => {
    assert.equal(english(msg('Already being terminated ("{0}").', 'terminating')), 'Already being terminated ("terminating").');
    assert.deepEqual(because(msg('Could not be read: {0}', 'HTTP 503')), {
      reason: 'Could not be read: HTTP 503',
      reasonMessage: { template: 'Could not be read: {0}', args: ['HTTP 503'] },
    });
  });

  it('skip reasons of terminate and remove carry their template and arguments beside the English text', () => {
    const t = terminateEligibility('approvalPending');
    assert.equal(t.kind, 'skip');
    assert.ok(t.kind === 'skip');
    assert.equal(t.reason, 'Terminate applies only to active relationships; this one is "approvalPending".');
    assert.deepEqual(t.reasonMessage, {
      template: 'Terminate applies only to active relationships; this one is "{0}".',
      args: ['approvalPending'],
    });
    const r = removeAssignmentEligibility('deleting');
    assert.ok(r.kind === 'alreadyDone');
    assert.deepEqual(r.reasonMessage, { template: 'Already removed ("{0}").', args: ['deleting'] });
  });

  it('a confirmation renders a plan reason through the face’s translate, the CLI’s in English', () => {
    const plan = [
      {
        id: 'r1',
        name: 'Contoso GDAP',
        customerName: 'Contoso',
        customerTenantId: 't1',
        status: 'terminated',
        endDateTime: null,
        roles: [],
        willAct: false,
        ...because(msg('Already terminated.')),
      },
    ];
    const german: Translate = (m, ...args) =>
      (({ 'Already terminated.': 'Bereits beendet.' }) as Record<string, string>)[m] ??
      m.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    assert.equal(terminateConfirmation(plan, { translate: german }).items[0].reason, 'Bereits beendet.');
    assert.equal(terminateConfirmation(plan).items[0].reason, 'Already terminated.');
  });
});
