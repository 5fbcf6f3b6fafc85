import { strict as assert } from 'node:assert';
import { parseWebviewMessage } from '../../../src/extension/access/matrixMessages';

describe('access matrix: messages from the webview are validated', () => {
  it('accepts the three messages the webview sends', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'open', index: 3 }), { type: 'open', index: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'export', format: 'markdown', indices: [2, 0] }), {
      type: 'export',
      format: 'markdown',
      indices: [2, 0],
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
