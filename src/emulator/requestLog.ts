import type { ApiRequest } from './apiTypes';
import type { FaultKind } from './faults';

export interface RequestLogEntry {
  time: string;
  method: string;
  path: string;
  query: string;
  /** HTTP status sent (0 when the fault cut the connection before any answer). */
  status: number;
  /** Request headers without Authorization (and Cookie). */
  headers: Record<string, string>;
  /** Fault applied to this request, if any. */
  fault?: FaultKind;
  /** The status a `/_emulator/failNext` rule answered this request with, if one did. */
  failNext?: number;
  /** For `$batch` sub-requests: the sub-request id, and the batch's own log index. */
  batchRequestId?: string;
  batchIndex?: number;
}

const MAX_LOG = 50_000;
const TRIM_STEP = 5_000;

/**
 * One logged request. Its time and query text are rendered when the log is read, not on every request:
 * a `$batch` logs each of its 20 sub-requests, and formatting a date and a query for each was a
 * visible part of the emulator's time per batch (BENCHMARKS.md, "Inventory, sixth pass").
 */
class LoggedRequest implements RequestLogEntry {
  public status = 0;
  public fault?: FaultKind;
  public failNext?: number;
  public batchRequestId?: string;
  public batchIndex?: number;
  private queryText: string | undefined;

  public constructor(
    private readonly at: number,
    public readonly method: string,
    public readonly path: string,
    private readonly params: URLSearchParams,
    public readonly headers: Record<string, string>,
  ) {}

  public get time(): string {
    return new Date(this.at).toISOString();
  }

  public get query(): string {
    this.queryText ??= this.params.toString();
    return this.queryText;
  }

  /** The entry as `/_emulator/requests` shows it. */
  public toJSON(): RequestLogEntry {
    const e: RequestLogEntry = {
      time: this.time,
      method: this.method,
      path: this.path,
      query: this.query,
      status: this.status,
      headers: this.headers,
    };
    if (this.fault !== undefined) {
      e.fault = this.fault;
    }
    if (this.failNext !== undefined) {
      e.failNext = this.failNext;
    }
    if (this.batchRequestId !== undefined) {
      e.batchRequestId = this.batchRequestId;
    }
    if (this.batchIndex !== undefined) {
      e.batchIndex = this.batchIndex;
    }
    return e;
  }
}

/** What `/_emulator/requests` shows: arrival order, bounded, never a credential header. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** Appends an entry for `r` (status 0 until the caller fills it in) and returns it for updating. */
  public add(r: ApiRequest, batch?: { readonly batchRequestId: string; readonly batchIndex: number }): RequestLogEntry {
    const headers: Record<string, string> = {};
    for (const k in r.headers) {
      if (k !== 'authorization' && k !== 'cookie') {
        headers[k] = r.headers[k];
      }
    }
    const e = new LoggedRequest(Date.now(), r.method, r.path, r.query, headers);
    if (batch !== undefined) {
      e.batchRequestId = batch.batchRequestId;
      e.batchIndex = batch.batchIndex;
    }
    this.entries.push(e);
    // Trimmed in steps, not on every add: once full, copying 50,000 entries per request made a long
    // run's requests cost more and more of the emulator's CPU.
    if (this.entries.length > MAX_LOG + TRIM_STEP) {
      this.entries = this.entries.slice(this.entries.length - MAX_LOG);
    }
    return e;
  }

  public indexOf(e: RequestLogEntry): number {
    return this.entries.lastIndexOf(e);
  }

  public list(): RequestLogEntry[] {
    return this.entries.slice();
  }

  public clear(): void {
    this.entries = [];
  }
}
