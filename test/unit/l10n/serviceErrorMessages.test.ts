import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { findCoreMessagesInText } from '../../../scripts/l10nCheck';
import { resolveMsalAuthority } from '../../../src/core/auth/msalConfig';
import { toSignInError } from '../../../src/core/auth/signInError';
import { GdapClient } from '../../../src/core/graph/gdapClient';
import type { GraphRequester } from '../../../src/core/graph/graphRequester';
import { GROUP_SEARCH_MIN_LENGTH, searchSecurityGroups } from '../../../src/core/graph/groupSearch';
import { parseOrThrow } from '../../../src/core/graph/normalise';
import { parseEmulatorUrl, resolveEndpoints, type ServiceEndpoints } from '../../../src/core/http/clouds';
import { GdapError, gdapErrorOf, innerMessage, isGdapError } from '../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../src/core/http/transport';
import { english, msg, translated, type Message } from '../../../src/core/messages';
import { joinPartnerCenterLink, PartnerCenterClient } from '../../../src/core/partnerCenter/partnerCenterClient';
import { emulatorEndpoints, exampleJson, FakeTokens, useTestServer, type TestServer, VirtualClock } from '../core/helpers/testServer';

/*
 * The errors of the transport, the clouds, the Graph and Partner Center clients and the sign-in are codes with
 * parameters (src/core/messages.ts): the CLI's English `message` stays exactly the text the code printed before
 * (the golden strings below), every template and every nested one has its de/fr/ja translation, and the
 * extension renders the codes in the display language (here a fake `t` over the real German bundle).
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>;
const bundles = (['de', 'fr', 'ja'] as const).map((lang) => [lang, read(lang)] as const);
const german = read('de');

/** A fake `vscode.l10n.t` that reads the German bundle and fills placeholders as VS Code does. */
const inGerman = (template: string, ...args: string[]): string =>
  (german[template] ?? `<untranslated: ${template}>`).replace(/\{(\d+)\}/g, (whole, i: string) => args[Number(i)] ?? whole);

const templatesOf = (m: Message): string[] => [m.template, ...(m.nested ?? []).flatMap((n) => (n === null ? [] : templatesOf(n)))];

/** The error reads `golden` in English, carries it as one code, and that code (nested ones too) is translated everywhere. */
function checkError(error: unknown, golden: string): Message {
  assert.ok(isGdapError(error), `a GdapError for ${golden}, got ${String(error)}`);
  assert.equal(error.message, golden);
  assert.equal(error.messageCodes?.length, 1, `one code for ${golden}`);
  const code = error.messageCodes[0];
  assert.equal(english(code), golden);
  for (const template of templatesOf(code)) {
    for (const [lang, bundle] of bundles) {
      assert.equal(typeof bundle[template], 'string', `${lang} has ${JSON.stringify(template)}`);
    }
  }
  const shown = translated(code, inGerman);
  assert.ok(!shown.includes('<untranslated'), shown);
  return code;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
}

/** An emulator origin on a port nothing listens on. */
const CLOSED: ServiceEndpoints = { ...resolveEndpoints({ cloud: 'global', emulatorUrl: 'https://127.0.0.1:1' }) };

describe('service errors as codes with parameters (transport, clouds, Graph, Partner Center, sign-in)', function () {
  this.timeout(15_000);
  let server: TestServer;
  let transport: HttpTransport;

  useTestServer((s) => ({ server, transport } = s));

  describe('transport (src/core/http/transport.ts)', () => {
    it('refusals before sending read as before', async () => {
      checkError(await rejection(transport.send({ method: 'GET', url: 'not a url' })), 'Invalid request URL: not a url');
      const global = createHttpTransport({ endpoints: resolveEndpoints({ cloud: 'global' }) });
      try {
        checkError(
          await rejection(global.send({ method: 'GET', url: 'http://graph.microsoft.com/v1.0/me' })),
          'Refusing to send a request over plain HTTP to graph.microsoft.com.',
        );
        checkError(
          await rejection(global.send({ method: 'GET', url: 'https://example.com/x', headers: { Authorization: 'Bearer t' } })),
          'Refusing to send credentials to example.com: it is not a Microsoft cloud host or the configured emulator.',
        );
      } finally {
        global.close();
      }
      const controller = new AbortController();
      controller.abort();
      const cancelled = await rejection(transport.send({ method: 'GET', url: `${server.origin}/x`, signal: controller.signal }));
      checkError(cancelled, 'The operation was cancelled.');
      assert.equal((cancelled as GdapError).kind, 'cancelled');
      assert.equal(server.requests.length, 0, 'nothing was sent');
    });

    it('no answer in time: the host and the seconds, in German too', async () => {
      server.handler = () => new Promise(() => undefined);
      const host = new URL(server.origin).host;
      const error = await rejection(transport.send({ method: 'GET', url: `${server.origin}/slow`, timeoutMs: 500 }));
      const code = checkError(error, `No answer from ${host} within 1 s.`);
      assert.equal((error as GdapError).kind, 'timeout');
      assert.equal(translated(code, inGerman), `Keine Antwort von ${host} innerhalb von 1 s.`);
      server.handler = () => ({ status: 404 });
    });

    it('a host that does not answer and a certificate that is not trusted', async () => {
      const closed = createHttpTransport({ endpoints: CLOSED });
      try {
        checkError(
          await rejection(closed.send({ method: 'GET', url: 'https://127.0.0.1:1/x' })),
          'Could not reach 127.0.0.1:1 (ECONNREFUSED). Check the network connection and try again.',
        );
      } finally {
        closed.close();
      }
      const untrusted = createHttpTransport({ endpoints: { ...emulatorEndpoints(server), emulator: { origin: server.origin } } });
      try {
        const error = await rejection(untrusted.send({ method: 'GET', url: `${server.origin}/x` }));
        const host = new URL(server.origin).host;
        checkError(
          error,
          `Could not verify the TLS certificate of ${host} (${String((error as GdapError).code)}). For the emulator, set GDAP_EMULATOR_CA to the PEM file it printed.`,
        );
      } finally {
        untrusted.close();
      }
    });
  });

  it('emulator URL and cloud refusals (src/core/http/clouds.ts)', () => {
    checkError(
      thrown(() => parseEmulatorUrl('nope')),
      'The emulator URL "nope" is not a valid URL. Use the URL the emulator printed, e.g. https://127.0.0.1:8443.',
    );
    checkError(
      thrown(() => parseEmulatorUrl('ftp://127.0.0.1:8443')),
      'The emulator URL must use https (got ftp:).',
    );
    checkError(
      thrown(() => parseEmulatorUrl('https://example.com:8443')),
      'The emulator must run on this machine (127.0.0.1, localhost or [::1]); "example.com" is refused.',
    );
    checkError(
      thrown(() => parseEmulatorUrl('https://127.0.0.1:8443/v1.0')),
      'The emulator URL must be an origin only (scheme, host and port), as the emulator printed it.',
    );
    const china = checkError(
      thrown(() => resolveEndpoints({ cloud: 'china' })),
      'GDAP is not available in the china cloud. Choose global, usgov or usgovdod.',
    );
    assert.equal(translated(china, inGerman), 'GDAP ist in der Cloud china nicht verfügbar. Wählen Sie global, usgov oder usgovdod.');
  });

  describe('Partner Center (src/core/partnerCenter/partnerCenterClient.ts)', () => {
    const TENANT = 'eebd1b55-5360-4438-a11d-5c06918c3014';
    const client = (): PartnerCenterClient =>
      new PartnerCenterClient({
        endpoints: emulatorEndpoints(server),
        tokens: new FakeTokens(),
        transport,
        clock: new VirtualClock(),
        retry: { random: () => 0.5 },
      });
    const customer = (allow: boolean): unknown => ({
      ...(exampleJson('partnercenter-get-a-customer-by-id.response.json') as object),
      allowDelegatedAccess: allow,
    });

    it('answers it cannot use read as before', async () => {
      checkError(
        thrown(() => joinPartnerCenterLink(`${server.origin}/partnercenter/v1`, 'https://elsewhere.example/v1/customers')),
        'Partner Center sent a next-page link to another host; it was not followed.',
      );
      server.handler = () => ({ status: 200, body: 'not json' });
      checkError(await rejection(client().getCustomer(TENANT)), 'Partner Center sent a customer that is not valid JSON.');
      checkError(await rejection(client().listCustomers()), 'Partner Center sent a customer page that is not valid JSON.');
      server.handler = () => ({ status: 200, body: { id: '' } });
      checkError(await rejection(client().getCustomer(TENANT)), 'Partner Center sent a customer in an unexpected shape.');
      server.handler = () => ({ status: 200, body: { items: 'none' } });
      checkError(await rejection(client().listCustomers()), 'Partner Center sent a customer page in an unexpected shape.');
      server.handler = () => ({ status: 200, body: { items: [], links: { next: { uri: '/v1/customers?size=500' } } } });
      checkError(await rejection(client().listCustomers()), 'Partner Center kept returning the same page of customers; stopped.');
      server.handler = () => ({ status: 404 });
    });

    it('DAP still shown after the PATCH: the value as a parameter', async () => {
      // The PATCH is answered and the customer read back still allows delegated access.
      server.handler = () => ({ status: 200, body: customer(true) });
      const code = checkError(
        await rejection(client().removeDap(TENANT)),
        'Partner Center accepted the request but the customer still shows delegated admin access (allowDelegatedAccess is true). Refresh later to check, then try again.',
      );
      assert.match(translated(code, inGerman), /^Partner Center hat die Anforderung angenommen.*allowDelegatedAccess ist true/);
      server.handler = () => ({ status: 404 });
    });
  });

  describe('Microsoft Graph (src/core/graph)', () => {
    const RELS = `/v1.0/tenantRelationships/delegatedAdminRelationships`;
    const client = (): GdapClient =>
      new GdapClient({
        endpoints: emulatorEndpoints(server),
        tokens: new FakeTokens(),
        transport,
        clock: new VirtualClock(),
        retry: { random: () => 0.5 },
      });

    it('a body it cannot use: what was sent is a nested message, translated too', async () => {
      server.handler = () => ({ status: 200, body: '' });
      checkError(await rejection(client().getRelationship('r1')), 'Microsoft Graph sent a relationship with an empty body.');
      server.handler = () => ({ status: 200, body: 'not json' });
      const code = checkError(
        await rejection(client().getRelationship('r1')),
        'Microsoft Graph sent a relationship that is not valid JSON.',
      );
      assert.deepEqual(code.nested?.[0], { template: 'a relationship', args: [] });
      assert.equal(translated(code, inGerman), 'Microsoft Graph hat eine Beziehung gesendet; der Inhalt ist kein gültiges JSON.');
      server.handler = () => ({ status: 404 });
    });

    it('an unexpected shape names the first problem as zod states it', () => {
      const schema = z.object({ id: z.string() });
      const issue = schema.safeParse({}).error?.issues[0];
      assert.ok(issue !== undefined);
      checkError(
        thrown(() => parseOrThrow(schema, {}, msg('a relationship'))),
        `Microsoft Graph sent a relationship in an unexpected shape (id: ${issue.message}).`,
      );
    });

    it('next links: another host and a loop', async () => {
      const host = 'elsewhere.example';
      server.handler = () => ({ status: 200, body: { value: [], '@odata.nextLink': `https://${host}${RELS}?$skiptoken=x` } });
      checkError(
        await rejection(client().listAllRelationships()),
        `Microsoft Graph sent a nextLink to another host (${host}); it was not followed.`,
      );
      server.handler = (req) => ({ status: 200, body: { value: [], '@odata.nextLink': `${server.origin}${req.url}` } });
      const loop = checkError(
        await rejection(client().listAllRelationships()),
        'Microsoft Graph kept returning more pages of relationships (nextLink loop); stopped.',
      );
      assert.equal(
        translated(loop, inGerman),
        'Microsoft Graph hat immer weitere Seiten für Beziehungen zurückgegeben (nextLink-Schleife); abgebrochen.',
      );
      server.handler = () => ({ status: 404 });
    });

    it('refused input: a status filter and a group search too short', async () => {
      checkError(
        await rejection(client().listAllRelationships({ status: 'not a status' })),
        'Unknown relationship status filter "not a status".',
      );
      const requester = { base: server.origin, getOne: () => Promise.reject(new Error('not called')) } as unknown as GraphRequester;
      checkError(
        await rejection(searchSecurityGroups(requester, 'a')),
        `Type at least ${GROUP_SEARCH_MIN_LENGTH} letters of the group name to search.`,
      );
    });
  });

  describe('sign-in (src/core/auth)', () => {
    const label = msg('Sign-in (device code)');

    it("msal's failures read as before, the flow's name translated", () => {
      checkError(
        toSignInError({ errorCode: 'invalid_grant', subError: 'bad_token', errorMessage: 'AADSTS70000: The grant is invalid.' }, label),
        'Sign-in (device code) failed (invalid_grant/bad_token): AADSTS70000: The grant is invalid.',
      );
      const plain = checkError(toSignInError(new Error('socket hang up'), label), 'Sign-in (device code) failed: socket hang up');
      assert.equal(translated(plain, inGerman), 'Anmeldung (Gerätecode) fehlgeschlagen: socket hang up');
      const cancelled = toSignInError({ errorCode: 'user_cancelled' }, label);
      checkError(cancelled, 'Sign-in (device code) was cancelled.');
      assert.equal(cancelled.kind, 'cancelled');
    });

    it("another error's code is nested, its text kept when it has none", () => {
      const inner = gdapErrorOf(
        'network',
        msg('Could not reach {0} ({1}). Check the network connection and try again.', 'h', 'ECONNRESET'),
      );
      const code = checkError(
        toSignInError(inner, label),
        'Sign-in (device code) failed: Could not reach h (ECONNRESET). Check the network connection and try again.',
      );
      assert.equal(
        translated(code, inGerman),
        'Anmeldung (Gerätecode) fehlgeschlagen: h ist nicht erreichbar (ECONNRESET). Überprüfen Sie die Netzwerkverbindung und versuchen Sie es erneut.',
      );
      const uncoded = new GdapError({ kind: 'server', message: 'Service text.' });
      assert.equal(innerMessage(uncoded), 'Service text.');
      const wrapped = checkError(toSignInError(uncoded, label), 'Sign-in (device code) failed: Service text.');
      assert.deepEqual(wrapped.nested, [label, null], 'the flow is nested, a plain text stays a plain argument');
    });

    it("the emulator's sign-in endpoint: a bad tenant and an endpoint that does not answer", async () => {
      checkError(
        await rejection(resolveMsalAuthority(CLOSED, 'not a tenant!', transport)),
        '"not a tenant!" is not a tenant id or domain name.',
      );
      const closed = createHttpTransport({ endpoints: CLOSED });
      try {
        const code = checkError(
          await rejection(resolveMsalAuthority(CLOSED, 'contoso.onmicrosoft.com', closed)),
          "Could not reach the emulator's sign-in endpoint: Could not reach 127.0.0.1:1 (ECONNREFUSED). Check the network connection and try again.",
        );
        assert.equal(code.nested?.[0]?.template, 'Could not reach {0} ({1}). Check the network connection and try again.');
      } finally {
        closed.close();
      }
    });
  });

  it('every template of these files has its de/fr/ja translation', () => {
    const files = [
      'src/core/http/transport.ts',
      'src/core/http/clouds.ts',
      'src/core/partnerCenter/partnerCenterClient.ts',
      ...[
        'graphPipeline',
        'graphRequester',
        'graphPager',
        'longRunning',
        'gdapClient',
        'normalise',
        'batchReads',
        'groupsClient',
        'groupSearch',
        'roleDefinitionsClient',
        'groupMembers',
      ].map((f) => `src/core/graph/${f}.ts`),
      ...['signInError', 'msalConfig', 'msalUserSession', 'msalNetworkClient', 'deviceCodeTokenProvider', 'interactiveTokenProvider'].map(
        (f) => `src/core/auth/${f}.ts`,
      ),
    ];
    let count = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const template of findCoreMessagesInText(file, text)) {
        count++;
        for (const [lang, bundle] of bundles) {
          assert.equal(typeof bundle[template], 'string', `${lang} has ${JSON.stringify(template)} (${file})`);
        }
      }
      if (!file.endsWith('interactiveTokenProvider.ts')) {
        // Only a wrapped foreign value (batchReads: whatever a page reader threw) may still be a plain GdapError here.
        const plain = [...text.matchAll(/new GdapError\(\{[^}]*message: (?!String\(e\))/g)];
        assert.deepEqual(plain, [], `${file} builds no GdapError from a plain English string`);
      }
    }
    assert.ok(count >= 70, `templates found: ${count}`);
  });
});
