import { getHeader, parseRetryAfter } from '../http/errorMapping';
import { gdapErrorOf } from '../http/gdapError';
import { msg } from '../messages';
import type { HttpResponse } from '../http/transport';
import { backoffSchedule, type BackoffSchedule } from '../time/backoff';
import { pollUntil } from '../time/poll';
import type { WaitOptions } from './gdapApi';
import type { GraphRequester } from './graphRequester';
import type { Relationship, RelationshipOperation } from './models';
import { normaliseOperation } from './normalise';

export interface WaitSettings {
  /** First poll interval when the service gives no Retry-After. Default 2000 ms. */
  readonly pollIntervalMs?: number;
  /** Longest poll interval. Default 15 s. */
  readonly maxPollIntervalMs?: number;
  /** Default deadline of a wait. Default 10 min. */
  readonly waitTimeoutMs?: number;
}

const TERMINAL_OPERATION_STATUSES = new Set(['succeeded', 'failed']);
/** Poll intervals grow by half each time: quick first looks, gentle on the service afterwards. */
const POLL_GROWTH = 1.5;

/**
 * Waits on long-running work: a 202 with a `Location` to follow (docs/api-notes.md §4.6), or a
 * relationship until its status satisfies a predicate. Both are one poll-with-backoff (pollUntil):
 * Retry-After when the service sends it, else a growing interval, a deadline and cancellation.
 */
export class LongRunningWaits {
  constructor(
    private readonly requester: GraphRequester,
    private readonly settings: WaitSettings,
  ) {}

  private timeoutMs(options: WaitOptions): number {
    return options.timeoutMs ?? this.settings.waitTimeoutMs ?? 600_000;
  }

  private interval(options: WaitOptions): BackoffSchedule {
    return backoffSchedule({
      initialMs: options.pollIntervalMs ?? this.settings.pollIntervalMs ?? 2000,
      maxMs: this.settings.maxPollIntervalMs ?? 15_000,
      factor: POLL_GROWTH,
    });
  }

  private retryAfter(response: HttpResponse): number | undefined {
    return parseRetryAfter(getHeader(response.headers, 'retry-after'), this.requester.clock.now());
  }

  /** 202 → poll the operation at the absolute Location until it succeeded or failed. */
  async followOperation(accepted: HttpResponse, relationshipId: string, options: WaitOptions): Promise<RelationshipOperation> {
    const location = getHeader(accepted.headers, 'location');
    if (location === undefined || location.trim() === '') {
      const message = msg('Microsoft Graph accepted the change (202) but sent no Location to follow; refresh to see its outcome.');
      throw gdapErrorOf('invalidResponse', message, { status: 202 });
    }
    const url = this.requester.checkServiceUrl(location.trim(), 'Location');
    const interval = this.interval(options);
    return pollUntil({
      clock: this.requester.clock,
      probe: async () => {
        const response = await this.requester.call('GET', url, { signal: options.signal, expect: [200] });
        return { response, operation: normaliseOperation(this.requester.json(response, msg('an operation')), relationshipId) };
      },
      verdict: ({ response, operation }) => {
        options.onProgress?.(operation.status);
        return TERMINAL_OPERATION_STATUSES.has(operation.status)
          ? { done: true, value: operation }
          : { done: false, retryAfterMs: this.retryAfter(response) };
      },
      interval,
      timeoutMs: this.timeoutMs(options),
      // The service's Retry-After on the 202 says when the first look is worth it.
      firstDelayMs: this.retryAfter(accepted) ?? interval(1),
      signal: options.signal,
      onTimeout: () => gdapErrorOf('timeout', msg('The change is still being applied; stopped waiting. Refresh later to see its outcome.')),
    });
  }

  /** Reads the relationship until `done` holds for it. */
  async waitForRelationship(
    read: () => Promise<Relationship>,
    done: (r: Relationship) => boolean,
    options: WaitOptions,
  ): Promise<Relationship> {
    return pollUntil<Relationship, Relationship>({
      clock: this.requester.clock,
      probe: read,
      verdict: (r) => {
        options.onProgress?.(r.status);
        return done(r) ? { done: true, value: r } : { done: false };
      },
      interval: this.interval(options),
      timeoutMs: this.timeoutMs(options),
      signal: options.signal,
      onTimeout: (r) =>
        gdapErrorOf(
          'timeout',
          r === undefined
            ? msg('Stopped waiting for the relationship before it could be read. Refresh later.')
            : msg('"{0}" is still {1}; stopped waiting. It may still change: refresh later.', r.displayName, r.status),
        ),
    });
  }
}
