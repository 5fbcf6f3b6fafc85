import { systemClock, type Clock } from '../http/clock';
import { isGdapError } from '../http/gdapError';

/** Kinds worth another read: the answer was lost, cut, malformed or refused for load, not a verdict. */
const TRANSIENT = new Set(['invalidResponse', 'network', 'timeout', 'server', 'throttled']);

/**
 * A read that decides whether a mutation with an unknown outcome was applied. Such a read is the only
 * thing standing between "done" and a target reported failed (or re-sent), so it gets a few more
 * attempts than an ordinary read when the answer itself was lost or malformed. Reads are always safe to
 * repeat. Throws the last error when every attempt failed, or at once for a definite answer (404, 403…).
 */
export async function readToReconcile<T>(
  read: () => Promise<T>,
  options: { attempts?: number; delayMs?: number; signal?: AbortSignal; clock?: Clock } = {},
): Promise<T> {
  const attempts = options.attempts ?? 4;
  const delayMs = options.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const transient = isGdapError(error) && TRANSIENT.has(error.kind);
      if (!transient || attempt >= attempts || options.signal?.aborted === true) {
        throw error;
      }
      // Not tied to the signal: a reconciling read finishes what the send started.
      await (options.clock ?? systemClock).sleep(delayMs * 2 ** (attempt - 1));
    }
  }
}
