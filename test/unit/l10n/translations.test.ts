import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCoreMessages, findL10nCalls } from '../../../scripts/l10nCheck';

const ROOT = join(__dirname, '..', '..', '..');
const LANGUAGES = ['de', 'fr', 'ja'] as const;

function readJson(path: string): Record<string, string> {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Record<string, string>;
}

/** `{0}`, `{1}`, `{name}` … sorted, with repeats: a translation must keep each exactly as often. */
function placeholders(text: string): string[] {
  return (text.match(/\{[A-Za-z0-9_]+\}/g) ?? []).sort();
}

/** Command links in walkthrough and welcome texts: a translation changes the words, never the target. */
function commandLinks(text: string): string[] {
  return (text.match(/\]\(command:[^)]*\)/g) ?? []).sort();
}

/** Settings and identifiers in backticks must survive translation verbatim. */
function codeSpans(text: string): string[] {
  return (text.match(/`[^`]+`/g) ?? []).sort();
}

function checkTranslation(english: Record<string, string>, translated: Record<string, string>, file: string): void {
  assert.deepEqual(Object.keys(translated).sort(), Object.keys(english).sort(), `${file} has exactly the English keys`);
  for (const [key, source] of Object.entries(english)) {
    const target = translated[key];
    assert.equal(typeof target, 'string', `${file}: ${key}`);
    assert.notEqual(target.trim(), '', `${file}: ${JSON.stringify(key)} is translated`);
    assert.deepEqual(placeholders(target), placeholders(source), `${file}: placeholders of ${JSON.stringify(key)}`);
    assert.deepEqual(commandLinks(target), commandLinks(source), `${file}: command links of ${JSON.stringify(key)}`);
    assert.deepEqual(codeSpans(target), codeSpans(source), `${file}: code spans of ${JSON.stringify(key)}`);
  }
}

describe('translations (l10n/ and package.nls.*.json)', () => {
  const bundle = readJson('l10n/bundle.l10n.json');
  const nls = readJson('package.nls.json');

  it('the English bundle holds exactly the messages of the extension and of core (run `npm run l10n` after changing one)', () => {
    const calls = findL10nCalls(join(ROOT, 'src', 'extension'));
    assert.ok(!calls.some((c) => c.message === undefined), 'every l10n.t call passes a literal message');
    // Core's reasons and confirmation texts reach the extension as templates (src/core/messages.ts).
    const messages = new Set([...calls.map((c) => c.message), ...findCoreMessages(join(ROOT, 'src', 'core'))]);
    assert.deepEqual([...messages].sort(), Object.keys(bundle).sort());
    for (const [key, value] of Object.entries(bundle)) {
      assert.equal(value, key, 'the English bundle maps each message to itself');
    }
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: every message of the extension, with the same placeholders`, () => {
      checkTranslation(bundle, readJson(`l10n/bundle.l10n.${lang}.json`), `bundle.l10n.${lang}.json`);
    });

    it(`${lang}: every string of the manifest, with the same placeholders, links and code`, () => {
      checkTranslation(nls, readJson(`package.nls.${lang}.json`), `package.nls.${lang}.json`);
    });
  }

  it('the placeholder check itself tells a dropped or extra placeholder apart', () => {
    assert.throws(() => checkTranslation({ 'a {0} b {1}': 'a {0} b {1}' }, { 'a {0} b {1}': 'a {0} b' }, 'x'));
    assert.throws(() => checkTranslation({ 'a {0}': 'a {0}' }, { 'a {0}': 'a {0} {1}' }, 'x'));
    assert.throws(() => checkTranslation({ 'a {name}': 'a {name}' }, { 'a {name}': 'a {nom}' }, 'x'));
    assert.throws(() => checkTranslation({ a: 'a', b: 'b' }, { a: 'A' }, 'x'));
    checkTranslation({ 'a {1} b {0}': 'a {1} b {0}' }, { 'a {1} b {0}': '{0} B {1} A' }, 'x');
  });

  it('the manifest names the bundle folder, and every %key% it uses is in package.nls.json', () => {
    const manifest = readFileSync(join(ROOT, 'package.json'), 'utf8');
    assert.equal((JSON.parse(manifest) as { l10n?: string }).l10n, './l10n');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    for (const key of used) {
      assert.ok(Object.hasOwn(nls, key), `package.nls.json has ${key}`);
    }
  });

  it('the translations use Microsoft terminology for the key terms', () => {
    const de = readJson('l10n/bundle.l10n.de.json');
    const fr = readJson('l10n/bundle.l10n.fr.json');
    const ja = readJson('l10n/bundle.l10n.ja.json');
    assert.equal(de['Global Administrator'], 'Globaler Administrator');
    assert.equal(fr['Global Administrator'], 'Administrateur général');
    assert.equal(ja['Global Administrator'], 'グローバル管理者');
    assert.match(de['No GDAP relationships found.'], /Beziehungen/);
    assert.match(fr['No GDAP relationships found.'], /relation/);
    assert.match(ja['No GDAP relationships found.'], /リレーションシップ/);
  });
});
