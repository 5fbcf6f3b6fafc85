import { GdapError, type GdapErrorKind } from '../../../../src/core/http/gdapError';

/** One injected failure of a mutation: thrown before (not applied) or after (applied) the change. */
export interface FaultSpec {
  readonly kind: GdapErrorKind;
  /** True: the service applied the change and the response was lost. */
  readonly applied: boolean;
  readonly status?: number;
  readonly requestId?: string;
}

export function faultError(fault: FaultSpec): GdapError {
  const ambiguous = fault.kind === 'network' || fault.kind === 'timeout' || fault.kind === 'server';
  return new GdapError({
    kind: fault.kind,
    message: `Injected ${fault.kind} fault.`,
    ...(fault.status !== undefined ? { status: fault.status } : {}),
    requestId: fault.requestId ?? 'req-injected',
    clientRequestId: 'client-req-injected',
    ...(ambiguous ? { ambiguous: true } : {}),
  });
}

/** Queues of faults per method name, consumed one per call. */
export class FaultQueue {
  private readonly queues = new Map<string, FaultSpec[]>();

  add(method: string, ...faults: FaultSpec[]): void {
    this.queues.set(method, [...(this.queues.get(method) ?? []), ...faults]);
  }

  take(method: string): FaultSpec | undefined {
    return this.queues.get(method)?.shift();
  }
}

export function notFound(what: string): GdapError {
  return new GdapError({ kind: 'notFound', status: 404, message: `${what} was not found.` });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
