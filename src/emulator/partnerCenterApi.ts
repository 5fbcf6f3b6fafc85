import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { renderPcCustomer, renderPcCustomerListItem } from './model';
import type { EmulatorStore } from './store';
import type { Principal } from './tokens';

/** Partner Center customers: list (size + continuation), get by id, remove DAP (docs/api-notes.md §8). */
export interface PartnerCenterContext {
  store: EmulatorStore;
  principal: Principal;
  defaultPageSize: number;
}

const MAX_SIZE = 500;

export function handlePartnerCenter(req: ApiRequest, ctx: PartnerCenterContext): ApiResponse {
  const seg = req.path
    .replace(/^\/partnercenter\/v1\//, '')
    .replace(/\/$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  const m = req.method.toUpperCase();
  if (seg[0] !== 'customers' || seg.length > 2) {
    throw new ApiError(404, '1000', 'Not found');
  }
  if (seg.length === 1) {
    if (m !== 'GET') {
      throw new ApiError(405, '405', 'Method not allowed');
    }
    return list(req, ctx);
  }
  const id = seg[1];
  if (m === 'GET') {
    const c = ctx.store.customers.get(id);
    if (c === undefined) {
      throw new ApiError(404, '60003', 'Tenant not found');
    }
    return { status: 200, headers: { 'content-type': 'application/json' }, body: renderPcCustomer(c) };
  }
  if (m === 'PATCH') {
    if (ctx.principal.kind !== 'user') {
      // Remove DAP "supports authentication with App+User credentials only" (docs/api-notes.md §8.1).
      throw new ApiError(403, '900001', 'This operation requires App+User credentials; app-only tokens are not allowed.');
    }
    if (req.bodyError !== undefined || typeof req.body !== 'object' || req.body === null) {
      throw new ApiError(400, '800002', 'Invalid request input');
    }
    const body = req.body as Record<string, unknown>;
    // PATCH body is PascalCase in the docs, camelCase in GET responses (docs/api-notes.md §12.15): accept both.
    const value = 'AllowDelegatedAccess' in body ? body.AllowDelegatedAccess : body.allowDelegatedAccess;
    if (value !== false) {
      throw new ApiError(400, '800002', 'Invalid request input: AllowDelegatedAccess must be false (DAP can only be removed).');
    }
    const c = ctx.store.removeDap(id);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: renderPcCustomer(c) };
  }
  throw new ApiError(405, '405', 'Method not allowed');
}

function list(req: ApiRequest, ctx: PartnerCenterContext): ApiResponse {
  const sizeText = req.query.get('size');
  let size = ctx.defaultPageSize;
  if (sizeText !== null) {
    size = Number(sizeText);
    if (!/^\d+$/.test(sizeText) || size < 1 || size > MAX_SIZE) {
      throw new ApiError(400, '800002', `Invalid request input: size must be between 1 and ${MAX_SIZE}.`);
    }
  }
  let offset = 0;
  const token = req.headers['ms-continuationtoken'];
  if (req.query.get('seekOperation') === 'Next') {
    const decoded = token === undefined ? NaN : Number(Buffer.from(token, 'base64').toString('utf8'));
    if (!Number.isInteger(decoded) || decoded < 0) {
      throw new ApiError(400, '800002', 'Invalid request input: a valid MS-ContinuationToken header is required with seekOperation=Next.');
    }
    offset = decoded;
  }
  const all = [...ctx.store.customers.values()];
  const items = all.slice(offset, offset + size).map(renderPcCustomerListItem);
  const links: Record<string, unknown> = { self: { uri: `/v1/customers?size=${size}`, method: 'GET', headers: [] } };
  if (offset + size < all.length) {
    links.next = {
      uri: `/v1/customers?size=${size}&seekOperation=Next`,
      method: 'GET',
      headers: [{ key: 'MS-ContinuationToken', value: Buffer.from(String(offset + size), 'utf8').toString('base64') }],
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { totalCount: items.length, items, links, attributes: { objectType: 'Collection' } },
  };
}
