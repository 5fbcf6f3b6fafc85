import { BUILT_IN_ROLES, type RoleInfo, type RolePrivilege } from './roleCatalog';

export interface ResolvedRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  /**
   * Whether to handle the role as privileged: true when it is, and also when nobody can say (an unknown
   * id is never assumed harmless). `privilege` tells the two apart.
   */
  readonly privileged: boolean;
  readonly privilege: RolePrivilege;
  /** A catalog (static or live) names the role. */
  readonly known: boolean;
}

/**
 * A role definition as the partner tenant's directory describes it (`GET /roleManagement/directory/roleDefinitions`,
 * docs/api-notes.md §15), keyed by template id. `isPrivileged` is null when the directory did not say.
 */
export interface LiveRoleDefinition {
  readonly templateId: string;
  readonly displayName: string | null;
  readonly isPrivileged: boolean | null;
}

/** Live role definitions by lower-case template id. */
export type LiveRoleCatalog = ReadonlyMap<string, LiveRoleDefinition>;

const byId = new Map<string, RoleInfo>(BUILT_IN_ROLES.map((r) => [r.id.toLowerCase(), r]));

/** The static catalog's entry for a template id, or undefined. */
export function staticRole(roleDefinitionId: string): RoleInfo | undefined {
  return byId.get(roleDefinitionId.toLowerCase());
}

/** The name an id no catalog knows is shown with: the id, and that its privilege is unknown. */
export function unknownRoleName(roleDefinitionId: string): string {
  return `Unknown role (${roleDefinitionId}) · privilege unknown`;
}

function privilegeOf(flag: boolean | null | undefined): RolePrivilege {
  return flag === true ? 'privileged' : flag === false ? 'notPrivileged' : 'unknown';
}

/**
 * Name and privilege of a role template id. With a live catalog, the directory wins for the name and the
 * privileged flag (it knows roles newer than this build); the static catalog fills what it leaves out.
 * Unknown ids render as "Unknown role (<id>) · privilege unknown" (docs/api-notes.md §10: doc examples use ids
 * that are not built-in roles, so never reject one).
 */
export function resolveRole(roleDefinitionId: string, live?: LiveRoleCatalog): ResolvedRole {
  const key = roleDefinitionId.toLowerCase();
  const info = byId.get(key);
  const fromLive = live?.get(key);
  const liveName =
    fromLive?.displayName !== undefined && fromLive.displayName !== null && fromLive.displayName.trim() !== ''
      ? fromLive.displayName
      : undefined;
  const name = liveName ?? info?.name;
  const privilege =
    fromLive?.isPrivileged !== undefined && fromLive.isPrivileged !== null
      ? privilegeOf(fromLive.isPrivileged)
      : privilegeOf(info?.privileged);
  if (name === undefined) {
    return {
      roleDefinitionId,
      name: unknownRoleName(roleDefinitionId),
      privileged: privilege !== 'notPrivileged',
      privilege,
      known: false,
    };
  }
  return { roleDefinitionId, name, privileged: privilege !== 'notPrivileged', privilege, known: true };
}

export function resolveRoles(roleDefinitionIds: readonly string[], live?: LiveRoleCatalog): ResolvedRole[] {
  return roleDefinitionIds.map((id) => resolveRole(id, live));
}

/** Live definitions keyed for `resolveRole`; a later entry for the same template id wins. */
export function liveRoleCatalog(definitions: readonly LiveRoleDefinition[]): LiveRoleCatalog {
  return new Map(definitions.map((d) => [d.templateId.toLowerCase(), d]));
}
