import { resolveRole } from '../roles/roleLookup';

/** A role as the domain model carries it: template id, display name and Entra's privileged flag. */
export interface DomainRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  readonly privileged: boolean;
}

/** Resolves role template ids to names and privileged flags (unknown ids keep their id in the name). */
export function domainRoles(roleDefinitionIds: readonly string[]): DomainRole[] {
  return roleDefinitionIds.map((id) => {
    const r = resolveRole(id);
    return { roleDefinitionId: r.roleDefinitionId, name: r.name, privileged: r.privileged };
  });
}
