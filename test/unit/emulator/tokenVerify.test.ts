import { strict as assert } from 'node:assert';
import { TokenService } from '../../../src/emulator/tokens';

describe('emulator tokens: a checked signature is remembered, lifetime and audience are not', () => {
  const base = 'https://127.0.0.1:1';
  const service = (): TokenService => new TokenService('00000000-0000-4000-8000-00000000e301', 'partner.example', true, 3600, 5);

  it('the same token verifies again (a $batch of 20 checks it 21 times) with the same principal', () => {
    const s = service();
    const token = s.issue(base, { audience: 'graph', kind: 'app' });
    const first = s.verify(`Bearer ${token}`, 'graph');
    const second = s.verify(`Bearer ${token}`, 'graph');
    assert.ok(!('error' in first) && !('error' in second));
    assert.deepEqual(second, first);
  });

  it('a remembered token is still refused for another audience, and once its lifetime is over', () => {
    const s = service();
    const token = s.issue(base, { audience: 'graph', kind: 'user', expiresInSeconds: 60 });
    assert.ok(!('error' in s.verify(`Bearer ${token}`, 'graph')));
    const other = s.verify(`Bearer ${token}`, 'partnerCenter');
    assert.ok('error' in other && /Invalid audience/.test(other.error));
    const realNow = Date.now;
    Date.now = (): number => realNow() + 120_000;
    try {
      const late = s.verify(`Bearer ${token}`, 'graph');
      assert.ok('error' in late && /expired/.test(late.error));
    } finally {
      Date.now = realNow;
    }
  });

  it('a token changed after a good one was remembered is refused: the signature is checked per token text', () => {
    const s = service();
    const token = s.issue(base, { audience: 'graph', kind: 'app' });
    assert.ok(!('error' in s.verify(`Bearer ${token}`, 'graph')));
    const [head, body, sig] = token.split('.');
    const forgedSig = `${head}.${body}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedBody = `${head}.${Buffer.from(JSON.stringify({ ...claims, roles: ['Everything'] })).toString('base64url')}.${sig}`;
    for (const forged of [forgedSig, forgedBody]) {
      const answer = s.verify(`Bearer ${forged}`, 'graph');
      assert.ok('error' in answer && /signature is invalid/.test(answer.error), forged);
    }
    // A token from another emulator start (another secret) is refused too.
    const stranger = service().issue(base, { audience: 'graph', kind: 'app' });
    assert.ok('error' in s.verify(`Bearer ${stranger}`, 'graph'));
  });
});
