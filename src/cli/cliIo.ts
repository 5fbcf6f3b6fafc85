/** Everything the CLI touches of its process, so tests can run it in-process. */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(data: string | Uint8Array): unknown };
  readonly stderr: { write(text: string): unknown };
  /** A person reads stdout: read commands print tables, mutations one line per target (absent = a pipe). */
  readonly stdoutIsTTY?: boolean;
  /** Width of that terminal in cells, when known; tables shrink to fit it. */
  readonly stdoutColumns?: number;
  /** Progress goes to stderr only on a terminal. */
  readonly stderrIsTTY: boolean;
  /** Confirmation is asked only on a terminal. */
  readonly stdinIsTTY: boolean;
  /** Asks one question on the terminal and resolves with the answer line. */
  ask(question: string): Promise<string>;
  /** Folder of the running script (dist/), where emulator.js lives. */
  readonly scriptDir: string;
  /** Opens the browser sign-in page; default: the system browser (tests pass a scripted one). */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
}
