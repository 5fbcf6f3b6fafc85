// The access doctor's findings rendered through vscode.l10n.t in the extension host (English here): every
// message of every code reaches the bundle with its placeholders filled exactly as the CLI's English.
import * as assert from 'node:assert/strict';
import { findingEnglish } from '../../src/core/insight/findingMessages';
import { findingText } from '../../src/extension/access/findingText';
import { samples } from '../unit/insight/findingSamples';

describe('Finding text through vscode.l10n', () => {
  it('each finding code reads in the display language exactly as its English message (English host)', () => {
    const all = samples();
    assert.ok(all.length >= 40, `every branch is sampled (${all.length})`);
    for (const f of all) {
      const shown = findingText(f);
      assert.equal(shown, findingEnglish(f), f.code);
      assert.doesNotMatch(shown, /\{\d+\}/, `${f.code}: every placeholder filled`);
    }
  });
});
