import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { cancelledError, errorFromResponse, humanMessage, humanMessageCode, markAmbiguous } from '../../../../src/core/http/errorMapping';
import type { GdapErrorKind } from '../../../../src/core/http/gdapError';
import { english } from '../../../../src/core/messages';

/*
 * A service error's line as codes with parameters: the CLI (and the log) print the English, the extension
 * renders the same codes in the display language, so both say the same thing.
 */

const KINDS: GdapErrorKind[] = [
  'auth',
  'forbidden',
  'notFound',
  'preconditionFailed',
  'conflict',
  'throttled',
  'server',
  'network',
  'timeout',
  'invalidResponse',
  'invalidInput',
  'cancelled',
];

const bundle = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', '..', 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<
    string,
    string
  >;

describe('error message codes (a GdapError in the display language)', () => {
  it('the English of every code is the line the CLI has always printed', () => {
    for (const service of ['graph', 'partnerCenter'] as const) {
      for (const kind of KINDS) {
        for (const details of [{}, { status: 503, serviceMessage: 'Busy.', retryAfterSeconds: 7 }]) {
          assert.equal(english(humanMessageCode(kind, service, details)), humanMessage(kind, service, details), `${service} ${kind}`);
        }
      }
    }
    assert.equal(
      humanMessage('throttled', 'graph', { retryAfterSeconds: 7 }),
      'Microsoft Graph is throttling requests (HTTP 429: too many requests). Wait 7 s and try again.',
    );
    assert.equal(humanMessage('server', 'partnerCenter', { status: 503 }), 'Partner Center had a problem (HTTP 503). Try again later.');
  });

  it('an error from a response carries its codes; an ambiguous one adds the sentence that says so', () => {
    const e = errorFromResponse({ status: 503, headers: {}, body: '' }, { service: 'graph' });
    assert.deepEqual(e.messageCodes, [{ template: '{0} had a problem (HTTP {1}). Try again later.', args: ['Microsoft Graph', '503'] }]);
    assert.equal(e.messageCodes?.map(english).join(' '), e.message);
    const maybe = markAmbiguous(e);
    assert.equal(maybe.messageCodes?.length, 2);
    assert.equal(maybe.messageCodes?.map(english).join(' '), maybe.message);
    assert.match(maybe.message, /may or may not have been carried out/);
    assert.equal(cancelledError().messageCodes?.map(english).join(' '), cancelledError().message);
  });

  it('every code is translated, with the service name kept as it is', () => {
    const de = bundle('de');
    for (const kind of KINDS) {
      for (const details of [{}, { status: 409, serviceMessage: 'Conflict.', retryAfterSeconds: 3 }]) {
        const code = humanMessageCode(kind, 'graph', details);
        assert.ok(de[code.template] !== undefined && de[code.template] !== code.template, `German for "${code.template}"`);
      }
    }
    const server = humanMessageCode('server', 'graph', { status: 503 });
    assert.equal(
      english({ ...server, template: de[server.template] }),
      'Microsoft Graph hatte ein Problem (HTTP 503). Versuchen Sie es später erneut.',
    );
  });
});
