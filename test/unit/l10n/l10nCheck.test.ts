import assert from 'node:assert/strict';
import { checkL10nCalls, findCoreMessagesInText, findL10nCallsInText } from '../../../scripts/l10nCheck';

describe('l10n check (scripts/l10nCheck.ts)', () => {
  const source = [
    "import * as vscode from 'vscode';",
    "const a = vscode.l10n.t('Sign In');",
    'const b = vscode.l10n.t(`Retry`);',
    'const label = pick();',
    'const c = vscode.l10n.t(label);',
    "const d = l10n.t('Hello {0}', name);",
    "const e = other.t('not l10n');",
  ].join('\n');

  it('finds literal and computed messages, with their lines', () => {
    const calls = findL10nCallsInText('x.ts', source);
    assert.deepEqual(
      calls.map((c) => [c.line, c.message]),
      [
        [2, 'Sign In'],
        [3, 'Retry'],
        [5, undefined],
        [6, 'Hello {0}'],
      ],
    );
  });

  it('reports a computed message and a message missing from the bundle, nothing else', () => {
    const calls = findL10nCallsInText('x.ts', source);
    const findings = checkL10nCalls(calls, { 'Sign In': 'Sign In', Retry: 'Retry' });
    assert.equal(findings.length, 2);
    assert.equal(findings[0].line, 5);
    assert.match(findings[0].problem, /literal message/);
    assert.equal(findings[1].line, 6);
    assert.match(findings[1].problem, /missing from l10n\/bundle\.l10n\.json: "Hello \{0\}"/);
    assert.deepEqual(
      checkL10nCalls(
        calls.filter((c) => c.line !== 5),
        { 'Sign In': '', Retry: '', 'Hello {0}': '' },
      ),
      [],
    );
  });

  it('skips the one marked bridge call, and collects core templates from msg() and t()', () => {
    const bridge = ['// l10n-bridge: messages from src/core', 'export const tr = (m, ...a) => vscode.l10n.t(m, ...a);'].join('\n');
    assert.deepEqual(findL10nCallsInText('x.ts', bridge), []);
    const core = [
      'const a = msg(\'Already removed ("{0}").\', status);',
      "const b = t('Roles that end: {0}', roles);",
      'const c = t(p.template, ...p.args);',
      "const d = other('not collected');",
    ].join('\n');
    assert.deepEqual(findCoreMessagesInText('y.ts', core), ['Already removed ("{0}").', 'Roles that end: {0}']);
  });
});
