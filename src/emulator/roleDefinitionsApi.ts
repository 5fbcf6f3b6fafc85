import { ROLE_CATALOG } from '../core/roles/roleCatalog';
import { ApiError, type ApiRequest, type ApiResponse } from './apiTypes';
import { applyQuery, nextLinkFor, selectList, selectFields } from './odata';
import type { Principal } from './tokens';

/**
 * `GET /v1.0/roleManagement/directory/roleDefinitions` (and `/{id}`): the partner tenant's Entra role
 * definitions, so clients can name roles their static catalog does not know. Consent-gated like
 * `/groups/{id}`: 403 `Authorization_RequestDenied` unless the token holds one of ROLE_READ_PERMISSIONS.
 */
export const ROLE_READ_PERMISSIONS = [
  'RoleManagement.Read.Directory',
  'RoleManagement.Read.All',
  'RoleManagement.ReadWrite.Directory',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

const PREFIX = '/v1.0/roleManagement/directory/roleDefinitions';

interface RoleDefinition {
  id: string;
  displayName: string;
  isPrivileged: boolean;
}

/**
 * Built-in roles the emulator knows beyond the project's static catalog (names and template ids from the
 * Microsoft Entra built-in roles reference), so "a role only the directory can name" is testable.
 */
export const EXTRA_ROLE_DEFINITIONS: readonly RoleDefinition[] = [
  { id: '92ed04bf-c94a-4b82-9729-b799a7a4c178', displayName: 'Organizational Branding Administrator', isPrivileged: false },
  { id: 'e48398e2-f4bb-4074-8f31-4586725e205b', displayName: 'Organizational Messages Approver', isPrivileged: false },
  { id: '9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f', displayName: 'Attack Payload Author', isPrivileged: false },
  { id: 'db506228-d27e-4b7d-95e5-295956d6615f', displayName: 'Agent ID Administrator', isPrivileged: true },
  { id: 'adb2368d-a9be-41b5-8667-d96778e081b0', displayName: 'Agent ID Developer', isPrivileged: false },
  { id: '6b942400-691f-4bf0-9d12-d8a254a2baf5', displayName: 'Agent Registry Administrator', isPrivileged: false },
];

const ALL: readonly RoleDefinition[] = [
  ...ROLE_CATALOG.map((r) => ({ id: r.id, displayName: r.name, isPrivileged: r.privileged })),
  ...EXTRA_ROLE_DEFINITIONS,
];

function render(r: RoleDefinition): Record<string, unknown> {
  return {
    id: r.id,
    displayName: r.displayName,
    description: `Built-in role: ${r.displayName}.`,
    isBuiltIn: true,
    isEnabled: true,
    isPrivileged: r.isPrivileged,
    templateId: r.id,
    version: '1',
  };
}

export function isRoleDefinitionsPath(path: string): boolean {
  return path === PREFIX || path.startsWith(`${PREFIX}/`);
}

export function handleRoleDefinitions(req: ApiRequest, principal: Principal, baseUrl: string): ApiResponse {
  if (req.method.toUpperCase() !== 'GET') {
    throw new ApiError(405, 'methodNotAllowed', `The method ${req.method} is not allowed on this resource.`);
  }
  if (!ROLE_READ_PERMISSIONS.some((p) => principal.permissions.has(p))) {
    throw new ApiError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  const rest = req.path.slice(PREFIX.length).replace(/^\/|\/$/g, '');
  const context = `${baseUrl}/v1.0/$metadata#roleManagement/directory/roleDefinitions`;
  if (rest === '') {
    const page = applyQuery(
      { all: () => ALL, render },
      req.query,
      { filterable: ['id', 'displayName', 'templateId'], orderable: ['displayName'], queryable: true },
      300,
    );
    const body: Record<string, unknown> = { '@odata.context': context };
    if (page.nextSkipToken !== undefined) {
      body['@odata.nextLink'] = nextLinkFor(baseUrl, req.path, req.query, page.nextSkipToken);
    }
    body.value = page.value;
    return { status: 200, headers: { 'content-type': 'application/json' }, body };
  }
  const id = decodeURIComponent(rest);
  const role = ALL.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (role === undefined || id.includes('/')) {
    throw new ApiError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  const full = render(role);
  const select = selectList(req.query, full);
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { '@odata.context': `${context}/$entity`, ...(select === undefined ? full : selectFields(full, select)) },
  };
}
