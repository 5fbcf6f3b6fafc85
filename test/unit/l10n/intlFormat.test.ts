import assert from 'node:assert/strict';
import { formatCount, formatMinutesAgo, formatUtcDate, isoDurationDays, safeLocale } from '../../../src/extension/ui/intlFormat';

describe('Intl formatting in the display language (src/extension/ui/intlFormat.ts)', () => {
  it('dates follow the language, not a fixed locale', () => {
    assert.equal(formatUtcDate('2026-03-03T10:00:00Z', 'de'), '03.03.2026');
    assert.equal(formatUtcDate('2026-03-03T10:00:00Z', 'ja'), '2026/03/03');
    assert.equal(formatUtcDate('2026-03-03T10:00:00Z', 'en'), 'Mar 3, 2026');
    assert.match(formatUtcDate('2026-03-03T10:00:00Z', 'fr') ?? '', /^3 mars 2026$/);
  });

  it('dates are the UTC day whatever the machine time zone', () => {
    assert.equal(formatUtcDate('2026-03-03T23:59:59Z', 'de'), '03.03.2026');
    assert.equal(formatUtcDate('2026-03-04T00:00:00Z', 'de'), '04.03.2026');
  });

  it('an absent or unreadable date gives undefined', () => {
    assert.equal(formatUtcDate(null, 'de'), undefined);
    assert.equal(formatUtcDate('', 'de'), undefined);
    assert.equal(formatUtcDate('soon', 'de'), undefined);
  });

  it('counts use the language grouping', () => {
    assert.equal(formatCount(1234, 'de'), '1.234');
    assert.equal(formatCount(1234, 'en'), '1,234');
    assert.equal(formatCount(7, 'ja'), '7');
  });

  it('relative minutes', () => {
    assert.equal(formatMinutesAgo(5, 'de'), 'vor 5 Minuten');
    assert.equal(formatMinutesAgo(5, 'en'), '5 minutes ago');
    assert.equal(formatMinutesAgo(5, 'ja'), '5 分前');
  });

  it('VS Code language ids become Intl locales; unusable ones fall back to English', () => {
    assert.equal(safeLocale('zh-cn'), 'zh-CN');
    assert.equal(safeLocale('de'), 'de');
    assert.equal(safeLocale(undefined), 'en');
    assert.equal(safeLocale('not a locale'), 'en');
  });

  it('ISO durations in whole days', () => {
    assert.equal(isoDurationDays('P730D'), 730);
    assert.equal(isoDurationDays('P1D'), 1);
    assert.equal(isoDurationDays('P2Y'), null);
    assert.equal(isoDurationDays('PT5H'), null);
  });
});
