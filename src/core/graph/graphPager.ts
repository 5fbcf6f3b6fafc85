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
 * A collection page's `@odata.nextLink` read from the start of its text, where Graph writes the
 * annotations (`@odata.context`, `@odata.count`, `@odata.nextLink`, then `value`), without parsing the
 * page. Only a link among those leading annotations and free of escapes is taken; otherwise undefined
 * (the link is then read from the parsed page). The caller checks it against the parsed page.
 */
const LEADING_NEXT_LINK = /^\s*\{\s*(?:"@odata\.(?:context|count)"\s*:\s*(?:"[^"\\]*"|\d+)\s*,\s*)*"@odata\.nextLink"\s*:\s*"([^"\\]+)"/;
const PEEK_CHARS = 8192;

export function peekNextLink(body: string): string | undefined {
  return LEADING_NEXT_LINK.exec(body.length > PEEK_CHARS ? body.slice(0, PEEK_CHARS) : body)?.[1];
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

  /**
   * The items of every page, in order. `readAll` says the caller reads to the end: each next page is then
   * asked for as soon as its link is seen at the start of the page's text, before the page is parsed and
   * validated (`peekNextLink`); otherwise only once the consumer reads past the first item, so that a
   * consumer that stops there sends nothing more.
   */
  async *pages<T>(
    firstUrl: string,
    what: Message,
    normalise: (raw: unknown) => T,
    signal?: AbortSignal,
    readAll = false,
  ): AsyncGenerator<T> {
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
      const response = await pending;
      pending = undefined;
      // Asked for early; used only if the parsed page names the same link (it always should).
      let early: { url: string; response: Promise<HttpResponse> } | undefined;
      const peeked = readAll ? peekNextLink(response.body) : undefined;
      if (peeked !== undefined) {
        try {
          const url = this.requester.checkServiceUrl(peeked, 'nextLink');
          early = { url, response: request(url) };
        } catch {
          // A link that cannot be followed fails below, after this page's items, as without the peek.
        }
      }
      if (early !== undefined) {
        // The request is on its way only once the pipeline's awaits have run: let them, before parsing.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const parsed = parseCollection(this.requester.json(response, what), what);
      // The whole page is validated before any item is handed on.
      const items = parsed.value.map(normalise);
      const next = parsed['@odata.nextLink'];
      // The next page goes out as soon as the consumer reads past the first item of this one, so its
      // round trip overlaps the consumer's work on this page (e.g. the inventory's assignment batches);
      // a consumer that stops at the first item sends nothing more. A bad nextLink fails after the items.
      let failure: Error | undefined;
      const readAhead = (): void => {
        try {
          const url = next === undefined ? undefined : this.requester.checkServiceUrl(next, 'nextLink');
          if (early !== undefined && url === early.url) {
            pending = early.response;
            return;
          }
          if (early !== undefined) {
            // The parsed page disagrees with its own text's start (e.g. a repeated key): the early read is
            // left unused (a GET), and its link may still come legitimately later.
            seen.delete(early.url);
          }
          pending = url === undefined ? undefined : request(url);
        } catch (e) {
          failure = e as Error;
        }
      };
      if (items.length === 0 || early !== undefined) {
        readAhead();
      }
      for (let i = 0; i < items.length; i++) {
        yield items[i];
        if (i === 0 && early === undefined) {
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
    for await (const item of this.pages(firstUrl, what, normalise, signal, true)) {
      out.push(item);
    }
    return out;
  }
}
