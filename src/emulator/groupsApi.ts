import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { applyQuery, nextLinkFor, option, selectFields } from './odata';
import type { SecurityGroup } from './model';
import type { EmulatorStore } from './store';
import type { Principal } from './tokens';

/** Any of these lets a caller read a group of its own tenant (Graph permissions reference, "Get group"). */
export const GROUP_READ_PERMISSIONS = [
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Group.ReadWrite.All',
  'Directory.ReadWrite.All',
];

const PREFIX = '/v1.0/groups/';

export function isGroupsPath(path: string): boolean {
  return path.startsWith(PREFIX) || path === '/v1.0/groups';
}

/**
 * `GET /v1.0/groups/{id}` for the partner's security groups (the access containers of the data set), so
 * clients can show a group's name instead of its id. Needs a token whose `scp`/`roles` hold one of
 * GROUP_READ_PERMISSIONS (403 `Authorization_RequestDenied` otherwise). Admin Agents membership does not
 * matter: the groups are the partner's own directory objects.
 */
export function handleGroups(req: ApiRequest, store: EmulatorStore, principal: Principal, baseUrl: string, pageSize: number): ApiResponse {
  const seg = req.path
    .slice(PREFIX.length)
    .replace(/\/$/, '')
    .split('/')
    .map((s) => decodeURIComponent(s));
  const members = seg.length === 2 && seg[1] === 'transitiveMembers';
  if (req.path === '/v1.0/groups' || req.path === '/v1.0/groups/') {
    return listGroups(req, store, principal, baseUrl, pageSize);
  }
  if ((seg.length !== 1 && !members) || seg[0] === '') {
    // Other navigations are not emulated: only the list, reads by id and transitiveMembers.
    throw new ApiError(400, 'BadRequest', `Resource not found for the segment '${seg[seg.length - 1] || 'groups'}'.`);
  }
  if (req.method.toUpperCase() !== 'GET') {
    throw new ApiError(405, 'methodNotAllowed', `The method ${req.method} is not allowed on this resource.`);
  }
  if (!GROUP_READ_PERMISSIONS.some((p) => principal.permissions.has(p))) {
    throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const id = seg[0];
  const group = store.securityGroups.find((g) => g.id.toLowerCase() === id.toLowerCase());
  if (group === undefined) {
    throw new ApiError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  if (members) {
    return transitiveMembers(req, store, group.id, baseUrl, pageSize);
  }
  const full = renderGroup(group);
  const select = req.query.get('$select');
  let body: Record<string, unknown> = full;
  let context = `${baseUrl}/v1.0/$metadata#groups/$entity`;
  if (select !== null) {
    const fields = selectedFields(select, full);
    body = selectFields(full, fields);
    context = `${baseUrl}/v1.0/$metadata#groups(${fields.join(',')})/$entity`;
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { '@odata.context': context, ...body } };
}

function renderGroup(group: SecurityGroup): Record<string, unknown> {
  return {
    id: group.id,
    displayName: group.displayName,
    description: null,
    mailEnabled: false,
    mailNickname: group.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    securityEnabled: true,
    groupTypes: [],
    visibility: null,
  };
}

function selectedFields(select: string, full: Record<string, unknown>): string[] {
  const fields = select
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const f of fields) {
    if (!(f in full)) {
      throw new ApiError(400, 'Request_BadRequest', `Could not find a property named '${f}' on type 'microsoft.graph.group'.`);
    }
  }
  return fields;
}

/** One `$filter` clause the list understands: `securityEnabled eq true|false` or `startswith(displayName,'…')`. */
function groupPredicate(clause: string): (g: Record<string, unknown>) => boolean {
  const security = /^securityEnabled\s+eq\s+(true|false)$/i.exec(clause);
  if (security !== null) {
    const want = security[1].toLowerCase() === 'true';
    return (g) => g.securityEnabled === want;
  }
  const starts = /^startswith\(\s*displayName\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(clause);
  if (starts !== null) {
    // An OData string literal: a doubled single quote is one quote. Graph compares case-insensitively.
    const prefix = starts[1].replace(/''/g, "'").toLowerCase();
    return (g) => String(g.displayName).toLowerCase().startsWith(prefix);
  }
  throw new ApiError(
    400,
    'Request_UnsupportedQuery',
    `Unsupported or invalid query filter clause specified for property of resource 'Group': '${clause}'.`,
  );
}

/** Splits on ` and ` outside string literals (a group name may contain the word). */
function filterClauses(filter: string): string[] {
  const clauses: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < filter.length; i += 1) {
    if (filter[i] === "'") {
      quoted = !quoted;
    } else if (!quoted && /^\s+and\s+/i.test(filter.slice(i)) && /^\s/.test(filter[i])) {
      clauses.push(filter.slice(start, i).trim());
      const m = /^\s+and\s+/i.exec(filter.slice(i));
      i += (m?.[0].length ?? 1) - 1;
      start = i + 1;
    }
  }
  clauses.push(filter.slice(start).trim());
  return clauses.filter((c) => c !== '');
}

/**
 * `GET /v1.0/groups` with `$filter` of `securityEnabled eq …` and `startswith(displayName,'…')` joined by
 * `and`, `$select` and `$top` (1..999): the search by name of the onboarding forms (docs/emulator.md).
 * No `ConsistencyLevel` is needed, as in Graph. One page: the data set holds 12 groups.
 */
function listGroups(req: ApiRequest, store: EmulatorStore, principal: Principal, baseUrl: string, pageSize: number): ApiResponse {
  if (req.method.toUpperCase() !== 'GET') {
    throw new ApiError(405, 'methodNotAllowed', `The method ${req.method} is not allowed on this resource.`);
  }
  if (!GROUP_READ_PERMISSIONS.some((p) => principal.permissions.has(p))) {
    throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const topRaw = req.query.get('$top');
  const top = topRaw === null ? pageSize : Number(topRaw);
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    throw new ApiError(400, 'Request_BadRequest', `Invalid page size specified: '${topRaw ?? ''}'. Must be between 1 and 999 inclusive.`);
  }
  const filter = req.query.get('$filter');
  const predicates = filter === null ? [] : filterClauses(filter).map(groupPredicate);
  const all = store.securityGroups.map(renderGroup).filter((g) => predicates.every((p) => p(g)));
  const select = req.query.get('$select');
  const fields = select === null ? undefined : selectedFields(select, renderGroup({ id: '', displayName: '' }));
  const value = all.slice(0, top).map((g) => (fields === undefined ? g : selectFields(g, fields)));
  const context = `${baseUrl}/v1.0/$metadata#groups${fields === undefined ? '' : `(${fields.join(',')})`}`;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { '@odata.context': context, value } };
}

const MEMBER_RULES = { filterable: [], orderable: [], queryable: true };

/**
 * `GET /v1.0/groups/{id}/transitiveMembers`: the group's users (nested groups are already flattened in the
 * data set), paged with `@odata.nextLink` like the GDAP lists; `$top` (1..300), `$select`, `$count` honoured.
 */
function transitiveMembers(req: ApiRequest, store: EmulatorStore, groupId: string, baseUrl: string, pageSize: number): ApiResponse {
  const users = store.groupMembers.get(groupId) ?? [];
  const page = applyQuery(
    {
      all: () => users,
      render: (u) => ({
        '@odata.type': '#microsoft.graph.user',
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
      }),
    },
    req.query,
    MEMBER_RULES,
    pageSize,
  );
  const body: Record<string, unknown> = { '@odata.context': `${baseUrl}/v1.0/$metadata#directoryObjects` };
  if (option(req.query, '$count') === 'true') {
    body['@odata.count'] = page.count;
  }
  if (page.nextSkipToken !== undefined) {
    body['@odata.nextLink'] = nextLinkFor(baseUrl, req.path, req.query, page.nextSkipToken);
  }
  body.value = page.value;
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}
