import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { diagnoseSignIn, formatSignInReport, reportText, type Finding, type SignInFacts } from '../../../src/core/auth/signInDiagnosis';
import { english, type Message } from '../../../src/core/messages';

/*
 * The Check Sign-In report in the display language: every finding carries its texts as codes, the
 * English of the codes is exactly the finding's title, detail and fix (what the log and the tests read),
 * and each code has a translation, so the extension can render the whole report in German, French or
 * Japanese. Errors from elsewhere (an Entra message) stay as they came.
 */

const bundle = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>;

const CLIENT = '0a1b2c3d-0000-4000-8000-00000000abcd';
const GRAPH = { scopes: ['DelegatedAdminRelationship.ReadWrite.All'], amr: ['pwd', 'mfa'] };
const base: SignInFacts = { clientId: CLIENT, tenantId: 'contoso.onmicrosoft.com', method: 'vscode', signedIn: true, graphToken: GRAPH };

/** Facts that between them raise every finding. */
const CASES: SignInFacts[] = [
  { ...base, customerCount: 1, partnerCenterToken: GRAPH },
  { ...base, customerCount: 3, partnerCenterToken: GRAPH },
  { ...base, signedIn: false, graphToken: undefined },
  { ...base, clientId: '', tenantId: '', signedIn: false, graphToken: undefined },
  { ...base, clientId: 'My app', tenantId: 'not a tenant!', signedIn: false, graphToken: undefined },
  { ...base, graphToken: { scopes: [] }, customerCount: 0, partnerCenterToken: { scopes: [], amr: ['pwd'] } },
  { ...base, graphToken: { scopes: ['User.Read'] }, partnerCenterError: { message: 'MFA required by Partner Center' } },
  { ...base, partnerCenterError: { message: 'Something else' }, listError: { message: 'HTTP 500' } },
  ...[7000218, 65001, 700016, 50011, 50076, 53003, 50020].flatMap((code) =>
    (['vscode', 'deviceCode'] as const).map((method): SignInFacts => ({
      ...base,
      method,
      readOnly: true,
      signedIn: false,
      graphToken: undefined,
      graphError: { message: `AADSTS${code}: refused.` },
    })),
  ),
];

const codesOf = (f: Finding): Message[] =>
  [f.codes.title, ...f.codes.detail, ...(f.codes.fix ?? [])].filter((p): p is Message => typeof p !== 'string');

describe('Check Sign-In report in the display language', () => {
  const findings = CASES.flatMap((facts) => diagnoseSignIn(facts));

  it('the cases raise every kind of finding', () => {
    assert.deepEqual([...new Set(findings.map((f) => f.id))].sort(), [
      'allGood',
      'appNotFound',
      'clientIdMissing',
      'clientIdNotGuid',
      'conditionalAccess',
      'consentMissing',
      'graphScopeMissing',
      'listFailed',
      'mfaRequired',
      'notAdminAgent',
      'notSignedIn',
      'partnerCenterFailed',
      'partnerCenterMfaMissing',
      'publicClientFlowsOff',
      'redirectUriMismatch',
      'tenantInvalid',
      'tenantNotSet',
      'userNotInTenant',
    ]);
  });

  it('the English of the codes is the finding as the log and the CLI read it', () => {
    for (const f of findings) {
      assert.equal(english(f.codes.title), f.title);
      assert.equal(reportText(f.codes.detail), f.detail);
      assert.equal(f.codes.fix === undefined ? undefined : reportText(f.codes.fix), f.fix);
    }
  });

  it('every code has a German, French and Japanese translation; the report renders through it', () => {
    for (const lang of ['de', 'fr', 'ja']) {
      const b = bundle(lang);
      for (const m of findings.flatMap(codesOf)) {
        assert.ok(b[m.template] !== undefined, `${lang}: "${m.template}"`);
        assert.ok(m.template === '({0})' || b[m.template] !== m.template, `${lang} is translated: "${m.template}"`);
      }
    }
    const de = bundle('de');
    const german = (m: Message): string => english({ template: de[m.template] ?? m.template, args: m.args });
    const report = formatSignInReport(
      diagnoseSignIn({ ...base, signedIn: false, graphToken: undefined, graphError: { message: 'AADSTS53003: blocked.' } }),
      {
        heading: de['GDAP Explorer: sign-in check'],
        fix: de['Fix:'],
        translate: german,
      },
    );
    assert.match(report, /^# GDAP Explorer: Anmeldeprüfung/);
    assert.match(report, /## ✖ Durch bedingten Zugriff blockiert/);
    assert.match(report, /\(AADSTS53003: blocked\.\)/, "Entra's own message is kept");
    assert.match(report, /\*\*Lösung:\*\* Fragen Sie Ihren Entra-Administrator/);
    assert.doesNotMatch(report, /Blocked by Conditional Access|Fix:/);
  });
});
