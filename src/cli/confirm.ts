import type { CliIo } from './cliIo';
import { UsageError } from './usageError';

/**
 * Mutations without --yes: refused (exit 2) when there is no terminal to ask on — checked before any
 * request; on a terminal the summary is shown and only "y"/"yes" proceeds.
 */
export function requireConfirmationPossible(io: CliIo, yes: boolean, dryRun: boolean, what: string): void {
  if (!yes && !dryRun && !io.stdinIsTTY) {
    throw new UsageError(
      `Refusing to ${what} without confirmation: there is no terminal to ask on. Pass --yes to proceed, or --dry-run to see the plan.`,
    );
  }
}

export async function confirmOnTerminal(io: CliIo, summary: string, question: string): Promise<boolean> {
  io.stderr.write(summary.endsWith('\n') ? summary : `${summary}\n`);
  const answer = (await io.ask(`${question} [y/N] `)).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}
