// @ts-check
// Every process the harness starts is spawned in its own process group and registered here, so that
// it is stopped by PID (the group) on every exit path: normal return, thrown error, test failure,
// SIGINT/SIGTERM/SIGHUP, and its own hard time bound.
import { spawn } from 'node:child_process';

/**
 * @typedef {object} TrackedProcess
 * @property {string} name
 * @property {number | undefined} pid
 * @property {import('node:child_process').ChildProcess} child
 * @property {boolean} exited
 * @property {Promise<{ code: number | null; signal: NodeJS.Signals | null }>} exitPromise
 * @property {NodeJS.Timeout} [timer]
 */

/** @type {Set<TrackedProcess>} */
const tracked = new Set();
let handlersInstalled = false;

/**
 * @param {number | undefined} pid
 * @param {NodeJS.Signals} signal
 */
function killGroup(pid, signal) {
  if (pid === undefined) {
    return false;
  }
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

function installHandlers() {
  if (handlersInstalled) {
    return;
  }
  handlersInstalled = true;
  // Last resort on any exit: synchronous SIGKILL of whatever is still running.
  process.on('exit', () => {
    for (const t of tracked) {
      killGroup(t.pid, 'SIGKILL');
    }
  });
  for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(sig, () => {
      void stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

/**
 * Spawns `cmd` detached (own process group) and tracks it. `timeoutMs` is a hard bound on its
 * lifetime: past it the group is killed and `onTimeout` is called.
 *
 * @param {string} cmd
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions & { name?: string; timeoutMs?: number; onTimeout?: () => void }} [options]
 * @returns {TrackedProcess}
 */
export function spawnTracked(cmd, args, { name = cmd, timeoutMs, onTimeout, ...options } = {}) {
  installHandlers();
  const child = spawn(cmd, args, { ...options, detached: true });
  /** @type {TrackedProcess} */
  const entry = {
    name,
    pid: child.pid,
    child,
    exited: false,
    exitPromise: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  child.on('error', () => {
    entry.exited = true;
  });
  void entry.exitPromise.then(() => {
    entry.exited = true;
    tracked.delete(entry);
    if (entry.timer) {
      clearTimeout(entry.timer);
    }
  });
  if (timeoutMs) {
    entry.timer = setTimeout(() => {
      console.error(`[harness] ${name} (pid ${child.pid}) exceeded its time bound of ${Math.round(timeoutMs / 1000)} s; stopping it`);
      void stopTracked(entry);
      onTimeout?.();
    }, timeoutMs);
    entry.timer.unref();
  }
  tracked.add(entry);
  return entry;
}

/**
 * SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited.
 *
 * @param {TrackedProcess | null | undefined} entry
 * @returns {Promise<void>}
 */
export async function stopTracked(entry, graceMs = 3000) {
  if (!entry || entry.exited || entry.pid === undefined) {
    return;
  }
  killGroup(entry.pid, 'SIGTERM');
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), graceMs));
  const r = await Promise.race([entry.exitPromise, timer]);
  if (r === 'timeout') {
    killGroup(entry.pid, 'SIGKILL');
    await Promise.race([entry.exitPromise, new Promise((resolve) => setTimeout(resolve, 1000))]);
  } else {
    // the leader is gone; children it left in the group are not
    killGroup(entry.pid, 'SIGKILL');
  }
  tracked.delete(entry);
}

/** @returns {Promise<void>} */
export async function stopAll() {
  await Promise.all([...tracked].map((t) => stopTracked(t)));
}
