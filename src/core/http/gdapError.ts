import { english, msg, type Message } from '../messages';

/**
 * The one error type of core. Recognised by its `kind` field, never by `instanceof`
 * (errors cross bundle boundaries and the extension host).
 */
export type GdapErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'preconditionFailed'
  | 'conflict'
  | 'throttled'
  | 'server'
  | 'network'
  | 'timeout'
  | 'invalidResponse'
  | 'invalidInput'
  | 'cancelled';

/**
 * A claims challenge of a 401 (`WWW-Authenticate: Bearer error="insufficient_claims", claims="…"`,
 * docs/api-notes.md §15.6): the service wants a token that satisfies `claims` (e.g. MFA). It is answered by a
 * new sign-in that sends `claims`, never by sending the request again with the same token.
 */
export interface ClaimsChallenge {
  /** The decoded claims request (JSON text), sent as the token request's `claims`. Not for display or logs. */
  readonly claims: string;
  /** The claims ask for an `amr` containing `mfa`. */
  readonly mfa: boolean;
  /** The raw header, for sign-in APIs that take the challenge as is (VS Code's). Not for display or logs. */
  readonly wwwAuthenticate: string;
}

export interface GdapErrorInit {
  readonly kind: GdapErrorKind;
  /** One human line that says what happened and what to do. Never contains a token. */
  readonly message: string;
  /**
   * `message` as codes with parameters, one per sentence (src/core/messages.ts), for a face that shows it
   * in the user's language; absent where a message has no code yet (then `message` is shown as is).
   */
  readonly messageCodes?: readonly Message[];
  readonly status?: number;
  /** Graph `error.code` or Partner Center `code` (numbers kept as strings). */
  readonly code?: string;
  /** The service's own message, for the log; not for display as the main line. */
  readonly serviceMessage?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  /** Seconds, from Retry-After, when the service sent one. */
  readonly retryAfterSeconds?: number;
  /**
   * True when a non-idempotent request (a POST) failed in a way that leaves it unknown whether the
   * service acted on it (timeout, reset, lost response, 500/502/504). Callers reconcile by reading
   * the target, never by sending the request again.
   */
  readonly ambiguous?: boolean;
  /** Set on an `auth` error when the service answered with a claims challenge. */
  readonly claimsChallenge?: ClaimsChallenge;
  readonly cause?: unknown;
}

export class GdapError extends Error {
  readonly kind: GdapErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly serviceMessage?: string;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly retryAfterSeconds?: number;
  readonly ambiguous?: boolean;
  readonly messageCodes?: readonly Message[];
  /** Non-enumerable: kept out of JSON dumps of the error (docs/api-notes.md §15.6). */
  declare readonly claimsChallenge?: ClaimsChallenge;

  constructor(init: GdapErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GdapError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.serviceMessage = init.serviceMessage;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.ambiguous === true) {
      this.ambiguous = true;
    }
    if (init.messageCodes !== undefined) {
      this.messageCodes = init.messageCodes;
    }
    if (init.claimsChallenge !== undefined) {
      Object.defineProperty(this, 'claimsChallenge', { value: init.claimsChallenge, enumerable: false });
    }
  }
}

/**
 * A GdapError whose English `message` is `english(message)` and whose `messageCodes` carry `message`, so the CLI
 * prints the English and the extension shows it in the display language (docs/architecture.md §2.15).
 */
export function gdapErrorOf(
  kind: GdapErrorKind,
  message: Message,
  init: Omit<GdapErrorInit, 'kind' | 'message' | 'messageCodes'> = {},
): GdapError {
  return new GdapError({ ...init, kind, message: english(message), messageCodes: [message] });
}

/**
 * An error's codes as one message (joined as its English joins them: code after code), only when they read
 * exactly as `message` (by default the error's own), so the CLI's text and a translated one never differ.
 */
export function messageCodeOf(error: GdapError, message: string = error.message): Message | undefined {
  const codes = error.messageCodes;
  if (codes === undefined || codes.length === 0) {
    return undefined;
  }
  const whole = joined(codes);
  return english(whole) === message ? whole : undefined;
}

/** Codes read one after the other, as the error's English joins them. */
function joined(codes: readonly Message[]): Message {
  return codes.length === 1 ? codes[0] : msg('{0} {1}', codes[0], joined(codes.slice(1)));
}

/**
 * An error's text to carry inside another message: its code when it has one that reads as its `message` (so a
 * face translates it too), its English `message` otherwise.
 */
export function innerMessage(error: GdapError): Message | string {
  return messageCodeOf(error) ?? error.message;
}

/** The claims challenge an error carries (structural, like `isGdapError`); undefined for any other value. */
export function claimsChallengeOf(value: unknown): ClaimsChallenge | undefined {
  if (!isGdapError(value) || value.kind !== 'auth') {
    return undefined;
  }
  const c = (value as { claimsChallenge?: unknown }).claimsChallenge;
  return typeof c === 'object' && c !== null && typeof (c as { claims?: unknown }).claims === 'string' ? (c as ClaimsChallenge) : undefined;
}

/** Structural check: works across bundles, unlike `instanceof`. */
export function isGdapError(value: unknown): value is GdapError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'GdapError' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}
