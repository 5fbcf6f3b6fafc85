import { resolveRole } from '../roles/roleLookup';

/** A role as the domain model carries it: template id, display name and Entra's privileged flag. */
export interface DomainRole {
  readonly roleDefinitionId: string;
  readonly name: string;
  readonly privileged: boolean;
}

/**
 * One frozen DomainRole per template id, shared by every relationship and assignment that holds the
 * role: at 10,000 customers an inventory holds ≈ 300,000 role entries of a few dozen distinct roles
 * (BENCHMARKS.md, "Inventory, fourth pass"). Bounded, so ids a service invents cannot grow it forever.
 */
const shared = new Map<string, DomainRole>();
const SHARED_LIMIT = 4096;

function domainRole(id: string): DomainRole {
  let role = shared.get(id);
  if (role === undefined) {
    const r = resolveRole(id);
    role = Object.freeze({ roleDefinitionId: r.roleDefinitionId, name: r.name, privileged: r.privileged });
    if (shared.size < SHARED_LIMIT) {
      shared.set(id, role);
    }
  }
  return role;
}

/** Resolves role template ids to names and privileged flags (unknown ids keep their id in the name). */
export function domainRoles(roleDefinitionIds: readonly string[]): DomainRole[] {
  return roleDefinitionIds.map(domainRole);
}

/** Whether `role` is the shared object `domainRoles` hands out (exactly its three fields, frozen). */
export function isSharedRole(role: DomainRole): boolean {
  return shared.get(role.roleDefinitionId) === role;
}
