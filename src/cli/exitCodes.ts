import { isGdapError } from '../core/http/gdapError';
import { isUsageError } from './usageError';

/** The CLI contract: these five, nothing else. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_AUTH = 3;
/** The run worked and has findings (or changes) to report, e.g. `gdap check` found an error-severity finding. */
export const EXIT_FINDINGS = 4;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILED | typeof EXIT_USAGE | typeof EXIT_AUTH | typeof EXIT_FINDINGS;

/** The exit code for an error that ended the whole run. */
export function exitCodeForError(error: unknown): ExitCode {
  if (isUsageError(error)) {
    return EXIT_USAGE;
  }
  if (isGdapError(error)) {
    if (error.kind === 'auth') {
      return EXIT_AUTH;
    }
    if (error.kind === 'invalidInput') {
      return EXIT_USAGE;
    }
  }
  return EXIT_FAILED;
}

/** 0 when every target ended done / alreadyDone / skipped, 1 when at least one failed. */
export function exitCodeForResults(results: readonly { readonly outcome: string }[]): ExitCode {
  return results.some((r) => r.outcome === 'failed') ? EXIT_FAILED : EXIT_OK;
}
