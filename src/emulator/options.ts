import { parseFaultSpec } from './faults';

/** Emulator options: one field per command-line option of `node dist/emulator.js` / `gdap emulator`. */
export type EmulatorPreset = 'empty' | 'demo' | 'large' | 'xl';

export interface EmulatorOptions {
  /** 0 = any free port (default). */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
  preset?: EmulatorPreset;
  /** Overrides the preset's customer count. */
  customers?: number;
  seed?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Default page size when `$top` (Graph) is absent; default 100. */
  pageSize?: number;
  /** Token bucket rate for API routes; 0 / absent = unlimited. */
  throttleRps?: number;
  /** Comma list of `kind:probability` (see faults.ts). */
  faults?: string;
  faultSeed?: number;
  /** Speed of the service's own progress: 2 = twice as fast. Default 1. */
  timeScale?: number;
  /** Value of `Retry-After` on 202s and 429s. Default 1. */
  retryAfterSeconds?: number;
  /** PEM files to serve instead of a generated certificate (both or neither). */
  cert?: string;
  key?: string;
  /** Plain HTTP instead of HTTPS (debugging with curl). */
  http?: boolean;
  /** Whether the signed-in user is in the partner's Admin Agents group (docs/api-notes.md §3.19). Default true. */
  adminAgents?: boolean;
  /** Seconds the device-code endpoint tells clients to wait between polls. Default 1. */
  deviceCodeIntervalSeconds?: number;
  /** Lifetime of issued access tokens. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Directory for the CA PEM file; default the OS temp directory. */
  stateDir?: string;
  /** Refuse Partner Center App+User calls whose token has no `mfa` in `amr` (401 + claims challenge). Default false. */
  requirePcMfa?: boolean;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  preset: EmulatorPreset;
  customers: number | undefined;
  seed: number;
  latencyMs: number;
  jitterMs: number;
  pageSize: number;
  throttleRps: number;
  faults: string;
  faultSeed: number;
  timeScale: number;
  retryAfterSeconds: number;
  cert: string | undefined;
  key: string | undefined;
  http: boolean;
  adminAgents: boolean;
  deviceCodeIntervalSeconds: number;
  tokenLifetimeSeconds: number;
  stateDir: string | undefined;
  /** Mutable at run time through `POST /_emulator/partner-center`. */
  requirePcMfa: boolean;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const PRESETS = new Set<EmulatorPreset>(['empty', 'demo', 'large', 'xl']);

export class EmulatorUsageError extends Error {
  public readonly kind = 'usage';
}

function nonNegativeInt(name: string, v: number | undefined, dflt: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) {
    return dflt;
  }
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new EmulatorUsageError(`${name} must be an integer between 0 and ${max} (got ${String(v)})`);
  }
  return v;
}

/** Fills defaults and validates; throws EmulatorUsageError with one human line. */
export function resolveOptions(o: EmulatorOptions): ResolvedOptions {
  const host = o.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new EmulatorUsageError(`--host must be a loopback address (127.0.0.1, localhost or ::1), got ${host}`);
  }
  const preset = o.preset ?? 'demo';
  if (!PRESETS.has(preset)) {
    throw new EmulatorUsageError(`--preset must be empty, demo, large or xl (got ${String(preset)})`);
  }
  const timeScale = o.timeScale ?? 1;
  if (!Number.isFinite(timeScale) || timeScale <= 0) {
    throw new EmulatorUsageError(`--time-scale must be a positive number (got ${String(timeScale)})`);
  }
  if ((o.cert === undefined) !== (o.key === undefined)) {
    throw new EmulatorUsageError('--cert and --key must be given together');
  }
  const pageSize = nonNegativeInt('--page-size', o.pageSize, 100, 300);
  if (pageSize < 1) {
    throw new EmulatorUsageError('--page-size must be between 1 and 300');
  }
  return {
    port: nonNegativeInt('--port', o.port, 0, 65535),
    host,
    preset,
    customers: o.customers === undefined ? undefined : nonNegativeInt('--customers', o.customers, 0, 100000),
    seed: nonNegativeInt('--seed', o.seed, 1, 2 ** 32 - 1),
    latencyMs: nonNegativeInt('--latency-ms', o.latencyMs, 0, 600000),
    jitterMs: nonNegativeInt('--jitter-ms', o.jitterMs, 0, 600000),
    pageSize,
    throttleRps: nonNegativeInt('--throttle-rps', o.throttleRps, 0, 1000000),
    faults: o.faults ?? '',
    faultSeed: nonNegativeInt('--fault-seed', o.faultSeed, 1, 2 ** 32 - 1),
    timeScale,
    retryAfterSeconds: nonNegativeInt('--retry-after-seconds', o.retryAfterSeconds, 1, 86400),
    cert: o.cert,
    key: o.key,
    http: o.http ?? false,
    adminAgents: o.adminAgents ?? true,
    deviceCodeIntervalSeconds: nonNegativeInt('deviceCodeIntervalSeconds', o.deviceCodeIntervalSeconds, 1, 60),
    tokenLifetimeSeconds: nonNegativeInt('tokenLifetimeSeconds', o.tokenLifetimeSeconds, 3600, 86400),
    stateDir: o.stateDir,
    requirePcMfa: o.requirePcMfa ?? false,
  };
}

const NUMERIC_FLAGS: Record<string, keyof EmulatorOptions> = {
  '--port': 'port',
  '--customers': 'customers',
  '--seed': 'seed',
  '--latency-ms': 'latencyMs',
  '--jitter-ms': 'jitterMs',
  '--page-size': 'pageSize',
  '--throttle-rps': 'throttleRps',
  '--fault-seed': 'faultSeed',
  '--time-scale': 'timeScale',
  '--retry-after-seconds': 'retryAfterSeconds',
};
const STRING_FLAGS: Record<string, keyof EmulatorOptions> = {
  '--host': 'host',
  '--preset': 'preset',
  '--faults': 'faults',
  '--cert': 'cert',
  '--key': 'key',
  '--state-dir': 'stateDir',
};

export const EMULATOR_USAGE = `usage: emulator [--port N] [--host 127.0.0.1] [--preset empty|demo|large|xl] [--customers N]
  [--seed N] [--latency-ms N] [--jitter-ms N] [--page-size N] [--throttle-rps N]
  [--faults kind:p,...] [--fault-seed N] [--time-scale X] [--retry-after-seconds N]
  [--cert FILE --key FILE] [--http] [--no-admin-agents] [--require-pc-mfa] [--state-dir DIR]`;

/**
 * Parses command-line arguments (`--name value` or `--name=value`). Throws EmulatorUsageError with one
 * line naming the bad option; returns `help: true` for --help.
 */
export function parseEmulatorArgs(argv: readonly string[]): { options: EmulatorOptions; help: boolean } {
  const options: EmulatorOptions = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      inline = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const takeValue = (): string => {
      if (inline !== undefined) {
        return inline;
      }
      const v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2)) {
        throw new EmulatorUsageError(`${arg} needs a value`);
      }
      i++;
      return v;
    };
    if (arg === '--help' || arg === '-h') {
      help = true;
    } else if (arg === '--http') {
      options.http = true;
    } else if (arg === '--no-admin-agents') {
      options.adminAgents = false;
    } else if (arg === '--require-pc-mfa') {
      options.requirePcMfa = true;
    } else if (arg in NUMERIC_FLAGS) {
      const raw = takeValue();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        throw new EmulatorUsageError(`${arg} needs a number (got ${raw})`);
      }
      (options as Record<string, unknown>)[NUMERIC_FLAGS[arg]] = n;
    } else if (arg in STRING_FLAGS) {
      (options as Record<string, unknown>)[STRING_FLAGS[arg]] = takeValue();
    } else {
      throw new EmulatorUsageError(`unknown option ${arg}`);
    }
  }
  resolveOptions(options);
  if (options.faults !== undefined) {
    // Validated here so a bad SPEC fails at start-up with exit 2, not on the first request.
    parseFaultSpec(options.faults);
  }
  return { options, help };
}
