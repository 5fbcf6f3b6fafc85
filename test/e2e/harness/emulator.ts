// The emulator's control API for UI scenarios, bound to the workbench's emulator.
import type { Workbench } from './workbench';
import {
  emulatorFetch,
  emulatorRequests,
  emulatorState,
  resetEmulator,
  setEmulatorFaults,
  type EmulatorRequest,
  type EmulatorState,
} from '../../suite/harness/emulator';

export type { EmulatorRequest, EmulatorState };

export interface EmulatorControl {
  state(): Promise<EmulatorState>;
  requests(): Promise<EmulatorRequest[]>;
  reset(options?: { preset?: string; seed?: number; customers?: number }): Promise<void>;
  faults(spec: string): Promise<void>;
  fetch<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
}

export function emulatorOf(wb: Workbench): EmulatorControl {
  const info = wb.emulatorInfo();
  return {
    state: () => emulatorState(info),
    requests: () => emulatorRequests(info),
    reset: (options = {}) => resetEmulator(options, info),
    faults: (spec) => setEmulatorFaults(spec, info),
    fetch: <T = unknown>(path: string, init: { method?: string; body?: unknown } = {}) => emulatorFetch<T>(path, init, info),
  };
}

/**
 * From now on: whether a GET of a path ending in `pathEnd` (e.g. `/delegatedAdminRelationships/<id>`, a
 * plan's fresh read of its target, also inside a `$batch`) reached the emulator.
 */
export async function readSince(emu: EmulatorControl, pathEnd: string): Promise<() => Promise<boolean>> {
  const before = (await emu.requests()).length;
  return async () => (await emu.requests()).slice(before).some((r) => r.method === 'GET' && r.path.endsWith(pathEnd));
}

/**
 * Waits until the emulator has seen no new request for `quietMs` (at most `timeoutMs`): after a sign-in
 * the tree's load is followed by its background pass over Partner Center's DAP state, whose answers
 * re-render the customer rows, and a click or key that lands during a re-render can hit a row being
 * replaced. Returns whether it went quiet (the caller goes on either way).
 */
export async function settled(emu: EmulatorControl, quietMs = 1_500, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let count = (await emu.requests()).length;
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = (await emu.requests()).length;
    if (now !== count) {
      count = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return true;
    }
  }
  return false;
}
