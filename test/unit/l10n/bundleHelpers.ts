import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Translate } from '../../../src/core/actions/confirmations';
import { english, type Message } from '../../../src/core/messages';

/*
 * The real translation bundles for tests of core texts that are codes with parameters: every template has
 * its de/fr/ja entry, and a fake `vscode.l10n.t` over the German bundle renders them as the extension does.
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>;

export const bundles = (['de', 'fr', 'ja'] as const).map((lang) => [lang, read(lang)] as const);
export const german = read('de');

/** A fake `vscode.l10n.t` that reads the German bundle and fills placeholders as VS Code does. */
export const inGerman: Translate = (template, ...args) =>
  (german[template] ?? `<untranslated: ${template}>`).replace(/\{(\d+)\}/g, (whole, i: string) =>
    args[Number(i)] !== undefined ? String(args[Number(i)]) : whole,
  );

/** The message reads `golden` in English, and it and every message nested in it have a translation in every language. */
export function checkMessage(golden: string, message: Message | undefined): Message {
  assert.ok(message !== undefined, `a message for ${golden}`);
  assert.equal(english(message), golden);
  const templates = (m: Message): string[] => [m.template, ...(m.nested ?? []).flatMap((n) => (n === null ? [] : templates(n)))];
  for (const template of templates(message)) {
    for (const [lang, bundle] of bundles) {
      assert.equal(typeof bundle[template], 'string', `${lang} has ${JSON.stringify(template)}`);
    }
  }
  return message;
}
