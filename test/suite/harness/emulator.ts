// Talks to the emulator the runner started (GDAP_EMULATOR_URL, trusting GDAP_EMULATOR_CA for that
// origin only), for tests that assert the emulator's side of an action. No vscode import: the UI
// harness (test/e2e/harness) uses it too, passing the emulator it started as `info`.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

export interface EmulatorInfo {
  url: string;
  caFile: string | undefined;
}

/** The emulator the suite runs against, or undefined when the runner started none. */
export function emulatorInfo(): EmulatorInfo | undefined {
  const url = process.env.GDAP_EMULATOR_URL;
  if (url === undefined || url === '') {
    return undefined;
  }
  const caFile = process.env.GDAP_EMULATOR_CA;
  return { url: url.replace(/\/$/, ''), caFile: caFile === '' ? undefined : caFile };
}

export function requireEmulator(): EmulatorInfo {
  const info = emulatorInfo();
  if (!info) {
    throw new Error('GDAP_EMULATOR_URL is not set: the runner could not start the emulator (is dist/emulator.js built?)');
  }
  return info;
}

/** Sends one request to the emulator; JSON in, JSON (or text) out. Rejects on status >= 400. */
export function emulatorFetch<T = unknown>(
  path: string,
  init: { method?: string; body?: unknown } = {},
  info: EmulatorInfo = requireEmulator(),
): Promise<T> {
  const target = new URL(path, `${info.url}/`);
  const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) {
    headers['content-type'] = typeof init.body === 'string' ? 'text/plain' : 'application/json';
  }
  const ca = info.caFile ? readFileSync(info.caFile, 'utf8') : undefined;
  const send = target.protocol === 'https:' ? request : httpRequest;
  return new Promise<T>((resolve, reject) => {
    const req = send(target, { method: init.method ?? 'GET', headers, ca, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) {
          reject(new Error(`${init.method ?? 'GET'} ${path} -> ${res.statusCode}: ${text.slice(0, 300)}`));
          return;
        }
        try {
          resolve((text === '' ? undefined : JSON.parse(text)) as T);
        } catch {
          resolve(text as T);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface EmulatorState {
  relationships: Array<Record<string, unknown> & { id: string; status: string; displayName?: string }>;
  accessAssignments: Record<string, Array<Record<string, unknown> & { id: string; status: string }>>;
  [key: string]: unknown;
}

export interface EmulatorRequest {
  time: string;
  method: string;
  path: string;
  query?: string;
  status: number;
  headers?: Record<string, string>;
}

export function emulatorState(info?: EmulatorInfo): Promise<EmulatorState> {
  return emulatorFetch<EmulatorState>('/_emulator/state', {}, info);
}

export async function emulatorRequests(info?: EmulatorInfo): Promise<EmulatorRequest[]> {
  const r = await emulatorFetch<{ requests: EmulatorRequest[] }>('/_emulator/requests', {}, info);
  return r.requests;
}

/** Back to a known data set (default: the emulator's start preset). */
export async function resetEmulator(
  options: { preset?: string; seed?: number; customers?: number } = {},
  info?: EmulatorInfo,
): Promise<void> {
  await emulatorFetch('/_emulator/reset', { method: 'POST', body: options }, info);
}

/** Installs a fault SPEC (see the emulator's docs); '' clears. */
export async function setEmulatorFaults(spec: string, info?: EmulatorInfo): Promise<void> {
  await emulatorFetch('/_emulator/faults', { method: 'POST', body: { faults: spec } }, info);
}
