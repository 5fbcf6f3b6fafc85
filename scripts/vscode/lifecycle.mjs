// Every process the harness starts is spawned in its own process group and registered here, so that
// it is stopped by PID (the group) on every exit path: normal return, thrown error, test failure,
// SIGINT/SIGTERM/SIGHUP, and its own hard time bound.
import { spawn } from 'node:child_process';

const tracked = new Set();
let handlersInstalled = false;

function killGroup(pid, signal) {
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
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      void stopAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

/**
 * Spawns `cmd` detached (own process group) and tracks it. `timeoutMs` is a hard bound on its
 * lifetime: past it the group is killed and `onTimeout` is called.
 */
export function spawnTracked(cmd, args, { name = cmd, timeoutMs, onTimeout, ...options } = {}) {
  installHandlers();
  const child = spawn(cmd, args, { ...options, detached: true });
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
  entry.exitPromise.then(() => {
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

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
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

export async function stopAll() {
  await Promise.all([...tracked].map((t) => stopTracked(t)));
}
