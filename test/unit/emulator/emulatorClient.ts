/* eslint-disable @typescript-eslint/no-explicit-any -- conformance tests read untyped JSON replies and compare their shapes */
// A tiny HTTPS client for the emulator tests: trusts the emulator's own CA (never disables checks).
import * as https from 'node:https';
import type { RunningEmulator } from '../../../src/emulator/server';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
}

export function call(emu: RunningEmulator, method: string, pathOrUrl: string, o: CallOptions = {}): Promise<Reply> {
  const url = new URL(pathOrUrl.startsWith('http') ? pathOrUrl : emu.url + pathOrUrl);
  const headers: Record<string, string> = { ...o.headers };
  let payload: string | undefined;
  if (o.form !== undefined) {
    payload = new URLSearchParams(o.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (typeof o.body === 'string') {
    payload = o.body;
    headers['content-type'] ??= 'text/plain';
  } else if (o.body !== undefined) {
    payload = JSON.stringify(o.body);
    headers['content-type'] = 'application/json';
  }
  if (o.token !== undefined) {
    headers.authorization = `Bearer ${o.token}`;
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: emu.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text === '' ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (o.timeoutMs !== undefined) {
      req.setTimeout(o.timeoutMs, () => req.destroy(new Error('client timeout')));
    }
    req.end(payload);
  });
}

/** Polls until `check` passes or the deadline hits (bounded: for time-scaled progress). */
export async function eventually<T>(fn: () => Promise<T>, check: (v: T) => boolean, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!check(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    v = await fn();
  }
  return v;
}

export const REL = '/v1.0/tenantRelationships/delegatedAdminRelationships';
export const CUSTOMERS = '/v1.0/tenantRelationships/delegatedAdminCustomers';
