import type { ServiceEndpoints } from '../http/clouds';
import type { RequestLogger } from '../http/requestLog';
import type { HttpTransport } from '../http/transport';

/** What every msal-node token source needs. */
export interface MsalTokenSourceOptions {
  readonly endpoints: ServiceEndpoints;
  /** Core's transport: every sign-in request goes through it (emulator CA trusted for its origin only). */
  readonly transport: HttpTransport;
  /** Tenant id or domain; the authority is `<loginHost>/<tenant>` (emulator: `<emulator>/<tenant>`). */
  readonly tenant: string;
  readonly clientId: string;
  /** Request log for the token endpoints (method, URL without query, status). */
  readonly log?: RequestLogger;
  /** msal's own warnings, PII already dropped. */
  readonly msalLog?: (message: string) => void;
}
