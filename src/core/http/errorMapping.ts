import { english, msg, type Message } from '../messages';
import { GdapError, type GdapErrorKind } from './gdapError';
import { redact } from './redact';

export type ServiceName = 'graph' | 'partnerCenter';

export interface ErrorContext {
  readonly service: ServiceName;
  readonly method?: string;
  readonly url?: string;
  readonly clientRequestId?: string;
  /** Set for non-idempotent requests whose failure leaves the outcome unknown. */
  readonly ambiguous?: boolean;
}

export interface ResponseLike {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function kindForStatus(status: number): GdapErrorKind {
  switch (status) {
    case 401:
      return 'auth';
    case 403:
      return 'forbidden';
    case 404:
    case 410:
      return 'notFound';
    case 409:
      return 'conflict';
    case 412:
      return 'preconditionFailed';
    case 429:
      return 'throttled';
    default:
      if (status >= 500) {
        return 'server';
      }
      return status >= 400 ? 'invalidInput' : 'invalidResponse';
  }
}

const SERVICE_LABEL: Record<ServiceName, string> = { graph: 'Microsoft Graph', partnerCenter: 'Partner Center' };

/**
 * One human line per kind, as a code with parameters (src/core/messages.ts) so that the extension shows it
 * in the display language; the service's own message goes to `serviceMessage` (it is not localised,
 * docs/api-notes.md §9.1) and is passed as a parameter where it is shown.
 */
// Long because: one literal template per kind and variant, so that each can be collected for translation.
export function humanMessageCode(
  kind: GdapErrorKind,
  service: ServiceName,
  details: { status?: number; serviceMessage?: string; retryAfterSeconds?: number } = {},
): Message {
  const label = SERVICE_LABEL[service];
  switch (kind) {
    case 'auth':
      return msg('{0} did not accept the sign-in (HTTP 401). Sign in again.', label);
    case 'forbidden':
      return service === 'graph'
        ? msg(
            'Access denied by Microsoft Graph (HTTP 403). The signed-in user must be in the partner tenant and hold the Partner Center Admin Agent role (Admin Agents group) or a GDAP relationship-admin role, and the app needs admin consent for DelegatedAdminRelationship.ReadWrite.All.',
          )
        : msg(
            'Access denied by Partner Center (HTTP 403). The signed-in user needs the Partner Center Admin Agent role (Admin Agents group), and removing DAP needs a user sign-in (App+User), not an app-only token.',
          );
    case 'notFound':
      return msg(
        '{0} reports that the item does not exist (HTTP {1}); it may have been removed. Refresh and try again.',
        label,
        String(details.status ?? 404),
      );
    case 'preconditionFailed':
      return msg(
        'The item changed since it was read (HTTP 412: its ETag no longer matches). Refresh to get its current state, then try again.',
      );
    case 'conflict':
      return details.serviceMessage
        ? msg("{0} refused the change because it conflicts with the item's current state (HTTP 409): {1}", label, details.serviceMessage)
        : msg("{0} refused the change because it conflicts with the item's current state (HTTP 409).", label);
    case 'throttled':
      return details.retryAfterSeconds !== undefined
        ? msg(
            '{0} is throttling requests (HTTP 429: too many requests). Wait {1} s and try again.',
            label,
            String(details.retryAfterSeconds),
          )
        : msg('{0} is throttling requests (HTTP 429: too many requests). Wait a moment and try again.', label);
    case 'server':
      return msg('{0} had a problem (HTTP {1}). Try again later.', label, String(details.status ?? 500));
    case 'invalidInput':
      return details.serviceMessage
        ? msg('{0} rejected the request (HTTP {1}): {2}', label, String(details.status ?? 400), details.serviceMessage)
        : msg('{0} rejected the request (HTTP {1}).', label, String(details.status ?? 400));
    case 'invalidResponse':
      return details.status !== undefined
        ? msg('{0} sent a response that could not be understood (HTTP {1}).', label, String(details.status))
        : msg('{0} sent a response that could not be understood.', label);
    case 'network':
      return msg('Could not reach {0}. Check the network connection and try again.', label);
    case 'timeout':
      return msg('{0} did not answer in time. Try again.', label);
    case 'cancelled':
      return CANCELLED;
  }
}

const CANCELLED = msg('The operation was cancelled.');
const MAYBE_CARRIED_OUT = msg('The request may or may not have been carried out; refresh to check before trying again.');

/** `humanMessageCode` in English (the CLI's line, the log's). */
export function humanMessage(
  kind: GdapErrorKind,
  service: ServiceName,
  details: { status?: number; serviceMessage?: string; retryAfterSeconds?: number } = {},
): string {
  return english(humanMessageCode(kind, service, details));
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). Undefined when absent or unparsable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const v = value.trim();
  if (v === '') {
    return undefined;
  }
  if (/^\d+(?:\.\d+)?$/.test(v)) {
    return Math.round(Number(v) * 1000);
  }
  const date = Date.parse(v);
  if (Number.isNaN(date)) {
    return undefined;
  }
  return Math.max(0, date - nowMs);
}

interface ParsedBody {
  code?: string;
  message?: string;
  requestId?: string;
  clientRequestId?: string;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  return undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Graph `{error:{code,message,innerError|innererror}}`, Partner Center `{code,description,data,source}` and PC 429 `{statusCode,message}` (docs/api-notes.md §8.8, §9.1). */
export function parseErrorBody(body: unknown): ParsedBody {
  const root = obj(body);
  if (root === undefined) {
    return {};
  }
  const graph = obj(root.error);
  if (graph !== undefined) {
    // The docs spell it both ways (§9.1); innererror may nest.
    let inner = obj(graph.innerError) ?? obj(graph.innererror);
    let requestId: string | undefined;
    let clientRequestId: string | undefined;
    for (let depth = 0; inner !== undefined && depth < 5; depth++) {
      requestId ??= str(inner['request-id']) ?? str(inner.requestId);
      clientRequestId ??= str(inner['client-request-id']) ?? str(inner.clientRequestId);
      inner = obj(inner.innerError) ?? obj(inner.innererror);
    }
    return { code: str(graph.code), message: str(graph.message), requestId, clientRequestId };
  }
  if ('description' in root || 'source' in root) {
    return { code: str(root.code), message: str(root.description) };
  }
  if ('statusCode' in root) {
    return { code: str(root.statusCode), message: str(root.message) };
  }
  return { code: str(root.code), message: str(root.message) };
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) {
    return direct;
  }
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) {
      return v;
    }
  }
  return undefined;
}

export function getHeader(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  return header(headers, name);
}

/** Maps an HTTP error status + already-parsed JSON body (e.g. a `$batch` sub-response) to a GdapError. */
export function errorFromParsedResponse(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  ctx: ErrorContext,
  nowMs: number = Date.now(),
): GdapError {
  const parsed = parseErrorBody(body);
  const kind = kindForStatus(status);
  const retryMs = parseRetryAfter(header(headers, 'retry-after'), nowMs);
  const retryAfterSeconds = retryMs === undefined ? undefined : Math.ceil(retryMs / 1000);
  const serviceMessage = parsed.message === undefined ? undefined : redact(parsed.message).slice(0, 1024);
  const requestId = header(headers, 'request-id') ?? header(headers, 'ms-requestid') ?? parsed.requestId;
  const code = humanMessageCode(kind, ctx.service, { status, serviceMessage, retryAfterSeconds });
  return new GdapError({
    kind,
    status,
    code: parsed.code,
    serviceMessage,
    message: english(code),
    messageCodes: [code],
    requestId,
    clientRequestId:
      ctx.clientRequestId ?? header(headers, 'client-request-id') ?? header(headers, 'ms-correlationid') ?? parsed.clientRequestId,
    retryAfterSeconds,
    ambiguous: ctx.ambiguous,
  });
}

/** Maps an HTTP error response (raw body text) to a GdapError. A body that is not JSON is tolerated. */
export function errorFromResponse(response: ResponseLike, ctx: ErrorContext, nowMs: number = Date.now()): GdapError {
  let body: unknown;
  try {
    body = response.body.trim() === '' ? undefined : JSON.parse(response.body);
  } catch {
    body = undefined;
  }
  return errorFromParsedResponse(response.status, response.headers, body, ctx, nowMs);
}

/** A copy of `error` marked ambiguous (the service may have acted on the request). */
export function markAmbiguous(error: GdapError): GdapError {
  return new GdapError({
    kind: error.kind,
    message: `${error.message} ${english(MAYBE_CARRIED_OUT)}`,
    ...(error.messageCodes !== undefined ? { messageCodes: [...error.messageCodes, MAYBE_CARRIED_OUT] } : {}),
    status: error.status,
    code: error.code,
    serviceMessage: error.serviceMessage,
    requestId: error.requestId,
    clientRequestId: error.clientRequestId,
    retryAfterSeconds: error.retryAfterSeconds,
    ambiguous: true,
    cause: error,
  });
}

export function cancelledError(): GdapError {
  return new GdapError({ kind: 'cancelled', message: english(CANCELLED), messageCodes: [CANCELLED] });
}
