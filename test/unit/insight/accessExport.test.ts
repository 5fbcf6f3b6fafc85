import { strict as assert } from 'node:assert';
import { accessRowsToCsv, accessRowsToMarkdown } from '../../../src/core/insight/accessExport';
import { accessRows } from '../../../src/core/insight/accessRows';
import { assignment, customer, GA, inventory, READER, relationship, UNKNOWN } from './build';

function rows(): ReturnType<typeof accessRows> {
  return accessRows(
    inventory([
      customer('t1', '=Contoso, "Ltd" | Co', [
        relationship('r1', {
          name: 'Contoso GDAP',
          tenantId: 't1',
          roles: [GA, READER, UNKNOWN],
          assignments: [assignment('a1', 'g1', [GA, UNKNOWN])],
        }),
      ]),
    ]),
    {},
    { groups: { names: new Map([['g1', 'Helpdesk | Tier 1']]) } },
  );
}

describe('access export (the matrix as CSV and Markdown)', () => {
  it('CSV: the columns of gdap access, RFC 4180 quoting, formula-looking values neutralised, unknown privilege said', () => {
    const text = accessRowsToCsv(rows());
    const lines = text.split('\r\n');
    assert.equal(
      lines[0],
      'customerTenantId,customerName,relationshipId,relationshipName,groupId,groupName,roleDefinitionId,roleName,privileged,endDateTime,autoExtends',
    );
    assert.equal(lines.length, 4, 'two rows and the final CRLF');
    assert.ok(lines[1].startsWith(`t1,"'=Contoso, ""Ltd"" | Co",r1,Contoso GDAP,g1,Helpdesk | Tier 1,${GA},Global Administrator,true,`));
    assert.match(lines[2], new RegExp(`,${UNKNOWN},Unknown role \\(${UNKNOWN}\\) · privilege unknown,unknown,`));
  });

  it('Markdown: a header, a separator and one escaped line per row', () => {
    const table = accessRowsToMarkdown(rows()).trimEnd().split('\n');
    assert.equal(table[0], '| Customer | Relationship | Security group | Role | Privileged | Ends | Auto-extends |');
    assert.equal(table[1], '| --- | --- | --- | --- | --- | --- | --- |');
    assert.equal(table.length, 4);
    assert.ok(table[2].startsWith('| =Contoso, "Ltd" \\| Co | Contoso GDAP | Helpdesk \\| Tier 1 | Global Administrator | yes |'));
    assert.match(table[3], /\| unknown \|/);
  });
});
