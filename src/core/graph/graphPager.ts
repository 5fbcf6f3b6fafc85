import { GdapError } from '../http/gdapError';
import type { GraphRequester } from './graphRequester';
import { parseCollection } from './normalise';

/** Graph collections are documented at ≤ 300 items per page (docs/api-notes.md §3.1). */
export const MAX_PAGE_SIZE = 300;
const MAX_PAGES = 100_000;

/** Clamps a requested page size to 1…300. */
export function pageSizeOf(requested: number | undefined, fallback = MAX_PAGE_SIZE): number {
  return Math.max(1, Math.min(MAX_PAGE_SIZE, requested ?? fallback));
}

/**
 * Reads Graph collections: `$top`, `@odata.nextLink` followed verbatim (docs/api-notes.md §5) and
 * kept on the Graph origin, each page validated as a collection and each item by its normaliser.
 * Chains are sequential by nature; a nextLink loop ends with kind `invalidResponse`.
 */
export class GraphPager {
  constructor(
    private readonly requester: GraphRequester,
    readonly pageSize: number,
  ) {}

  /** `url?$top=<pageSize>&extra…`. */
  withTop(url: string, extra: readonly string[] = []): string {
    return `${url}?${[`$top=${this.pageSize}`, ...extra].join('&')}`;
  }

  async *pages<T>(firstUrl: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): AsyncGenerator<T> {
    let url: string | undefined = firstUrl;
    const seen = new Set<string>();
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES || seen.has(url)) {
        throw new GdapError({
          kind: 'invalidResponse',
          message: `Microsoft Graph kept returning more pages of ${what} (nextLink loop); stopped.`,
        });
      }
      seen.add(url);
      const response = await this.requester.call('GET', url, { signal, expect: [200] });
      const parsed = parseCollection(this.requester.json(response, what), what);
      // The whole page is validated before any item is handed on.
      const items = parsed.value.map(normalise);
      for (const item of items) {
        yield item;
      }
      const next = parsed['@odata.nextLink'];
      url = next === undefined ? undefined : this.requester.checkServiceUrl(next, 'nextLink');
    }
  }

  async collect<T>(firstUrl: string, what: string, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.pages(firstUrl, what, normalise, signal)) {
      out.push(item);
    }
    return out;
  }
}
