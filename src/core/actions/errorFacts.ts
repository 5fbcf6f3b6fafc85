import { isGdapError, messageCodeOf, type GdapErrorKind } from '../http/gdapError';
import type { Message } from '../messages';
import type { ItemResult } from './actionTypes';
import { scrubTokens } from './journal';

export interface ErrorFacts {
  readonly kind: GdapErrorKind;
  readonly message: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly status?: number;
  /**
   * `message` as codes with parameters (the error's own, joined), for a face that translates it; only when
   * their English is exactly `message`, so the CLI's text and the translated one never say different things.
   */
  readonly messageCode?: Message;
}

/** Kind, one human line and request ids of any thrown value (core throws GdapError; be defensive). */
export function describeError(error: unknown): ErrorFacts {
  if (isGdapError(error)) {
    const message = scrubTokens(error.message);
    const messageCode = messageCodeOf(error, message);
    return {
      kind: error.kind,
      message,
      ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
      ...(error.clientRequestId !== undefined ? { clientRequestId: error.clientRequestId } : {}),
      ...(error.status !== undefined ? { status: error.status } : {}),
      ...(messageCode !== undefined ? { messageCode } : {}),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'invalidResponse', message: scrubTokens(message) };
}

/** The error's text for a message that carries it: its code when it has one, else its English. */
export function errorText(facts: ErrorFacts): string | Message {
  return facts.messageCode ?? facts.message;
}

/**
 * Whether a failed mutation may nonetheless have been applied by the service: flagged ambiguous by the
 * transport, or a failure after the request may have reached the service (network reset, timeout, lost
 * or malformed response, 5xx). 4xx answers (incl. 429) are definite: the service did not act.
 */
export function mayHaveApplied(error: unknown): boolean {
  if (!isGdapError(error)) {
    return true;
  }
  if ((error as { ambiguous?: boolean }).ambiguous === true) {
    return true;
  }
  return (
    error.kind === 'network' ||
    error.kind === 'timeout' ||
    error.kind === 'server' ||
    error.kind === 'invalidResponse' ||
    error.kind === 'cancelled'
  );
}

/** A `failed` item result from any thrown value. */
export function failedItem(id: string, error: unknown, extra: { name?: string; status?: string | null; prefix?: string } = {}): ItemResult {
  const facts = describeError(error);
  return {
    id,
    outcome: 'failed',
    status: extra.status ?? null,
    error: (extra.prefix ?? '') + facts.message,
    errorKind: facts.kind,
    ...(extra.name !== undefined ? { name: extra.name } : {}),
  };
}
