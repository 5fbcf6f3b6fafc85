// Dates, counts and durations in the display language. Pure (the locale is a parameter) so that unit tests
// can run it without VS Code; callers pass `vscode.env.language` through `displayLocale()` in presentation.

/** Formatters are cached per locale: `Intl` construction is slow and the tree renders many items. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** A BCP 47 tag `Intl` accepts; VS Code's language ids ("de", "zh-cn", "qps-ploc") mostly are, else English. */
export function safeLocale(language: string | undefined): string {
  if (language === undefined || language === '') {
    return 'en';
  }
  try {
    return Intl.getCanonicalLocales(language)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

function cached<T>(map: Map<string, T>, locale: string, make: (l: string) => T): T {
  let f = map.get(locale);
  if (f === undefined) {
    f = make(locale);
    map.set(locale, f);
  }
  return f;
}

/**
 * A calendar date in UTC ("3 Mar 2026", "03.03.2026", "2026/03/03"): the API's dates are UTC instants, and
 * relationship ends fall on UTC day boundaries, so local time could show the day before. Tooltips say "UTC".
 */
export function formatUtcDate(value: string | null | undefined, locale: string): string | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    return undefined;
  }
  const format = cached(dateFormats, locale, (l) => new Intl.DateTimeFormat(l, { dateStyle: 'medium', timeZone: 'UTC' }));
  return format.format(new Date(ms));
}

/** A count with the locale's grouping ("1,234", "1.234", "1 234"). */
export function formatCount(n: number, locale: string): string {
  return cached(numberFormats, locale, (l) => new Intl.NumberFormat(l, { maximumFractionDigits: 0 })).format(n);
}

/** "5 minutes ago" / "vor 5 Minuten" / "5 分前". */
export function formatMinutesAgo(minutes: number, locale: string): string {
  return cached(relativeFormats, locale, (l) => new Intl.RelativeTimeFormat(l, { numeric: 'auto' })).format(-minutes, 'minute');
}

/** Whole days of an ISO 8601 duration such as "P730D" or "P2Y" (the API sends days); null when not whole days. */
export function isoDurationDays(duration: string): number | null {
  const m = /^P(\d+)D$/.exec(duration.trim());
  return m === null ? null : Number(m[1]);
}
