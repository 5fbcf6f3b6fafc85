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

/** What `/_emulator/requests` shows: arrival order, bounded, never a credential header. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  /** Appends an entry for `r` (status 0 until the caller fills it in) and returns it for updating. */
  public add(r: ApiRequest, extra: Partial<RequestLogEntry> = {}): RequestLogEntry {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
      if (k !== 'authorization' && k !== 'cookie') {
        headers[k] = v;
      }
    }
    const e: RequestLogEntry = {
      time: new Date().toISOString(),
      method: r.method,
      path: r.path,
      query: r.query.toString(),
      status: 0,
      headers,
      ...extra,
    };
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
