import { EMULATOR_USAGE, parseEmulatorArgs } from './options';
import { startEmulator } from './server';

export interface CliStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * The command-line face of the emulator (`node dist/emulator.js [options]`; `gdap emulator` spawns the
 * same file with the same arguments). First stdout line: the base URL; second: `ca-file: PATH`. Runs
 * until SIGINT/SIGTERM, then closes and resolves 0. Usage errors: one line on stderr, 2. Start-up
 * failures (port taken, unreadable --cert): one line on stderr, 1.
 */
export async function runEmulatorCli(argv: readonly string[], io: CliStreams = process): Promise<number> {
  let parsed: ReturnType<typeof parseEmulatorArgs>;
  try {
    parsed = parseEmulatorArgs(argv);
  } catch (e) {
    io.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)} (see --help)\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${EMULATOR_USAGE}\n`);
    return 0;
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator(parsed.options);
  } catch (e) {
    io.stderr.write(`emulator: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  // Signal handlers go in before the first line is printed: whoever reads that line may stop us at once.
  const stopped = new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stdout.write(`GDAP emulator listening on ${emulator.url}\n`);
  io.stdout.write(`ca-file: ${emulator.caFile}\n`);
  io.stdout.write(
    `preset ${emulator.options.preset}: ${emulator.store.customers.size} customers, ${emulator.store.relationships.size} relationships; ` +
      `partner tenant ${emulator.partnerTenantId}; time scale ${emulator.options.timeScale}\n`,
  );
  io.stdout.write(
    `Graph ${emulator.url}/v1.0, Partner Center ${emulator.url}/partnercenter, authority ${emulator.url}/${emulator.partnerTenantId}, control ${emulator.url}/_emulator/state\n`,
  );
  await stopped;
  await emulator.close();
  return 0;
}

if (require.main === module) {
  runEmulatorCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`emulator: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
