import { isatty } from 'node:tty';
import type { CliIo } from './cliIo';
import { runCli } from './run';

// The command line's bundle (dist/cliMain.js, run by the launcher dist/cli.js). Everything testable lives in run.ts.
const controller = new AbortController();
let interrupted = false;
const onSignal = (): void => {
  if (interrupted) {
    // Second Ctrl+C: the user really wants out; the journal already holds every intent.
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write('gdap: interrupted; stopping (press Ctrl+C again to quit at once)\n');
  controller.abort();
};

// A closed pipe (`gdap inventory | head`) is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    process.exit(process.exitCode ?? 0);
  }
  throw err;
});

const argv = process.argv.slice(2);
const isEmulator = argv[0] === 'emulator';
if (!isEmulator) {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

const io: CliIo = {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdoutIsTTY: process.stdout.isTTY === true,
  // Read when written: the terminal may be resized while a long inventory loads.
  get stdoutColumns(): number | undefined {
    return process.stdout.isTTY === true && process.stdout.columns > 0 ? process.stdout.columns : undefined;
  },
  stderrIsTTY: process.stderr.isTTY === true,
  // From the descriptor: reading process.stdin.isTTY makes the stdin stream (≈ 4 ms), which most commands never read.
  stdinIsTTY: isatty(0),
  // readline is loaded by the first question only (≈ 1 ms of every start before).
  ask: async (question: string): Promise<string> => {
    const readline = await import('node:readline');
    return new Promise<string>((resolve) => {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      // 'close' fires synchronously inside rl.close(): settle with the answer first. Ctrl+D answers "".
      rl.question(question, (answer) => {
        resolve(answer);
        rl.close();
      });
      rl.on('close', () => resolve(''));
    });
  },
  // In the bundle this is dist/, next to emulator.js.
  scriptDir: __dirname,
  signal: controller.signal,
};

void runCli(argv, io).then((code) => {
  process.exitCode = code;
});
