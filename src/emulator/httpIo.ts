import type * as http from 'node:http';
import type { ApiRequest } from './apiTypes';

/** Reading requests and writing answers on the raw Node HTTP objects; nothing here knows a route. */
const MAX_BODY = 5 * 1024 * 1024;

/** The whole body as text, or undefined when it is larger than MAX_BODY (answered 413) or the read failed. */
export function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooBig = true;
      } else {
        chunks.push(c);
      }
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

/** Lower-cased headers and a body parsed by its content type (form, text or JSON; a JSON error is kept, not thrown). */
export function toApiRequest(req: http.IncomingMessage, url: URL, text: string): ApiRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) {
      headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
  }
  const r: ApiRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: undefined,
    rawText: text,
  };
  const ctype = headers['content-type'] ?? '';
  if (text !== '') {
    if (ctype.includes('application/x-www-form-urlencoded')) {
      r.body = new URLSearchParams(text);
    } else if (ctype.startsWith('text/plain')) {
      r.body = text;
    } else {
      try {
        r.body = JSON.parse(text) as unknown;
      } catch (e) {
        r.bodyError = e instanceof Error ? e.message : 'invalid JSON';
      }
    }
  }
  return r;
}

export function send(res: http.ServerResponse, status: number, headers: Record<string, string>, raw: string | undefined): void {
  if (res.destroyed) {
    return;
  }
  const h: Record<string, string> = { ...headers };
  if (raw !== undefined) {
    h['content-type'] ??= 'application/json';
    h['content-length'] = String(Buffer.byteLength(raw));
  }
  res.writeHead(status, h);
  res.end(raw);
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}
