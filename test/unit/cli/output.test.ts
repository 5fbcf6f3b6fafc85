import * as assert from 'node:assert/strict';
import { csvField, toCsv } from '../../../src/cli/csv';
import { relationshipsToCsv } from '../../../src/cli/inventoryOutput';
import { formatResults } from '../../../src/cli/results';
import type { InventoryRelationship } from '../../../src/core/actions/inventory';

/** A minimal RFC 4180 reader, to check that what we write reads back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  assert.equal(field, '', 'text must end with CRLF');
  return rows;
}

const rel = (over: Partial<InventoryRelationship>): InventoryRelationship => ({
  id: 'r1',
  displayName: 'Contoso, "main"',
  status: 'active',
  createdDateTime: '2024-01-01T00:00:00Z',
  activatedDateTime: null,
  endDateTime: '2025-01-01T00:00:00Z',
  duration: 'P365D',
  autoExtendDuration: 'PT0S',
  customer: { tenantId: 't1', displayName: 'Line\nbreak' },
  roles: [
    { roleDefinitionId: 'a', name: 'Global Administrator', privileged: true },
    { roleDefinitionId: 'b', name: 'Reader', privileged: false },
  ],
  ...over,
});

describe('cli output', () => {
  it('quotes CSV fields per RFC 4180', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
    assert.equal(csvField(null), '');
    assert.equal(csvField(true), 'true');
    assert.equal(toCsv(['a', 'b'], [['1', null]]), 'a,b\r\n1,\r\n');
  });

  it('writes one row per relationship and reads back to the same values', () => {
    const rows = parseCsv(relationshipsToCsv([rel({}), rel({ id: 'r2', roles: [], activatedDateTime: '2024-02-01T00:00:00Z' })], false));
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0].slice(0, 5), [
      'customerTenantId',
      'customerDisplayName',
      'relationshipId',
      'relationshipDisplayName',
      'status',
    ]);
    assert.deepEqual(rows[1], [
      't1',
      'Line\nbreak',
      'r1',
      'Contoso, "main"',
      'active',
      '2024-01-01T00:00:00Z',
      '',
      '2025-01-01T00:00:00Z',
      'P365D',
      'PT0S',
      'Global Administrator; Reader',
      'true',
    ]);
    assert.equal(rows[2][11], 'false');
    assert.ok(rows.every((r) => r.length === rows[0].length));
  });

  it('writes one row per assignment with --assignments, keeping relationships without any', () => {
    const withTwo = rel({
      accessAssignments: [
        {
          id: 'a1',
          status: 'active',
          accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' },
          roles: [{ roleDefinitionId: 'b', name: 'Reader', privileged: false }],
          createdDateTime: 'c',
          lastModifiedDateTime: 'm',
        },
        {
          id: 'a2',
          status: 'pending',
          accessContainer: { accessContainerId: 'g2', accessContainerType: 'securityGroup' },
          roles: [],
          createdDateTime: null,
          lastModifiedDateTime: null,
        },
      ],
    });
    const rows = parseCsv(relationshipsToCsv([withTwo, rel({ id: 'r3', status: 'approvalPending' })], true));
    assert.equal(rows.length, 4);
    assert.equal(rows[0].length, 19);
    assert.deepEqual(rows[1].slice(12), ['a1', 'active', 'g1', 'securityGroup', 'Reader', 'c', 'm']);
    assert.deepEqual(rows[2].slice(12, 14), ['a2', 'pending']);
    assert.equal(rows[3][2], 'r3');
    assert.deepEqual(rows[3].slice(12), ['', '', '', '', '', '', '']);
  });

  it('prints results with exactly id, outcome, status, error in the order asked', () => {
    const text = formatResults(
      [
        { id: 'b', outcome: 'failed', status: null, error: 'nope', errorKind: 'notFound', name: 'B' },
        { id: 'a', outcome: 'done', status: 'terminated', error: null },
      ],
      ['a', 'b'],
    );
    assert.deepEqual(JSON.parse(text), {
      results: [
        { id: 'a', outcome: 'done', status: 'terminated', error: null },
        { id: 'b', outcome: 'failed', status: null, error: 'nope' },
      ],
    });
  });
});
