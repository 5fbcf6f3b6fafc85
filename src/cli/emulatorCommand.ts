import * as path from 'node:path';

/**
 * `gdap emulator [options]`: runs `node <dist>/emulator.js` with the same options, stdio inherited,
 * SIGINT/SIGTERM forwarded, and resolves with its exit code.
 */
export async function runEmulatorCommand(args: readonly string[], scriptDir: string): Promise<number> {
  const script = path.join(scriptDir, 'emulator.js');
  // Loaded here, not by every command: see openSystemBrowser (cliAuth.ts).
  const { spawn } = await import('node:child_process');
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const onInt = (): void => forward('SIGINT');
    const onTerm = (): void => forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = (code: number): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(code);
    };
    child.on('error', (err) => {
      process.stderr.write(`gdap: could not start the emulator (${script}): ${err.message}\n`);
      done(1);
    });
    child.on('exit', (code, signal) => {
      // Killed by the signal we forwarded: the emulator did not get to choose; report like a shell.
      done(code ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
    });
  });
}
