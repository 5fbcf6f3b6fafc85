import type * as http from 'node:http';
import type { ApiRequest, ApiResponse } from './apiTypes';
import type { FaultInjector } from './faults';
import { send } from './httpIo';
import { SeededRandom } from './random';
import type { RequestLogEntry } from './requestLog';
import { type Family, corruptSchema, faultStatus } from './responses';

const TIMEOUT_HOLD_MS = 60_000;

export interface FaultMiddlewareOptions {
  latencyMs: number;
  jitterMs: number;
  faultSeed: number;
  retryAfterSeconds: number;
}

/**
 * Wraps every API request (Graph, `$batch`, Partner Center): one seeded fault roll, then the handler,
 * then latency, then the answer — or a connection cut (docs/emulator.md "Faults"). Timers it holds are
 * tracked so `close()` never waits for them.
 */
export class FaultMiddleware {
  private readonly jitter: SeededRandom;
  private readonly held = new Set<NodeJS.Timeout>();

  public constructor(
    private readonly faults: FaultInjector,
    private readonly o: FaultMiddlewareOptions,
  ) {
    this.jitter = new SeededRandom(o.faultSeed ^ 0x1234567);
  }

  public async serve(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    r: ApiRequest,
    entry: RequestLogEntry,
    family: Family,
    handler: () => ApiResponse,
  ): Promise<void> {
    const forced = this.faults.failNext.take(r.method, r.path);
    if (forced !== undefined) {
      entry.failNext = forced;
      const answer = faultStatus(family, forced, this.o.retryAfterSeconds, r);
      await this.delay();
      entry.status = answer.status;
      send(res, answer.status, answer.headers, answer.text ?? JSON.stringify(answer.body));
      return;
    }
    const fault = this.faults.roll();
    if (fault !== undefined) {
      entry.fault = fault;
    }
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      this.hold(req, res);
      return;
    }
    const response =
      fault !== undefined && /^\d+$/.test(fault) ? faultStatus(family, Number(fault), this.o.retryAfterSeconds, r) : handler();
    let raw: string | undefined = response.text ?? (response.body === undefined ? undefined : JSON.stringify(response.body));
    const corruptible = response.status === 200 && response.text === undefined && raw !== undefined;
    if (fault === 'schema' && corruptible) {
      raw = JSON.stringify(corruptSchema(response.body));
    } else if (fault === 'malformed' && corruptible && raw !== undefined) {
      raw = raw.slice(0, Math.max(1, Math.floor(raw.length / 2)));
    } else if (fault === 'schema' || fault === 'malformed') {
      delete entry.fault; // only a 200 JSON answer can be corrupted
    }
    await this.delay();
    entry.status = response.status;
    if (fault === 'lost') {
      // Processed, then the answer never arrives: the ambiguous case for clients.
      req.socket.destroy();
      return;
    }
    send(res, response.status, response.headers, raw);
  }

  /** Drops every held timer (server shutdown). */
  public clear(): void {
    for (const t of this.held) {
      clearTimeout(t);
    }
    this.held.clear();
  }

  private hold(req: http.IncomingMessage, res: http.ServerResponse): void {
    const t = setTimeout(() => {
      this.held.delete(t);
      req.socket.destroy();
    }, TIMEOUT_HOLD_MS);
    this.held.add(t);
    // The hold ends early when the client gives up.
    res.on('close', () => {
      clearTimeout(t);
      this.held.delete(t);
    });
  }

  private async delay(): Promise<void> {
    const wait = this.o.latencyMs + (this.o.jitterMs > 0 ? Math.floor(this.jitter.next() * (this.o.jitterMs + 1)) : 0);
    if (wait <= 0) {
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.held.delete(t);
        resolve();
      }, wait);
      this.held.add(t);
    });
  }
}
