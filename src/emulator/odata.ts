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

/** Filters, sorts, pages and projects `items` (already rendered) according to the query. */
export function applyQuery(
  items: Record<string, unknown>[],
  query: URLSearchParams,
  rules: CollectionRules,
  defaultPageSize: number,
): PageResult {
  if (!rules.queryable) {
    return { value: items, count: items.length, nextSkipToken: undefined };
  }
  for (const k of query.keys()) {
    if (k.startsWith('$') && !KNOWN.has(k.toLowerCase())) {
      throw new ApiError(400, 'badRequest', `Query option '${k}' is not supported.`);
    }
  }
  let list = items;
  const filter = option(query, '$filter');
  if (filter !== undefined) {
    const preds = parseFilter(filter, rules);
    list = list.filter((item) => preds.every((p) => p(item)));
  }
  const orderby = option(query, '$orderby');
  if (orderby !== undefined) {
    const m = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
    if (m === null || !rules.orderable.includes(m[1])) {
      throw new ApiError(
        400,
        'badRequest',
        `Ordering by '${orderby}' is not supported. Supported: ${rules.orderable.join(', ') || 'none'}.`,
      );
    }
    const key = m[1];
    const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
    list = list
      .map((item, i) => ({ item, i }))
      .sort((a, b) => {
        const av = sortKey(getProp(a.item, key));
        const bv = sortKey(getProp(b.item, key));
        return (av < bv ? -1 : av > bv ? 1 : a.i - b.i) * (av === bv ? 1 : dir);
      })
      .map((x) => x.item);
  }
  if (option(query, '$expand') !== undefined) {
    throw new ApiError(400, 'badRequest', '$expand is not supported: these types have no navigation properties to expand.');
  }
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
  const page = list.slice(offset, offset + top);
  const nextSkipToken = offset + top < list.length ? encodeSkipToken(offset + top, fingerprint) : undefined;
  const select = option(query, '$select');
  let value = page;
  if (select !== undefined) {
    const fields = select
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const sample = items[0];
    for (const f of fields) {
      if (sample !== undefined && !(f in sample)) {
        throw new ApiError(400, 'badRequest', `Could not find a property named '${f}' to $select.`);
      }
    }
    value = page.map((item) => selectFields(item, fields));
  }
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
