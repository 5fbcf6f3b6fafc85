import { strict as assert } from 'node:assert';
import { createDeviceCodeTokenProvider } from '../../../../src/core/auth/deviceCodeTokenProvider';
import { createInteractiveTokenProvider } from '../../../../src/core/auth/interactiveTokenProvider';
import type { TokenAudience, TokenProvider } from '../../../../src/core/auth/tokenProvider';
import { claimsAskForMfa, parseBearerParams, parseClaimsChallenge } from '../../../../src/core/http/claimsChallenge';
import { resolveEndpoints, type ServiceEndpoints } from '../../../../src/core/http/clouds';
import { claimsChallengeOf, type ClaimsChallenge, type GdapError } from '../../../../src/core/http/gdapError';
import { createHttpTransport, type HttpTransport } from '../../../../src/core/http/transport';
import { PartnerCenterClient } from '../../../../src/core/partnerCenter/partnerCenterClient';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/server';
import { MFA_CLAIMS } from '../../../../src/emulator/tokens';
import { emulatorBrowser, type BrowserVisit } from '../../auth/emulatorBrowser';

const MFA_JSON = JSON.stringify(MFA_CLAIMS);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function amr(token: string): unknown {
  return (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { amr?: unknown }).amr;
}

describe('Partner Center MFA claims challenge (docs/api-notes.md §15.6)', function () {
  this.timeout(20_000);

  describe('parsing WWW-Authenticate', () => {
    it('decodes the claims of an insufficient_claims challenge and says whether they ask for MFA', () => {
      const header = `Bearer realm="", authorization_uri="https://login.example/common/oauth2/authorize", error="insufficient_claims", claims="${b64(MFA_JSON)}"`;
      const c = parseClaimsChallenge(header);
      assert.ok(c !== undefined);
      assert.equal(c.claims, MFA_JSON);
      assert.equal(c.mfa, true);
      assert.equal(c.wwwAuthenticate, header);
    });

    it('accepts base64url and unquoted values; keys are case-insensitive', () => {
      const other = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
      const url = Buffer.from(other, 'utf8').toString('base64url');
      const c = parseClaimsChallenge(`bearer Error="insufficient_claims", CLAIMS=${url}`);
      assert.equal(c?.claims, other);
      assert.equal(c?.mfa, false);
      assert.deepEqual(parseBearerParams('Bearer a="x\\"y", b=z'), { a: 'x"y', b: 'z' });
    });

    it('is undefined for a 401 without a claims challenge, another scheme, or claims that are not JSON', () => {
      assert.equal(parseClaimsChallenge(undefined), undefined);
      assert.equal(parseClaimsChallenge('Bearer realm="", error="invalid_token"'), undefined);
      assert.equal(parseClaimsChallenge(`Basic realm="x", error="insufficient_claims", claims="${b64(MFA_JSON)}"`), undefined);
      assert.equal(parseClaimsChallenge(`Bearer error="insufficient_claims", claims="${b64('not json')}"`), undefined);
      assert.equal(claimsAskForMfa('{"access_token":{"amr":{"value":"mfa"}}}'), true);
      assert.equal(claimsAskForMfa('nope'), false);
    });
  });

  describe('against the emulator with --require-pc-mfa', () => {
    let emu: RunningEmulator;
    let endpoints: ServiceEndpoints;
    let transport: HttpTransport;
    let tenant: string;

    before(async () => {
      emu = await startEmulator({ port: 0, preset: 'demo', customers: 3, seed: 11, requirePcMfa: true });
      endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
      transport = createHttpTransport({ endpoints });
      tenant = [...emu.store.customers.values()].find((c) => c.allowDelegatedAccess)?.tenantId ?? '';
      assert.notEqual(tenant, '', 'the seed has a customer with DAP on');
    });
    after(async () => {
      transport.close();
      await emu.close();
    });

    const pcRequests = (): number => emu.requests().filter((r) => r.path.startsWith('/partnercenter/v1/customers')).length;

    it('a token without MFA: one request, an auth error carrying the decoded claims, no retry, the source told', async () => {
      const noted: { audience: TokenAudience; challenge: ClaimsChallenge }[] = [];
      const forced: boolean[] = [];
      const token = emu.issueToken({ audience: 'partnerCenter', kind: 'user' });
      assert.deepEqual(amr(token), ['pwd'], 'while MFA is required, a plain sign-in is password-only');
      const tokens: TokenProvider = {
        getToken: (_a, o) => {
          forced.push(o?.forceRefresh === true);
          return Promise.resolve(token);
        },
        getActor: () => Promise.resolve(undefined),
        noteClaimsChallenge: (audience, challenge) => noted.push({ audience, challenge }),
      };
      const client = new PartnerCenterClient({ endpoints, tokens, transport });
      const before = pcRequests();
      const error = await client.getCustomer(tenant).then(
        () => assert.fail('expected the MFA refusal'),
        (e: unknown) => e as GdapError,
      );
      assert.equal(pcRequests() - before, 1, 'sent once: a refreshed token would have the same claims');
      assert.deepEqual(forced, [false], 'no forced-refresh retry after a claims challenge');
      assert.equal(error.kind, 'auth');
      assert.equal(error.status, 401);
      assert.match(error.message, /^Partner Center requires multi-factor authentication for this call: sign in again with MFA/);
      const challenge = claimsChallengeOf(error);
      assert.equal(challenge?.claims, MFA_JSON);
      assert.equal(challenge?.mfa, true);
      assert.deepEqual(
        noted.map((n) => [n.audience, n.challenge.claims]),
        [['partnerCenter', MFA_JSON]],
      );
      // Kept out of anything that serialises the error.
      assert.ok(!JSON.stringify(error).includes(b64(MFA_JSON)) && !JSON.stringify(error).includes('values'));
      assert.ok(!error.message.includes('{'));

      const patchesBefore = emu.requests().filter((r) => r.method === 'PATCH').length;
      await assert.rejects(client.removeDap(tenant, { reconcileByReading: true }), (e: unknown) => claimsChallengeOf(e)?.mfa === true);
      assert.equal(emu.requests().filter((r) => r.method === 'PATCH').length - patchesBefore, 1, 'the PATCH is not re-sent');
      assert.equal(emu.store.customers.get(tenant)?.allowDelegatedAccess, true);
    });

    it('an ordinary 401 (expired token) still gets one forced-refresh retry', async () => {
      const forced: boolean[] = [];
      const tokens: TokenProvider = {
        getToken: (_a, o) => {
          forced.push(o?.forceRefresh === true);
          return Promise.resolve('not-a-token');
        },
        getActor: () => Promise.resolve(undefined),
      };
      const client = new PartnerCenterClient({ endpoints, tokens, transport });
      await assert.rejects(
        client.getCustomer(tenant),
        (e: unknown) => (e as GdapError).kind === 'auth' && claimsChallengeOf(e) === undefined,
      );
      assert.deepEqual(forced, [false, true]);
    });

    it('device code: the sign-in with the claims gets a token with mfa, and the refused call then works', async () => {
      const p = createDeviceCodeTokenProvider({
        endpoints,
        transport,
        tenant: emu.partnerTenantId,
        clientId: 'mfa-dc',
        onDeviceCode: () => undefined,
      });
      const client = new PartnerCenterClient({ endpoints, tokens: p, transport });
      const challenge = await client.getCustomer(tenant).then(
        () => assert.fail('expected the MFA refusal'),
        (e: unknown) => claimsChallengeOf(e),
      );
      assert.ok(challenge !== undefined);
      await p.signIn(undefined, { audience: 'partnerCenter', claims: challenge.claims });
      assert.deepEqual(amr(await p.getToken('partnerCenter')), ['pwd', 'mfa']);
      assert.equal((await client.getCustomer(tenant)).tenantId, tenant);
    });

    it('browser: the claims travel on the authorize URL and the code redemption; the token has mfa', async () => {
      const visits: BrowserVisit[] = [];
      const p = createInteractiveTokenProvider({
        endpoints,
        transport,
        tenant: emu.partnerTenantId,
        clientId: 'mfa-browser',
        openBrowser: emulatorBrowser(emu.caPem, visits),
      });
      await p.signIn();
      assert.deepEqual(amr(await p.getToken('partnerCenter')), ['pwd']);
      await p.signIn(undefined, { audience: 'partnerCenter', claims: MFA_JSON });
      assert.equal(visits.length, 2);
      assert.ok((new URL(visits[1].authorizeUrl).searchParams.get('claims') ?? '').includes('"mfa"'));
      assert.deepEqual(amr(await p.getToken('partnerCenter')), ['pwd', 'mfa'], 'the cached Partner Center token is the new one');
      const client = new PartnerCenterClient({ endpoints, tokens: p, transport });
      assert.equal((await client.getCustomer(tenant)).allowDelegatedAccess, true);
    });
  });
});
