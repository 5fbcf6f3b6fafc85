import { strict as assert } from 'node:assert';
import type { Inventory } from '../../../src/core/actions/inventory';
import type { PartnerCenterCustomer } from '../../../src/core/partnerCenter/partnerCenterApi';
import { noGdapCustomers, noGdapMatches, partnerCenterProblem } from '../../../src/extension/tree/noGdap';
import { ViewBadgeNotes } from '../../../src/extension/tree/viewBadgeNotes';

const T = (n: number): string => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;

function pc(n: number, companyName: string | null, domain: string | null = null): PartnerCenterCustomer {
  return { id: T(n), tenantId: T(n), companyName, domain, allowDelegatedAccess: null, relationshipToPartner: 'reseller' };
}

/** The inventory as far as the merge reads it: the customers' tenant ids. */
function inventoryOf(...tenantIds: string[]): Inventory {
  return { customers: tenantIds.map((tenantId) => ({ tenantId, displayName: tenantId, relationships: [] })) } as unknown as Inventory;
}

describe('the No GDAP group: merge, filter and Partner Center problems', () => {
  it('keeps the Partner Center customers the inventory does not know, by name, once each', () => {
    const list = [pc(3, 'Zeta Ltd'), pc(1, 'Alpha GmbH'), pc(2, null, 'beta.onmicrosoft.com'), pc(4, '  '), pc(1, 'Alpha again')];
    // The inventory spells a tenant id in upper case: still the same tenant.
    const merged = noGdapCustomers(list, inventoryOf(T(3).toUpperCase()));
    assert.deepEqual(
      merged.map((c) => [c.name, c.tenantId]),
      [
        [T(4), T(4)],
        ['Alpha GmbH', T(1)],
        ['beta.onmicrosoft.com', T(2)],
      ],
      'named by company, else domain, else tenant id; sorted; Zeta has GDAP; a duplicate tenant once',
    );
    assert.equal(noGdapCustomers(list, undefined).length, 4);
    assert.deepEqual(noGdapCustomers([], inventoryOf(T(1))), []);
  });

  it('the filter text matches name, domain or tenant id; a status filter hides them', () => {
    const [c] = noGdapCustomers([pc(7, 'Contoso', 'contoso.onmicrosoft.com')], undefined);
    assert.equal(noGdapMatches(c, { text: '', status: 'all' }), true);
    assert.equal(noGdapMatches(c, { text: 'CONTO', status: 'all' }), true);
    assert.equal(noGdapMatches(c, { text: 'onmicrosoft', status: 'all' }), true);
    assert.equal(noGdapMatches(c, { text: T(7).slice(-6), status: 'all' }), true);
    assert.equal(noGdapMatches(c, { text: 'fabrikam', status: 'all' }), false);
    assert.equal(noGdapMatches(c, { text: '', status: 'active' }), false, 'no relationship is active');
  });

  it('says what kind of Partner Center failure it is', () => {
    assert.equal(partnerCenterProblem({ kind: 'auth', message: 'Partner Center access has not been granted yet.' }), 'signIn');
    assert.equal(partnerCenterProblem({ kind: 'auth', code: '800001', message: 'x' }), 'mfa');
    assert.equal(partnerCenterProblem({ kind: 'auth', serviceMessage: 'Multi-factor authentication required', message: 'x' }), 'mfa');
    assert.equal(partnerCenterProblem({ kind: 'forbidden', status: 403, message: 'Forbidden' }), 'forbidden');
    for (const kind of ['network', 'timeout', 'server', 'throttled']) {
      assert.equal(partnerCenterProblem({ kind, message: 'x' }), 'unreachable', kind);
    }
    assert.equal(partnerCenterProblem(new Error('boom')), 'other');
    assert.equal(partnerCenterProblem(undefined), 'other');
  });
});

describe('view badge notes (the radar owns the badge, others add tooltip lines)', () => {
  it('adds, replaces and removes a line per owner, and tells the owner of the badge', () => {
    const notes = new ViewBadgeNotes();
    let calls = 0;
    const sub = notes.onDidChange(() => (calls += 1));
    assert.equal(notes.tooltip('2 relationships end within 30 days'), '2 relationships end within 30 days');
    notes.set('access', '3 access findings (1 errors) — see Problems');
    assert.equal(notes.tooltip('2 relationships end'), '2 relationships end\n3 access findings (1 errors) — see Problems');
    notes.set('access', '3 access findings (1 errors) — see Problems');
    assert.equal(calls, 1, 'the same text again is no change');
    notes.set('other', 'x');
    notes.set('access', '1 access finding (0 errors) — see Problems');
    assert.deepEqual(notes.lines(), ['1 access finding (0 errors) — see Problems', 'x']);
    notes.set('access', undefined);
    assert.deepEqual(notes.lines(), ['x']);
    assert.equal(calls, 4);
    sub.dispose();
    notes.set('other', undefined);
    assert.equal(calls, 4, 'no call after dispose');
  });
});
