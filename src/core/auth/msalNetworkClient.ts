import type { HttpTransport } from '../http/transport';
import type { RequestLogger } from '../http/requestLog';
import { gdapErrorOf, isGdapError } from '../http/gdapError';
import { msg } from '../messages';
import type { MsalNetworkModule, MsalNetworkRequestOptions, MsalNetworkResponse } from './msalLoader';

export interface MsalNetworkClientOptions {
  /** Request log (CLI `--verbose`, extension log channel). Gets method, URL without query, status. */
  readonly log?: RequestLogger;
  /** Per-request limit when msal gives none. Default 30 s. */
  readonly timeoutMs?: number;
  /** Cancels in-flight sign-in requests (e.g. the user gave up waiting for the device code). */
  readonly signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * msal-node `INetworkModule` that sends every request through core's `HttpTransport`, so the token
 * endpoints of the emulator are reached with its CA trusted for its origin only (docs/architecture.md §3),
 * and real login hosts with the default trust store. msal never opens a connection of its own.
 */
export function createMsalNetworkClient(transport: HttpTransport, options: MsalNetworkClientOptions = {}): MsalNetworkModule {
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    request: MsalNetworkRequestOptions | undefined,
    timeout: number | undefined,
  ): Promise<MsalNetworkResponse<T>> {
    const started = Date.now();
    const logUrl = url.split('?')[0];
    let status: number | undefined;
    let note: string | undefined;
    try {
      const response = await transport.send({
        method,
        url,
        headers: request?.headers,
        body: method === 'POST' ? (request?.body ?? '') : undefined,
        timeoutMs: timeout !== undefined && timeout > 0 ? timeout : (options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        signal: options.signal,
      });
      status = response.status;
      let body: T;
      try {
        body = JSON.parse(response.body) as T;
      } catch {
        // Same contract as msal's own client: the body must be JSON. The body itself is never quoted
        // (a token endpoint's answer may hold tokens).
        const message = msg(
          'The sign-in service at {0} sent a response that is not JSON (HTTP {1}).',
          new URL(url).host,
          String(response.status),
        );
        throw gdapErrorOf('invalidResponse', message, { status: response.status });
      }
      return { status: response.status, headers: { ...response.headers }, body };
    } catch (e) {
      note = isGdapError(e) ? e.kind : 'error';
      throw e;
    } finally {
      options.log?.({ method, url: logUrl, status, durationMs: Date.now() - started, attempt: 1, note });
    }
  }
  return {
    sendGetRequestAsync<T>(url: string, request?: MsalNetworkRequestOptions, timeout?: number): Promise<MsalNetworkResponse<T>> {
      return send<T>('GET', url, request, timeout);
    },
    sendPostRequestAsync<T>(url: string, request?: MsalNetworkRequestOptions): Promise<MsalNetworkResponse<T>> {
      return send<T>('POST', url, request, undefined);
    },
  };
}
