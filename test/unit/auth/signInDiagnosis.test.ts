import * as assert from 'node:assert/strict';
import {
  aadstsCodes,
  diagnoseSignIn,
  formatSignInReport,
  type Finding,
  type SignInFacts,
  tokenFacts,
} from '../../../src/core/auth/signInDiagnosis';

const CLIENT = '0a1b2c3d-0000-4000-8000-00000000abcd';
const TENANT = 'contoso.onmicrosoft.com';
const GRAPH = { scopes: ['DelegatedAdminRelationship.ReadWrite.All'], amr: ['pwd', 'mfa'] };
const PC = { scopes: ['user_impersonation'], amr: ['pwd', 'mfa'] };

function good(over: Partial<SignInFacts> = {}): SignInFacts {
  return {
    clientId: CLIENT,
    tenantId: TENANT,
    method: 'vscode',
    signedIn: true,
    graphToken: GRAPH,
    partnerCenterToken: PC,
    customerCount: 3,
    ...over,
  };
}

function ids(findings: Finding[]): string[] {
  return findings.map((f) => f.id);
}

function jwt(claims: Record<string, unknown>): string {
  return `eyJhbGciOiJub25lIn0.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
}

describe('sign-in diagnosis (pure rules)', () => {
  it('a working sign-in is one "ok" finding that says how many customers came back', () => {
    const f = diagnoseSignIn(good());
    assert.deepEqual(ids(f), ['allGood']);
    assert.equal(f[0].severity, 'ok');
    assert.match(f[0].detail, /3 GDAP customers/);
  });

  it('client id missing, or not a GUID: an error with where to find the id', () => {
    const missing = diagnoseSignIn(good({ clientId: '', signedIn: false, graphToken: undefined, customerCount: undefined }));
    assert.deepEqual(ids(missing), ['clientIdMissing']);
    assert.match(missing[0].fix ?? '', /gdap\.auth\.clientId/);
    const name = diagnoseSignIn(good({ clientId: 'My GDAP app', signedIn: false }));
    assert.equal(name[0].id, 'clientIdNotGuid');
    assert.match(name[0].fix ?? '', /Application \(client\) ID/);
    assert.ok(!ids(name).includes('notSignedIn'), 'no "sign in" advice while the configuration cannot work');
  });

  it('tenant: empty is a hint, garbage is an error', () => {
    assert.deepEqual(ids(diagnoseSignIn(good({ tenantId: '' }))), ['tenantNotSet', 'allGood'], 'a hint does not hide that it works');
    assert.equal(diagnoseSignIn(good({ tenantId: 'not a tenant!' }))[0].id, 'tenantInvalid');
    assert.deepEqual(ids(diagnoseSignIn(good({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' }))), ['allGood']);
  });

  it('AADSTS65001 and friends: the app is not consented, fix names API permissions and admin consent', () => {
    for (const message of [
      "AADSTS65001: The user or administrator has not consented to use the application with ID '…'.",
      'AADSTS90094: The grant requires admin permission.',
      'AADSTS650057: Invalid resource. The client has requested access to a resource which is not listed in the requested permissions.',
    ]) {
      const f = diagnoseSignIn(good({ signedIn: false, graphError: { message }, graphToken: undefined, customerCount: undefined }));
      assert.equal(f[0].id, 'consentMissing', message);
      assert.match(f[0].fix ?? '', /Grant admin consent/);
    }
    const byName = diagnoseSignIn(good({ signedIn: false, graphError: { message: 'consent needed', code: 'consent_required' } }));
    assert.equal(byName[0].id, 'consentMissing');
  });

  it('AADSTS7000218 (device code): public client flows are off', () => {
    const f = diagnoseSignIn(
      good({
        method: 'deviceCode',
        signedIn: false,
        graphError: {
          message: "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        },
      }),
    );
    assert.equal(f[0].id, 'publicClientFlowsOff');
    assert.match(f[0].fix ?? '', /Allow public client flows/);
  });

  it('other Entra refusals map to their cause: app not found, redirect URI, MFA, Conditional Access, wrong tenant', () => {
    const cases: [string, string][] = [
      ['AADSTS700016: Application with identifier was not found in the directory', 'appNotFound'],
      ['AADSTS50011: The redirect URI specified in the request does not match', 'redirectUriMismatch'],
      ['AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication', 'mfaRequired'],
      ['AADSTS53003: Access has been blocked by Conditional Access policies.', 'conditionalAccess'],
      ['AADSTS50020: User account from identity provider does not exist in tenant', 'userNotInTenant'],
    ];
    for (const [message, id] of cases) {
      assert.equal(diagnoseSignIn(good({ signedIn: false, graphError: { message } }))[0].id, id, message);
    }
    const ca = diagnoseSignIn(good({ method: 'deviceCode', signedIn: false, graphError: { message: 'AADSTS53003: blocked' } }));
    assert.match(ca[0].fix ?? '', /useDeviceCode/);
  });

  it('an unknown failure is reported with its own message and the log as the fix', () => {
    const f = diagnoseSignIn(good({ signedIn: false, graphError: { message: 'AADSTS12345: something new' } }));
    assert.equal(f[0].id, 'signInFailed');
    assert.match(f[0].detail, /something new/);
    assert.match(f[0].fix ?? '', /Show Log/);
  });

  it('empty lists: the user is probably outside Admin Agents', () => {
    const f = diagnoseSignIn(good({ customerCount: 0 }));
    assert.deepEqual(ids(f), ['notAdminAgent']);
    assert.match(f[0].fix ?? '', /Admin Agents/);
  });

  it('Partner Center token without an MFA claim, or a refusal naming MFA: sign in again with MFA', () => {
    const noMfa = diagnoseSignIn(good({ partnerCenterToken: { scopes: ['user_impersonation'], amr: ['pwd'] } }));
    assert.deepEqual(ids(noMfa), ['partnerCenterMfaMissing']);
    assert.match(noMfa[0].fix ?? '', /multi-factor/);
    const refused = diagnoseSignIn(
      good({
        partnerCenterToken: undefined,
        partnerCenterError: { message: 'Partner Center: MFA is required for this request.', status: 401 },
      }),
    );
    assert.deepEqual(ids(refused), ['partnerCenterMfaMissing']);
    const consent = diagnoseSignIn(good({ partnerCenterToken: undefined, partnerCenterError: { message: 'AADSTS65001: not consented' } }));
    assert.deepEqual(ids(consent), ['consentMissing']);
  });

  it('an unanswered Partner Center claims challenge (MFA): reported even with an MFA token, with the Sign In with MFA fix', () => {
    const out = diagnoseSignIn(
      good({ partnerCenterToken: { scopes: ['user_impersonation'], amr: ['pwd', 'mfa'] }, partnerCenterMfaChallenge: true }),
    );
    assert.deepEqual(ids(out), ['partnerCenterMfaMissing']);
    assert.match(out[0].detail, /claims challenge asking for MFA \(HTTP 401, insufficient_claims\)/);
    assert.match(out[0].fix ?? '', /Sign In with MFA/);
    assert.deepEqual(ids(diagnoseSignIn(good({ partnerCenterMfaChallenge: false }))), ['allGood']);
  });

  it('a Graph token without a GDAP permission is an error; not signed in is a warning to sign in', () => {
    assert.deepEqual(ids(diagnoseSignIn(good({ graphToken: { scopes: ['User.Read'] } }))), ['graphScopeMissing']);
    const out = diagnoseSignIn(good({ signedIn: false, graphToken: undefined, partnerCenterToken: undefined, customerCount: undefined }));
    assert.deepEqual(ids(out), ['notSignedIn']);
  });

  it('the emulator needs no app registration', () => {
    assert.deepEqual(ids(diagnoseSignIn(good({ method: 'emulator', clientId: '', tenantId: '' }))), ['allGood']);
  });

  it('worst first, and the report is Markdown with every fix', () => {
    const f = diagnoseSignIn(good({ tenantId: '', customerCount: 0, graphToken: { scopes: [] } }));
    assert.deepEqual(
      f.map((x) => x.severity),
      ['error', 'warning', 'info'],
    );
    const md = formatSignInReport(f);
    assert.match(md, /^# GDAP Explorer: sign-in check/);
    for (const x of f) {
      assert.ok(md.includes(x.title) && md.includes(x.fix ?? ''), x.id);
    }
  });

  it('reads scp, amr and aud from a JWT, and nothing from anything else', () => {
    assert.deepEqual(tokenFacts(jwt({ scp: 'A B', amr: ['pwd', 'mfa'], aud: 'x' })), {
      scopes: ['A', 'B'],
      amr: ['pwd', 'mfa'],
      audience: 'x',
    });
    assert.equal(tokenFacts('opaque'), undefined);
    assert.equal(tokenFacts('a.b.c'), undefined);
    assert.deepEqual(aadstsCodes('AADSTS65001: x; inner AADSTS7000218'), [65001, 7000218]);
  });
});
