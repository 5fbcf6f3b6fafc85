import type { ServiceEndpoints } from '../http/clouds';
import { GdapError, gdapErrorOf, innerMessage } from '../http/gdapError';
import { msg } from '../messages';
import type { HttpTransport } from '../http/transport';
import type { MsalLoggerOptions } from './msalLoader';

/** Graph scope a signed-in user needs to manage relationships (docs/api-notes.md §7). */
export function graphDelegatedScope(endpoints: ServiceEndpoints, readOnly = false): string {
  return `${endpoints.graphResource}/DelegatedAdminRelationship.${readOnly ? 'Read' : 'ReadWrite'}.All`;
}

/** App-only Graph scope: the application permissions granted to the app (docs/api-notes.md §7). */
export function graphAppScope(endpoints: ServiceEndpoints): string {
  return `${endpoints.graphResource}/.default`;
}

/** App+User Partner Center scope (docs/api-notes.md §8.1). */
export function partnerCenterScope(endpoints: ServiceEndpoints): string {
  return `${endpoints.partnerCenterResource}/user_impersonation`;
}

/** A tenant id (GUID), a verified domain, or one of Entra's aliases. Checked before it becomes a URL path. */
export function isValidTenant(tenant: string): boolean {
  return (
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(tenant) ||
    /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(tenant)
  );
}

export interface MsalAuthorityOptions {
  readonly authority: string;
  readonly knownAuthorities?: string[];
  /** JSON text of the OpenID configuration; when set msal does no discovery of its own. */
  readonly authorityMetadata?: string;
}

/** The endpoints the emulator serves under `/<tenant>` ( Entra token endpoints). */
export function emulatorAuthorityMetadata(origin: string, tenant: string): Record<string, string> {
  const base = `${origin}/${tenant}`;
  return {
    issuer: `${base}/v2.0`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
  };
}

/**
 * The msal authority for a cloud, or for the emulator. For the emulator the authority is
 * `<emulator>/<tenant>`, its host is the only known authority and the metadata is supplied up front
 * (fetched through the transport, or built from the emulator's fixed layout when it serves none), so
 * msal never tries instance discovery against login.microsoftonline.com.
 */
export async function resolveMsalAuthority(
  endpoints: ServiceEndpoints,
  tenant: string,
  transport: HttpTransport,
  signal?: AbortSignal,
): Promise<MsalAuthorityOptions> {
  if (!isValidTenant(tenant)) {
    throw gdapErrorOf('invalidInput', msg('"{0}" is not a tenant id or domain name.', tenant));
  }
  if (endpoints.emulator === undefined) {
    return { authority: `${endpoints.loginHost}/${tenant}` };
  }
  const origin = endpoints.emulator.origin;
  const host = new URL(origin).host;
  let metadata: Record<string, unknown> = emulatorAuthorityMetadata(origin, tenant);
  try {
    const response = await transport.send({
      method: 'GET',
      url: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
      signal,
      timeoutMs: 15_000,
    });
    if (response.status === 200) {
      const parsed = JSON.parse(response.body) as unknown;
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { token_endpoint?: unknown }).token_endpoint === 'string') {
        metadata = { ...metadata, ...(parsed as Record<string, unknown>) };
      }
    }
  } catch (e) {
    if (e instanceof GdapError && e.kind === 'cancelled') {
      // The user gave up (Ctrl+C): that is no sign-in failure.
      throw e;
    }
    if (e instanceof GdapError && e.kind === 'network') {
      throw gdapErrorOf('auth', msg("Could not reach the emulator's sign-in endpoint: {0}", innerMessage(e)), { cause: e });
    }
    // Anything else (not JSON, no such route): the fixed layout above is what the emulator serves.
  }
  return { authority: `${origin}/${tenant}`, knownAuthorities: [host], authorityMetadata: JSON.stringify(metadata) };
}

/**
 * msal logger: PII off, and any message msal flags as PII dropped even if a caller turns PII on.
 * Messages go to `sink` (the log channel / `--verbose`) only; the device-code prompt never passes here.
 */
export function msalLoggerOptions(sink?: (message: string) => void): MsalLoggerOptions {
  return {
    piiLoggingEnabled: false,
    // LogLevel.Warning = 1; a number so this module does not load msal just to read an enum.
    logLevel: 1,
    loggerCallback: (_level: number, message: string, containsPii: boolean): void => {
      if (containsPii || sink === undefined) {
        return;
      }
      sink(message);
    },
  };
}
