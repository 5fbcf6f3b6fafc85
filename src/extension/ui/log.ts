import * as vscode from 'vscode';
import type { RequestLogEntry } from '../../core/http/requestLog';
import { redact } from '../../core/http/redact';
import { LOG_CHANNEL_NAME } from '../constants';

const RECENT_LIMIT = 2000;

/**
 * The "GDAP Explorer" log channel. Every line passes through core's `redact` so no token,
 * code or secret reaches the channel (docs/architecture.md §3). The last lines are kept in memory so the
 * in-host token-hygiene test can scan exactly what the user could see.
 */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly recent: string[] = [];

  constructor() {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  }

  info(message: string): void {
    this.channel.info(this.keep(message));
  }

  warn(message: string): void {
    this.channel.warn(this.keep(message));
  }

  error(message: string): void {
    this.channel.error(this.keep(message));
  }

  request(entry: RequestLogEntry): void {
    const parts = [
      entry.method,
      entry.url,
      entry.status === undefined ? '—' : String(entry.status),
      `${Math.round(entry.durationMs)} ms`,
      entry.attempt > 1 ? `attempt ${entry.attempt}` : '',
      entry.clientRequestId ? `client-request-id ${entry.clientRequestId}` : '',
      entry.requestId ? `request-id ${entry.requestId}` : '',
      entry.note ?? '',
    ].filter((p) => p !== '');
    const line = parts.join(' ');
    if (entry.status !== undefined && entry.status >= 400) {
      this.warn(line);
    } else {
      this.channel.trace(this.keep(line));
    }
  }

  show(): void {
    this.channel.show(true);
  }

  /** Redacted lines written so far (bounded). */
  lines(): readonly string[] {
    return this.recent;
  }

  dispose(): void {
    this.channel.dispose();
  }

  private keep(message: string): string {
    const safe = redact(message);
    this.recent.push(safe);
    if (this.recent.length > RECENT_LIMIT) {
      this.recent.splice(0, this.recent.length - RECENT_LIMIT);
    }
    return safe;
  }
}
