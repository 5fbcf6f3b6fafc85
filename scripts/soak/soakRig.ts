import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileJournal } from '../../src/core/actions/journal';
import { resolveEndpoints, type ServiceEndpoints } from '../../src/core/http/clouds';
import { createHttpTransport, type HttpTransport } from '../../src/core/http/transport';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server';

/*
 * What every soak mix runs on: its own emulator (with faults), a journal in a temporary folder, the real
 * HTTP transport, and a deadline that cancels the run. `close` releases all of it on every path.
 */

export interface SoakRig {
  readonly emu: RunningEmulator;
  readonly journalPath: string;
  readonly journal: FileJournal;
  readonly endpoints: ServiceEndpoints;
  readonly transport: HttpTransport;
  /** Aborted when the deadline passes. */
  readonly signal: AbortSignal;
  close(): Promise<void>;
}

export async function openSoakRig(
  prefix: string,
  emulator: Parameters<typeof startEmulator>[0],
  deadlineMs: number | undefined,
): Promise<SoakRig> {
  const emu = await startEmulator(emulator);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const journalPath = join(dir, 'journal.jsonl');
  const journal = new FileJournal(journalPath);
  const endpoints = resolveEndpoints({ cloud: 'global', emulatorUrl: emu.url, emulatorCaPem: emu.caPem });
  const transport = createHttpTransport({ endpoints });
  const abort = new AbortController();
  // Every in-flight request listens to the run's signal; dozens at once is expected, not a leak.
  setMaxListeners(1000, abort.signal);
  const deadline = deadlineMs === undefined ? undefined : setTimeout(() => abort.abort(), deadlineMs);
  return {
    emu,
    journalPath,
    journal,
    endpoints,
    transport,
    signal: abort.signal,
    async close(): Promise<void> {
      clearTimeout(deadline);
      transport.close();
      await journal.close().catch(() => undefined);
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One line per mutation: its outcomes and their counts. */
export function outcomeLines(outcomes: Readonly<Record<string, Readonly<Record<string, number>>>>): string[] {
  return Object.entries(outcomes).map(
    ([action, counts]) =>
      `${action.padEnd(17)} ${
        Object.entries(counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '(none)'
      }`,
  );
}
