import type { TokenProvider } from './auth/tokenProvider';
import type { ServiceEndpoints } from './http/clouds';
import type { RequestLogger } from './http/requestLog';
import { createHttpTransport } from './http/transport';
import type { GdapApi } from './graph/gdapApi';
import { GdapClient } from './graph/gdapClient';
import type { PartnerCenterApi } from './partnerCenter/partnerCenterApi';
import { PartnerCenterClient } from './partnerCenter/partnerCenterClient';

export interface CoreClientsOptions {
  readonly endpoints: ServiceEndpoints;
  readonly tokens: TokenProvider;
  readonly log?: RequestLogger;
  /** `$batch` requests in flight at once (default 4). */
  readonly concurrency?: number;
}

export interface CoreClients {
  readonly graph: GdapApi;
  readonly partnerCenter: PartnerCenterApi;
  /** Closes the shared transport (pooled sockets). */
  dispose(): void;
}

/** Composition of core for the extension, the CLI and the benchmarks: one transport, both clients. */
export function createCoreClients(options: CoreClientsOptions): CoreClients {
  const transport = createHttpTransport({ endpoints: options.endpoints });
  const graph = new GdapClient({
    endpoints: options.endpoints,
    tokens: options.tokens,
    transport,
    log: options.log,
    concurrency: options.concurrency,
  });
  const partnerCenter = new PartnerCenterClient({ endpoints: options.endpoints, tokens: options.tokens, transport, log: options.log });
  let disposed = false;
  return {
    graph,
    partnerCenter,
    dispose(): void {
      if (!disposed) {
        disposed = true;
        transport.close();
      }
    },
  };
}
