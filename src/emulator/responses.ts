import { randomUUID } from 'node:crypto';
import type { ApiRequest, ApiResponse } from './apiTypes';

/**
 * Response shapes shared by every router: the Graph and Partner Center error bodies, the throttling
 * answers and the injected fault statuses (docs/api-notes.md §8.8, §9).
 */
export type Family = 'graph' | 'partnerCenter';

export function requestIds(r: ApiRequest): { requestId: string; clientRequestId: string } {
  return { requestId: randomUUID(), clientRequestId: r.headers['client-request-id'] ?? randomUUID() };
}

export function graphErrorBody(
  code: string,
  message: string,
  r: ApiRequest,
  ids = requestIds(r),
  inner: Record<string, string> = {},
): Record<string, unknown> {
  return {
    error: {
      code,
      message,
      innerError: {
        ...inner,
        date: new Date().toISOString().replace(/\.\d+Z$/, ''),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}

/** Adds the per-family id headers to successful answers too (request-id / MS-RequestId). */
export function decorate(res: ApiResponse, family: Family, r: ApiRequest): ApiResponse {
  const ids = requestIds(r);
  const headers: Record<string, string> =
    family === 'graph'
      ? { 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId }
      : {
          'ms-requestid': r.headers['ms-requestid'] ?? ids.requestId,
          'ms-correlationid': r.headers['ms-correlationid'] ?? ids.clientRequestId,
        };
  return { ...res, headers: { ...headers, ...res.headers } };
}

export function errorResponse(
  family: Family,
  status: number,
  code: string,
  message: string,
  r: ApiRequest,
  extra: Record<string, string> = {},
): ApiResponse {
  if (family === 'partnerCenter') {
    // Partner Center error shape (docs/api-notes.md §8.8); numeric codes are sent as numbers, as in the code table.
    const body = { code: /^\d+$/.test(code) ? Number(code) : code, description: message, data: [], source: 'PartnerFD' };
    return decorate({ status, headers: { 'content-type': 'application/json', ...extra }, body }, family, r);
  }
  const ids = requestIds(r);
  return {
    status,
    headers: { 'content-type': 'application/json', 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId, ...extra },
    body: graphErrorBody(code, message, r, ids),
  };
}

export function unauthorized(family: Family, reason: string, r: ApiRequest, baseUrl: string): ApiResponse {
  const challenge =
    family === 'graph'
      ? `Bearer realm="", authorization_uri="${baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`
      : `Bearer error="invalid_token", error_description="${reason.replace(/"/g, "'")}"`;
  return family === 'graph'
    ? errorResponse('graph', 401, 'InvalidAuthenticationToken', reason, r, { 'www-authenticate': challenge })
    : errorResponse('partnerCenter', 401, '800001', `Unauthorized: ${reason}`, r, { 'www-authenticate': challenge });
}

/**
 * Partner Center App+User call with a token lacking MFA: 401 with a claims challenge the client passes to the
 * token endpoint as `claims` (docs/emulator.md "Partner Center and MFA").
 */
export function mfaChallenge(r: ApiRequest, baseUrl: string, claims: unknown): ApiResponse {
  const encoded = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64');
  const challenge = `Bearer realm="", authorization_uri="${baseUrl}/common/oauth2/authorize", error="insufficient_claims", claims="${encoded}"`;
  return errorResponse('partnerCenter', 401, '800001', 'Multi-factor authentication is required: the access token has no mfa in amr.', r, {
    'www-authenticate': challenge,
  });
}

export function throttled(family: Family, retryAfter: number, r: ApiRequest): ApiResponse {
  if (family === 'partnerCenter') {
    // Partner Center's 429 is {statusCode, message}, not its error shape (docs/api-notes.md §8.8).
    return decorate(
      {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': String(retryAfter) },
        body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter} seconds.` },
      },
      family,
      r,
    );
  }
  const ids = requestIds(r);
  return {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'retry-after': String(retryAfter),
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
    },
    body: graphErrorBody('TooManyRequests', 'Please retry again later.', r, ids, { code: '429', status: '429' }),
  };
}

/** Injected status faults: Retry-After on 429 and 503, as Graph sends them (docs/api-notes.md §9.2). */
export function faultStatus(family: Family, status: number, retryAfter: number, r: ApiRequest): ApiResponse {
  if (status === 429) {
    return throttled(family, retryAfter, r);
  }
  const codes: Record<number, [string, string]> = {
    500: ['generalException', 'An unexpected error occurred (injected fault).'],
    502: ['badGateway', 'Bad gateway (injected fault).'],
    503: ['serviceNotAvailable', 'The service is temporarily unavailable (injected fault).'],
    504: ['gatewayTimeout', 'Gateway timeout (injected fault).'],
  };
  const [code, message] = codes[status] ?? ['generalException', 'Injected fault.'];
  return errorResponse(
    family,
    status,
    family === 'graph' ? code : String(status),
    message,
    r,
    status === 503 ? { 'retry-after': String(retryAfter) } : {},
  );
}

/** `schema` fault: one field of the first entity gets the wrong type (status or id becomes a number). */
export function corruptSchema(body: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(body ?? {})) as Record<string, unknown>;
  const target = (o: Record<string, unknown>): void => {
    if ('status' in o) {
      o.status = 12345;
    } else if ('id' in o) {
      o.id = 12345;
    } else {
      o.corrupted = true;
    }
  };
  const arr = Array.isArray(copy.value) ? copy.value : Array.isArray(copy.items) ? copy.items : undefined;
  if (arr !== undefined) {
    if (arr.length > 0 && typeof arr[0] === 'object' && arr[0] !== null) {
      target(arr[0] as Record<string, unknown>);
    } else {
      copy[Array.isArray(copy.value) ? 'value' : 'items'] = 'not-a-list';
    }
  } else {
    target(copy);
  }
  return copy;
}
