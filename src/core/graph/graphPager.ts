import { gdapErrorOf } from '../http/gdapError';
import type { HttpResponse } from '../http/transport';
import { msg, type Message } from '../messages';
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
 * Chains are sequential by nature (each page names the next), but the next page is read while the
 * consumer works through this one; a nextLink loop ends with kind `invalidResponse`.
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

  async *pages<T>(firstUrl: string, what: Message, normalise: (raw: unknown) => T, signal?: AbortSignal): AsyncGenerator<T> {
    const seen = new Set<string>();
    const request = (url: string): Promise<HttpResponse> => {
      if (seen.size >= MAX_PAGES || seen.has(url)) {
        throw gdapErrorOf('invalidResponse', msg('Microsoft Graph kept returning more pages of {0} (nextLink loop); stopped.', what));
      }
      seen.add(url);
      const response = this.requester.call('GET', url, { signal, expect: [200] });
      // Awaited below unless the consumer stops first; a failure nobody waits for is no unhandled rejection.
      response.catch(() => undefined);
      return response;
    };
    let pending: Promise<HttpResponse> | undefined = request(firstUrl);
    while (pending !== undefined) {
      const parsed = parseCollection(this.requester.json(await pending, what), what);
      pending = undefined;
      // The whole page is validated before any item is handed on.
      const items = parsed.value.map(normalise);
      const next = parsed['@odata.nextLink'];
      // The next page goes out as soon as the consumer reads past the first item of this one, so its
      // round trip overlaps the consumer's work on this page (e.g. the inventory's assignment batches);
      // a consumer that stops at the first item sends nothing more. A bad nextLink fails after the items.
      let failure: Error | undefined;
      const readAhead = (): void => {
        try {
          pending = next === undefined ? undefined : request(this.requester.checkServiceUrl(next, 'nextLink'));
        } catch (e) {
          failure = e as Error;
        }
      };
      if (items.length === 0) {
        readAhead();
      }
      for (let i = 0; i < items.length; i++) {
        yield items[i];
        if (i === 0) {
          readAhead();
        }
      }
      if (failure !== undefined) {
        throw failure;
      }
    }
  }

  async collect<T>(firstUrl: string, what: Message, normalise: (raw: unknown) => T, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.pages(firstUrl, what, normalise, signal)) {
      out.push(item);
    }
    return out;
  }
}
