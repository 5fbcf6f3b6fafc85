import type { TokenAudience } from '../../core/auth/tokenProvider';
import type { ServiceEndpoints } from '../../core/http/clouds';
import { AUTH } from '../constants';

export interface ScopeInputs {
  readonly clientId: string;
  readonly tenantId: string;
  readonly readOnly: boolean;
  readonly endpoints: ServiceEndpoints;
}

/**
 * Scopes for VS Code's `microsoft` provider (and ours in emulator mode): the partner's own app and
 * tenant through the `VSCODE_CLIENT_ID:` / `VSCODE_TENANT:` pseudo-scopes, then the one resource scope.
 */
export function scopesFor(audience: TokenAudience, inputs: ScopeInputs): string[] {
  const resourceScope =
    audience === 'graph'
      ? `${inputs.endpoints.graphResource}/${inputs.readOnly ? AUTH.graphRead : AUTH.graphReadWrite}`
      : `${inputs.endpoints.partnerCenterResource}/${AUTH.partnerCenterScope}`;
  return [`${AUTH.clientIdScopePrefix}${inputs.clientId}`, `${AUTH.tenantScopePrefix}${inputs.tenantId || AUTH.defaultTenant}`, resourceScope];
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
