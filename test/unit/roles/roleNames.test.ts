import { strict as assert } from 'node:assert';
import { closestRoleNames, editDistance, parseRoleList } from '../../../src/core/roles/roleNames';

const GLOBAL_READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

describe('parseRoleList', () => {
  it('maps names case-insensitively and ids verbatim (lower-cased), in order, without repeats', () => {
    const r = parseRoleList(' global reader ,HELPDESK   administrator, F2EF992C-3AFB-46B9-B7CF-A126EE74C451 ');
    assert.deepEqual(r, { ok: true, roleDefinitionIds: [GLOBAL_READER, HELPDESK] });
  });

  it('takes a GUID the catalog does not know as given', () => {
    const id = '00000000-1111-2222-3333-444444444444';
    assert.deepEqual(parseRoleList(id), { ok: true, roleDefinitionIds: [id] });
  });

  it('names the closest matches for each unknown name', () => {
    const r = parseRoleList('Global Raeder, Helpdesk Admin, Security Reader');
    assert.equal(r.ok, false);
    if (r.ok) {
      return;
    }
    assert.equal(r.problems.length, 2);
    assert.equal(r.problems[0].input, 'Global Raeder');
    assert.equal(r.problems[0].suggestions[0], 'Global Reader');
    assert.match(r.problems[0].message, /Unknown role "Global Raeder"\. Did you mean "Global Reader"/);
    assert.equal(r.problems[1].suggestions[0], 'Helpdesk Administrator');
  });

  it('knows every built-in role by name, not only the commonly requested ones', () => {
    // Attribute Log Reader is a built-in role outside the short list of common partner roles.
    assert.deepEqual(parseRoleList('attribute log reader'), { ok: true, roleDefinitionIds: ['9c99539d-8186-4804-835f-fd51ef9e2dcd'] });
  });

  it('refuses an empty list', () => {
    const r = parseRoleList(' , ');
    assert.equal(r.ok, false);
    if (r.ok) {
      return;
    }
    assert.match(r.problems[0].message, /at least one role/);
  });
});

describe('editDistance / closestRoleNames', () => {
  it('counts insertions, deletions and substitutions, ignoring case', () => {
    assert.equal(editDistance('kitten', 'SITTING'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('Same', 'same'), 0);
  });
  it('returns the best three, best first', () => {
    const names = closestRoleNames('User Admin');
    assert.equal(names.length, 3);
    assert.equal(names[0], 'User Administrator');
  });
});
