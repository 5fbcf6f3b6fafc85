import { ApiError } from './apiTypes';

/** OData query options of the GDAP list methods (docs/api-notes.md §3, §5). */
export interface CollectionRules {
  /** Property paths accepted in `$filter` (`a/b eq 'v'` joined with `and`). */
  filterable: readonly string[];
  orderable: readonly string[];
  /** Whether `$top`/`$skiptoken`/`$count`/`$select` are honoured (serviceManagementDetails: no). */
  queryable: boolean;
}

export interface PageResult {
  value: Record<string, unknown>[];
  count: number;
  nextSkipToken: string | undefined;
}

export const MAX_TOP = 300;
const KNOWN = new Set(['$top', '$skiptoken', '$filter', '$orderby', '$select', '$count', '$expand']);

function getProp(item: Record<string, unknown>, path: string): unknown {
  let cur: unknown = item;
  for (const part of path.split('/')) {
    if (typeof cur !== 'object' || cur === null) {
      return undefined;
    }
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function sortKey(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

/** Reads a query option case-insensitively (`$skipToken` and `$skiptoken` are the same option). */
export function option(query: URLSearchParams, name: string): string | undefined {
  for (const [k, v] of query) {
    if (k.toLowerCase() === name) {
      return v;
    }
  }
  return undefined;
}

function parseFilter(text: string, rules: CollectionRules): ((item: Record<string, unknown>) => boolean)[] {
  const clauses = text.split(/\s+and\s+/i);
  return clauses.map((clause) => {
    const m = /^\s*([A-Za-z]+(?:\/[A-Za-z]+)?)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (m === null) {
      throw new ApiError(400, 'badRequest', `Invalid $filter clause '${clause.trim()}': use property eq 'value' joined with and.`);
    }
    const path = m[1];
    const value = m[2].replace(/''/g, "'");
    if (!rules.filterable.includes(path)) {
      throw new ApiError(
        400,
        'badRequest',
        `Filtering on '${path}' is not supported. Supported: ${rules.filterable.join(', ') || 'none'}.`,
      );
    }
    return (item) => {
      const v = getProp(item, path);
      return typeof v === 'string' && v.toLowerCase() === value.toLowerCase();
    };
  });
}

export function encodeSkipToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint }), 'utf8').toString('base64url');
}

function decodeSkipToken(token: string, fingerprint: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === fingerprint) {
      return parsed.o;
    }
  } catch {
    // fall through
  }
  throw new ApiError(400, 'badRequest', 'The $skiptoken is invalid or belongs to a different query.');
}

/** Query options other than the skip token, in a stable form: a token is valid only for the same query. */
function fingerprintOf(query: URLSearchParams): string {
  const parts: string[] = [];
  for (const [k, v] of query) {
    if (k.toLowerCase() !== '$skiptoken') {
      parts.push(`${k.toLowerCase()}=${v}`);
    }
  }
  return parts.sort().join('&');
}

type Json = Record<string, unknown>;

/** A collection as the routers hand it over: records, how to render one, and optional shortcuts. */
export interface QuerySource<T> {
  all: () => readonly T[];
  render: (item: T) => Json;
  /**
   * Identifies the collection and the state it was read in (the store's version): while it is the same, the
   * filtered and sorted list of one query is reused by its next pages, so paging through N items costs O(N)
   * in total, not O(N) per page.
   */
  cacheKey?: string;
  /** Equality on this property path is answered from an index (e.g. relationships by customer tenant id). */
  index?: { path: string; lookup: (value: string) => readonly T[] };
  /** Navigation properties `$expand` may name, with their (unpaged) rendered items. */
  expand?: Readonly<Record<string, (item: T) => Json[]>>;
}

/** A few recent (query → filtered records) lists; see QuerySource.cacheKey. */
export class QueryCache {
  private readonly entries = new Map<string, readonly unknown[]>();

  /** On reset: versions restart with the new data, so old entries could be mistaken for current ones. */
  public clear(): void {
    this.entries.clear();
  }

  public get<T>(key: string, build: () => readonly T[]): readonly T[] {
    const hit = this.entries.get(key) as readonly T[] | undefined;
    if (hit !== undefined) {
      return hit;
    }
    const value = build();
    this.entries.set(key, value);
    if (this.entries.size > 32) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return value;
  }
}

function checkOptions(query: URLSearchParams): void {
  for (const k of query.keys()) {
    if (k.startsWith('$') && !KNOWN.has(k.toLowerCase())) {
      throw new ApiError(400, 'badRequest', `Query option '${k}' is not supported.`);
    }
  }
}

/** `$filter` then `$orderby` over the records (rendered for comparison); an index narrows the start set. */
function filterAndSort<T>(src: QuerySource<T>, query: URLSearchParams, rules: CollectionRules): readonly T[] {
  let list = src.all();
  const filter = option(query, '$filter');
  if (filter !== undefined) {
    const preds = parseFilter(filter, rules);
    const indexed = src.index === undefined ? undefined : indexedValue(filter, src.index.path);
    if (indexed !== undefined && src.index !== undefined) {
      list = src.index.lookup(indexed);
    }
    list = list.filter((item) => {
      const view = src.render(item);
      return preds.every((p) => p(view));
    });
  }
  const orderby = option(query, '$orderby');
  if (orderby === undefined) {
    return list;
  }
  const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  if (m === null || !rules.orderable.includes(m[1])) {
    throw new ApiError(400, 'badRequest', `Ordering by '${orderby}' is not supported. Supported: ${rules.orderable.join(', ') || 'none'}.`);
  }
  const key = m[1];
  const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
  return list
    .map((item, i) => ({ item, i, k: sortKey(getProp(src.render(item), key)) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i) * (a.k === b.k ? 1 : dir))
    .map((x) => x.item);
}

/** The value of a top-level `path eq 'v'` clause, if the filter has one. */
function indexedValue(filter: string, path: string): string | undefined {
  for (const clause of filter.split(/\s+and\s+/i)) {
    const m = /^\s*([A-Za-z]+(?:\/[A-Za-z]+)?)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
    if (m !== null && m[1] === path) {
      return m[2].replace(/''/g, "'");
    }
  }
  return undefined;
}

/** The `$expand` list, checked against the navigations the type has (none → any name is refused). */
export function expandList(query: URLSearchParams, allowed: readonly string[]): string[] {
  const text = option(query, '$expand');
  if (text === undefined) {
    return [];
  }
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const n of names) {
    if (!allowed.includes(n)) {
      throw new ApiError(
        400,
        'badRequest',
        `Could not find a navigation property named '${n}' to $expand. ${allowed.length === 0 ? 'This type has none.' : `Supported: ${allowed.join(', ')}.`}`,
      );
    }
  }
  return names;
}

/** Renders one item with `$select` applied and the `$expand`ed navigations appended. */
export function project<T>(src: QuerySource<T>, item: T, select: string[] | undefined, expand: string[]): Json {
  const full = src.render(item);
  const out = select === undefined ? full : selectFields(full, select);
  for (const n of expand) {
    out[n] = (src.expand?.[n] as (item: T) => Json[])(item);
  }
  return out;
}

/** The `$select` list, each name checked against a rendered sample (undefined = no `$select`). */
export function selectList(query: URLSearchParams, sample: Json | undefined | (() => Json | undefined)): string[] | undefined {
  const select = option(query, '$select');
  if (select === undefined) {
    return undefined;
  }
  const known = typeof sample === 'function' ? sample() : sample;
  const fields = select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const f of fields) {
    if (known !== undefined && !(f in known)) {
      throw new ApiError(400, 'badRequest', `Could not find a property named '${f}' to $select.`);
    }
  }
  return fields;
}

/** The number of items `$filter` keeps (the `/$count` segment); other options are refused. */
export function countOf<T>(src: QuerySource<T>, query: URLSearchParams, rules: CollectionRules): number {
  for (const k of query.keys()) {
    if (k.startsWith('$') && k.toLowerCase() !== '$filter') {
      throw new ApiError(400, 'badRequest', `Query option '${k}' is not supported with /$count (only $filter is).`);
    }
  }
  return filterAndSort(src, query, rules).length;
}

/** Filters, sorts, pages, projects and expands a collection according to the query. */
export function applyQuery<T>(
  src: QuerySource<T>,
  query: URLSearchParams,
  rules: CollectionRules,
  defaultPageSize: number,
  cache?: QueryCache,
): PageResult {
  if (!rules.queryable) {
    const value = src.all().map(src.render);
    return { value, count: value.length, nextSkipToken: undefined };
  }
  checkOptions(query);
  const expand = expandList(query, Object.keys(src.expand ?? {}));
  const countOpt = option(query, '$count');
  if (countOpt !== undefined && countOpt !== 'true' && countOpt !== 'false') {
    throw new ApiError(400, 'badRequest', '$count must be true or false.');
  }
  const topText = option(query, '$top');
  let top = defaultPageSize;
  if (topText !== undefined) {
    top = Number(topText);
    if (!/^\d+$/.test(topText) || top < 1 || top > MAX_TOP) {
      throw new ApiError(400, 'badRequest', `$top must be an integer between 1 and ${MAX_TOP}.`);
    }
  }
  const fingerprint = fingerprintOf(query);
  const skip = option(query, '$skiptoken');
  const offset = skip === undefined ? 0 : decodeSkipToken(skip, fingerprint);
  const filterKey = `${src.cacheKey ?? ''}|${option(query, '$filter') ?? ''}|${option(query, '$orderby') ?? ''}`;
  const list =
    cache !== undefined && src.cacheKey !== undefined
      ? cache.get(filterKey, () => filterAndSort(src, query, rules))
      : filterAndSort(src, query, rules);
  // The sample that names the selectable properties is rendered only when $select is asked for: `all()`
  // may be a scan of the whole collection (delegatedAdminCustomers), which every page would repeat.
  const select = selectList(query, () => {
    const all = src.all();
    return all.length > 0 ? src.render(all[0]) : undefined;
  });
  const value = list.slice(offset, offset + top).map((item) => project(src, item, select, expand));
  const nextSkipToken = offset + top < list.length ? encodeSkipToken(offset + top, fingerprint) : undefined;
  return { value, count: list.length, nextSkipToken };
}

/** Keeps annotations, id and the selected properties, in their original order. */
export function selectFields(item: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) {
    if (k.startsWith('@odata.') || k === 'id' || fields.includes(k)) {
      out[k] = v;
    }
  }
  return out;
}

/** The next-page URL keeps every other query option (docs/api-notes.md §5) with `$` left readable. */
export function nextLinkFor(baseUrl: string, path: string, query: URLSearchParams, token: string): string {
  const parts: string[] = [];
  for (const [k, v] of query) {
    if (k.toLowerCase() !== '$skiptoken') {
      parts.push(`${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
    }
  }
  parts.push(`$skiptoken=${token}`);
  return `${baseUrl}${path}?${parts.join('&')}`;
}
