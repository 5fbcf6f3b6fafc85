import type { TokenProvider } from '../auth/tokenProvider';
import type { Clock } from './clock';
import type { ServiceEndpoints } from './clouds';
import type { RequestLogger } from './requestLog';
import type { RetryPolicyOptions } from './retryPolicy';
import type { ThrottleGate } from './throttleGate';
import type { HttpTransport } from './transport';

/** What every service client of core is built from: the Graph and the Partner Center clients alike. */
export interface ServiceClientOptions {
  readonly endpoints: ServiceEndpoints;
  readonly tokens: TokenProvider;
  /** Core's HttpTransport (emulator CA trust per origin, Authorization allow-list). */
  readonly transport: HttpTransport;
  readonly log?: RequestLogger;
  readonly retry?: RetryPolicyOptions;
  /** Injectable for tests (fake timers / virtual time). */
  readonly clock?: Clock;
  /** Shared throttle gate; one is created when absent. */
  readonly throttleGate?: ThrottleGate;
  /** Per-attempt timeout. Default: the transport's (60 s). */
  readonly timeoutMs?: number;
}
