/** One line of the request log (extension log channel, CLI `--verbose`). Never carries a token. */
export interface RequestLogEntry {
  readonly method: string;
  /** Redacted URL (no secrets in the query). For $batch sub-requests, the sub-request's URL. */
  readonly url: string;
  readonly status?: number;
  readonly durationMs: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly clientRequestId?: string;
  readonly requestId?: string;
  /** Short reason when the attempt failed or will be retried. */
  readonly note?: string;
}

export type RequestLogger = (entry: RequestLogEntry) => void;
