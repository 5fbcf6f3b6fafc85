import { strict as assert } from 'node:assert';
import { parseWebviewMessage, wireMatrix } from '../../../src/extension/access/matrixMessages';

describe('access matrix: messages from the webview are validated', () => {
  it('accepts the ready, open and export messages the webview sends', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'open', index: 3 }), { type: 'open', index: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'markdown', indices: [2, 0] }), {
      type: 'export',
      format: 'markdown',
      indices: [2, 0],
    });
  });

  it('accepts a chosen cell and a members request, by index', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'openCell', customer: 4, role: 0 }), { type: 'openCell', customer: 4, role: 0 });
    assert.deepEqual(parseWebviewMessage({ type: 'openCell', customer: 0, role: 2, groups: [1, 3] }), {
      type: 'openCell',
      customer: 0,
      role: 2,
      groups: [1, 3],
    });
    assert.deepEqual(parseWebviewMessage({ type: 'members', group: 7 }), { type: 'members', group: 7 });
  });

  it('drops a chosen cell or a members request that is not by index', () => {
    for (const bad of [
      { type: 'openCell', customer: 0 },
      { type: 'openCell', customer: -1, role: 0 },
      { type: 'openCell', customer: 0, role: 0, groups: ['11111111-0000-4000-8000-00000000000a'] },
      { type: 'openCell', customer: 0, role: 0, relationshipId: 'x' },
      { type: 'members', group: '11111111-0000-4000-8000-00000000000a' },
      { type: 'members', group: 0, url: 'https://graph.microsoft.com/v1.0/users' },
      { type: 'members', group: 0.5 },
      { type: 'members' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('sends the grid as arrays: privilege as 1/0/-1, unnamed groups by a short id', () => {
    const wire = wireMatrix(
      {
        customers: [{ tenantId: 't', name: 'Contoso' }],
        roles: [
          { roleDefinitionId: 'r1', name: 'Global Administrator', privileged: true },
          { roleDefinitionId: 'r2', name: 'Directory Readers', privileged: false },
          { roleDefinitionId: 'r3', name: 'Unknown role (r3)', privileged: null },
        ],
        groups: [
          { groupId: '11111111-0000-4000-8000-00000000000a', name: null },
          { groupId: 'g2', name: 'Admins' },
        ],
        relationships: [{ id: 'rel', name: 'Contoso 2026' }],
        cells: [[{ role: 0, holdings: [{ group: 1, relationships: [0], rows: [0, 1] }] }]],
      },
      true,
    );
    assert.deepEqual(wire, {
      customers: [['Contoso', 't']],
      roles: [
        ['Global Administrator', 'r1', 1],
        ['Directory Readers', 'r2', 0],
        ['Unknown role (r3)', 'r3', -1],
      ],
      groups: [
        ['11111111…', '11111111-0000-4000-8000-00000000000a', 0],
        ['Admins', 'g2', 1],
      ],
      relationships: [['Contoso 2026', 'rel']],
      cells: [[[0, [[1, [0], [0, 1]]]]]],
      members: true,
    });
  });

  it('drops anything else: unknown types, extra fields, bad indices and formats', () => {
    for (const bad of [
      null,
      'open',
      { type: 'run', command: 'gdap.removeDap' },
      { type: 'open', index: -1 },
      { type: 'open', index: 1.5 },
      { type: 'open', index: '1' },
      { type: 'ready', extra: true },
      { type: 'export', format: 'xlsx', indices: [] },
      { type: 'export', format: 'csv', indices: [0], path: '/etc/passwd' },
      { type: 'export', format: 'csv', indices: [Number.MAX_SAFE_INTEGER] },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
