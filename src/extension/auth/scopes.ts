import type { TokenAudience } from '../../core/auth/tokenProvider';
import type { ServiceEndpoints } from '../../core/http/clouds';
import { AUTH } from '../constants';

export interface ScopeInputs {
  readonly clientId: string;
  readonly tenantId: string;
  readonly readOnly: boolean;
  readonly endpoints: ServiceEndpoints;
  /** Adds the delegated GroupMember.Read.All scope to the Graph session (security group names). */
  readonly resolveGroupNames?: boolean;
}

/**
 * Scopes for VS Code's `microsoft` provider (and ours in emulator mode): the partner's own app and
 * tenant through the `VSCODE_CLIENT_ID:` / `VSCODE_TENANT:` pseudo-scopes, then the resource scopes: the
 * GDAP one and, for Graph with `gdap.resolveGroupNames`, GroupMember.Read.All (one token reads both).
 */
export function scopesFor(audience: TokenAudience, inputs: ScopeInputs): string[] {
  const resourceScopes =
    audience === 'graph'
      ? [`${inputs.endpoints.graphResource}/${inputs.readOnly ? AUTH.graphRead : AUTH.graphReadWrite}`, ...groupNameScopes(inputs)]
      : [`${inputs.endpoints.partnerCenterResource}/${AUTH.partnerCenterScope}`];
  return [
    `${AUTH.clientIdScopePrefix}${inputs.clientId}`,
    `${AUTH.tenantScopePrefix}${inputs.tenantId || AUTH.defaultTenant}`,
    ...resourceScopes,
  ];
}

/** The extra Graph scopes for security group names (empty when the setting is off). */
export function groupNameScopes(inputs: Pick<ScopeInputs, 'endpoints' | 'resolveGroupNames'>): string[] {
  return inputs.resolveGroupNames === true ? [`${inputs.endpoints.graphResource}/${AUTH.graphGroupRead}`] : [];
}

/** Splits scopes back into client id, tenant and resource scopes (the emulator provider's side). */
export function parseScopes(scopes: readonly string[]): { clientId?: string; tenantId?: string; resourceScopes: string[] } {
  let clientId: string | undefined;
  let tenantId: string | undefined;
  const resourceScopes: string[] = [];
  for (const s of scopes) {
    if (s.startsWith(AUTH.clientIdScopePrefix)) {
      clientId = s.slice(AUTH.clientIdScopePrefix.length);
    } else if (s.startsWith(AUTH.tenantScopePrefix)) {
      tenantId = s.slice(AUTH.tenantScopePrefix.length);
    } else {
      resourceScopes.push(s);
    }
  }
  return { clientId, tenantId, resourceScopes };
}
