import { strict as assert } from 'node:assert';
import { redact } from '../../../src/core/http/redact';

describe('redaction of tokens glued to other text', () => {
  it('catches a JWT after a JSON-escaped newline or a word character', () => {
    const jwt = 'eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln';
    for (const text of [JSON.stringify({ message: `failed:\n${jwt}` }), `x=1${jwt}`, `token${jwt}`]) {
      assert.ok(!redact(text).includes('eyJ0eXAi'), redact(text));
    }
  });
});
