import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { RunningEmulator } from '../../../../src/emulator/server';

/*
 * The bundled `gdap` as a user runs it: built once per suite with esbuild into a temporary folder, run
 * as a child process against an emulator, on a pipe or on a real pseudo-terminal.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function bundle(entry: string, outfile: string): Promise<string> {
  await esbuild.build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
  });
  return outfile;
}

/** Bundles src/cli/main.ts into `dir`/cli.js and returns its path. */
export function bundleCli(dir: string): Promise<string> {
  return bundle('src/cli/main.ts', path.join(dir, 'cli.js'));
}

/**
 * `gdap` as installed: the launcher as `dir`/cli.js and the CLI's bundle beside it as cliMain.js (the
 * launcher runs it through V8's code cache). Returns the launcher's path.
 */
export async function bundleCliWithLauncher(dir: string): Promise<string> {
  await bundle('src/cli/main.ts', path.join(dir, 'cliMain.js'));
  return bundle('src/cli/launcher.ts', path.join(dir, 'cli.js'));
}

/** The environment that points the CLI at `emu`, with its state (journal, caches) under `stateDir`. */
export function emulatorEnv(emu: RunningEmulator, stateDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, XDG_STATE_HOME: stateDir, GDAP_EMULATOR_URL: emu.url, GDAP_EMULATOR_CA: emu.caFile };
}

async function collect(command: string, args: readonly string[], env: NodeJS.ProcessEnv, killAfterMs: number): Promise<CliRun> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(killer);
  return { code, stdout, stderr };
}

/** Runs the bundled CLI with stdout and stderr on pipes (as a script does). */
export function runCliProcess(cli: string, args: readonly string[], env: NodeJS.ProcessEnv, killAfterMs = 25_000): Promise<CliRun> {
  return collect(process.execPath, [cli, ...args], env, killAfterMs);
}

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`) of the given width: stdout is a TTY there,
 * as for a person at a terminal. stdout and stderr arrive merged; CRLF line ends are made LF.
 */
export async function runCliOnTerminal(
  cli: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  columns: number,
  killAfterMs = 25_000,
): Promise<CliRun> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = `stty cols ${columns} rows 50 && exec ${[process.execPath, cli, ...args].map(quote).join(' ')}`;
  const r = await collect('script', ['-q', '-e', '-c', command, '/dev/null'], env, killAfterMs);
  return { ...r, stdout: r.stdout.replace(/\r\n/g, '\n') };
}

/** Changes sent to the API: not sign-in, not reads, not `$batch` reads, not the emulator's control routes. */
export function mutatingRequests(emu: RunningEmulator): { method: string; path: string }[] {
  return emu
    .requests()
    .filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator') && !r.path.includes('/oauth2/') && !r.path.endsWith('$batch'));
}
