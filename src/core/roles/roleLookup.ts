import { ROLE_CATALOG, type RoleInfo } from './roleCatalog';

export interface ResolvedRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  readonly privileged: boolean;
  readonly known: boolean;
}

const byId = new Map<string, RoleInfo>(ROLE_CATALOG.map((r) => [r.id.toLowerCase(), r]));

/** Name and privileged flag of a role template id; unknown ids render as "Unknown role (<id>)". */
export function resolveRole(roleDefinitionId: string): ResolvedRole {
  const info = byId.get(roleDefinitionId.toLowerCase());
  if (info === undefined) {
    // Doc examples use ids that are not built-in roles (docs/api-notes.md §10): never reject, just say so.
    return { roleDefinitionId, name: `Unknown role (${roleDefinitionId})`, privileged: false, known: false };
  }
  return { roleDefinitionId, name: info.name, privileged: info.privileged, known: true };
}

export function resolveRoles(roleDefinitionIds: readonly string[]): ResolvedRole[] {
  return roleDefinitionIds.map(resolveRole);
}
