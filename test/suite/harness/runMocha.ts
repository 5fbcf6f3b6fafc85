// Runs mocha inside the extension host over already-bundled test files. Mocha's BDD globals exist
// only between the suite's 'pre-require' and 'post-require' events, so each file is evaluated there,
// as mocha.loadFiles() would do for files on disk.
import Mocha from 'mocha';
import { format } from 'node:util';
import type { SuiteFile } from './suiteFiles';

export interface RunMochaOptions {
  /** Per-test timeout in ms (default 30 s; GDAP_SUITE_TIMEOUT_MS overrides). */
  timeout?: number;
  /** Only tests whose full title matches (GDAP_SUITE_GREP overrides). */
  grep?: string;
}

export function runMocha(files: SuiteFile[], options: RunMochaOptions = {}): Promise<void> {
  const envTimeout = Number(process.env.GDAP_SUITE_TIMEOUT_MS);
  const mocha = new Mocha({
    ui: 'bdd',
    // The workbench forwards console output line by line; colours would arrive as escape codes.
    color: false,
    reporter: 'spec',
    timeout: Number.isFinite(envTimeout) && envTimeout > 0 ? envTimeout : (options.timeout ?? 30_000),
  });
  const grep = process.env.GDAP_SUITE_GREP ?? options.grep;
  if (grep) {
    mocha.grep(grep);
  }
  // Under code-server the workbench forwards every console line of the window to the outer runner;
  // a marker lets the runner tell mocha's report from the workbench's own logging.
  const mark = process.env.GDAP_SUITE_LOG_MARK;
  if (mark) {
    const consoleLog = console.log.bind(console);
    Mocha.reporters.Base.consoleLog = (...args: unknown[]): void => consoleLog(`${mark}${format(...args)}`);
  }
  const context = globalThis as unknown as Mocha.MochaGlobals;
  for (const file of files) {
    mocha.suite.emit('pre-require', context, file.name, mocha);
    mocha.suite.emit('require', file.load(), file.name, mocha);
    mocha.suite.emit('post-require', context, file.name, mocha);
  }
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) {
          reject(new Error(`${failures} tests failed.`));
        } else {
          resolve();
        }
      });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
    }
  });
}
