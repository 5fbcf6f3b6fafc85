// Core's service and sign-in errors rendered by the extension's error funnel through vscode.l10n.t in the
// extension host (English here): each reads exactly as the CLI's English message, a nested code too.
import * as assert from 'node:assert/strict';
import { toSignInError } from '../../src/core/auth/signInError';
import { parseEmulatorUrl } from '../../src/core/http/clouds';
import { gdapErrorOf, type GdapError } from '../../src/core/http/gdapError';
import { msg } from '../../src/core/messages';
import { humanMessage } from '../../src/extension/ui/errorFunnel';

function thrown(fn: () => unknown): GdapError {
  try {
    fn();
  } catch (e) {
    return e as GdapError;
  }
  assert.fail('expected a throw');
}

describe('Service error text through vscode.l10n', () => {
  it('a coded error, one with nested codes and one with a plain inner text read as their English message', () => {
    const refused = thrown(() => parseEmulatorUrl('https://example.com:8443'));
    const timeout = gdapErrorOf('timeout', msg('No answer from {0} within {1} s.', 'graph.microsoft.com', '60'));
    const nested = toSignInError(
      gdapErrorOf('network', msg('Could not reach {0} ({1}). Check the network connection and try again.', '127.0.0.1:1', 'ECONNREFUSED')),
      msg('Sign-in (device code)'),
    );
    const plain = toSignInError(new Error('socket hang up'), msg('Sign-in (device code)'));
    assert.ok(
      nested.messageCodes?.[0]?.nested?.every((n) => n !== null),
      'the flow and the inner error are nested codes',
    );
    for (const error of [refused, timeout, nested, plain]) {
      assert.ok(error.messageCodes !== undefined, error.message);
      const shown = humanMessage(error);
      assert.equal(shown, error.message);
      assert.doesNotMatch(shown, /\{\d+\}/, 'every placeholder filled');
    }
  });
});
