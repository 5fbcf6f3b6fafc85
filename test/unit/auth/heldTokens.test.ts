import { strict as assert } from 'node:assert';
import { HeldTokens, RENEWAL_MARGIN_MS } from '../../../src/core/auth/heldTokens';

describe('held tokens: reused per request until the renewal margin', () => {
  it('gives the token back while more than the margin is left, then forgets it', () => {
    let now = 1_000_000;
    const held = new HeldTokens<string>(() => now);
    held.hold('graph', 't1', new Date(now + 3_600_000));
    assert.equal(held.get('graph'), 't1');
    assert.equal(held.get('partnerCenter'), undefined, 'per audience');
    now += 3_600_000 - RENEWAL_MARGIN_MS - 1;
    assert.equal(held.get('graph'), 't1');
    now += 1;
    assert.equal(held.get('graph'), undefined, 'at the margin msal renews, so does the holder');
    now -= 10;
    assert.equal(held.get('graph'), undefined, 'forgotten, not only hidden');
  });

  it('holds nothing without a valid expiry, and clear() drops every audience', () => {
    const held = new HeldTokens<string>(() => 0);
    held.hold('graph', 't1', null);
    held.hold('pc', 't2', new Date(Number.NaN));
    assert.equal(held.get('graph'), undefined);
    assert.equal(held.get('pc'), undefined);
    held.hold('graph', 't3', new Date(3_600_000));
    held.hold('graph', 't4', undefined);
    assert.equal(held.get('graph'), undefined, 'a newer token without an expiry replaces the held one');
    held.hold('graph', 't5', new Date(3_600_000));
    held.hold('pc', 't6', new Date(3_600_000));
    held.clear();
    assert.equal(held.get('graph'), undefined);
    assert.equal(held.get('pc'), undefined);
  });
});
