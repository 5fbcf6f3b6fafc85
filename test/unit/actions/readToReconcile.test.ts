import { strict as assert } from 'node:assert';
import { readToReconcile } from '../../../src/core/actions/readToReconcile';
import { GdapError, type GdapErrorKind } from '../../../src/core/http/gdapError';

function failing(kinds: GdapErrorKind[], value: string): { read: () => Promise<string>; calls: () => number } {
  let n = 0;
  return {
    read: (): Promise<string> => {
      const kind = kinds[n++];
      return kind === undefined ? Promise.resolve(value) : Promise.reject(new GdapError({ kind, message: kind }));
    },
    calls: () => n,
  };
}

describe('readToReconcile', () => {
  it('reads again after a malformed, lost or throttled answer and returns the value', async () => {
    const r = failing(['invalidResponse', 'network', 'throttled'], 'active');
    assert.equal(await readToReconcile(r.read, { delayMs: 1 }), 'active');
    assert.equal(r.calls(), 4);
  });

  it('gives up after the attempts and throws the last error', async () => {
    const r = failing(['timeout', 'server', 'invalidResponse', 'network', 'network'], 'never');
    await assert.rejects(readToReconcile(r.read, { delayMs: 1, attempts: 3 }), (e: GdapError) => e.kind === 'invalidResponse');
    assert.equal(r.calls(), 3);
  });

  it('throws a definite answer at once (404, 403)', async () => {
    for (const kind of ['notFound', 'forbidden'] as const) {
      const r = failing([kind], 'never');
      await assert.rejects(readToReconcile(r.read, { delayMs: 1 }), (e: GdapError) => e.kind === kind);
      assert.equal(r.calls(), 1);
    }
  });
});
