/** The in-process request/response shapes shared by the HTTP server and `$batch`. */
export interface ApiRequest {
  method: string;
  /** Path below the base URL, e.g. `/v1.0/tenantRelationships/delegatedAdminRelationships`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when none was sent. */
  body: unknown;
  /** Set when the body was not valid JSON. */
  bodyError?: string;
  /** The body as received (control routes accept text/plain). */
  rawText?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined = no body (204). */
  body?: unknown;
  /** A plain-text body instead (`/$count`); sent as is, never JSON-encoded. */
  text?: string;
}

/** A refusal that becomes a Graph (or Partner Center) error body. */
export class ApiError extends Error {
  public readonly kind = 'apiError';

  public constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
