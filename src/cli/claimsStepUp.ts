import { claimsChallengeMessage } from '../core/http/claimsChallenge';
import { claimsChallengeOf } from '../core/http/gdapError';
import { english } from '../core/messages';
import type { NotedChallenge } from './cliAuth';
import { EXIT_AUTH, type ExitCode } from './exitCodes';
import type { CommandContext } from './run';

/** What to do about a claims challenge where no sign-in can be run now, per sign-in method. */
function nonInteractiveHint(ctx: CommandContext): string {
  if (ctx.auth.stepUp === undefined) {
    return ctx.auth.method === 'envTokens'
      ? 'Get a new Partner Center token from a sign-in with MFA into GDAP_PARTNER_CENTER_TOKEN.'
      : 'Sign in as a user with MFA (--client-id and --tenant without a secret).';
  }
  return 'Run the command in a terminal to sign in with MFA (it then tries once more).';
}

function noticeOf(noted: NotedChallenge): string {
  return english(claimsChallengeMessage(noted.audience === 'graph' ? 'graph' : 'partnerCenter', noted.challenge));
}

/**
 * Runs a command that reads or changes Partner Center and handles a claims challenge (docs/api-notes.md §15.6):
 * the first attempt's stdout is held back; when a service asked for claims (MFA), on a terminal the user signs in
 * again with them (the method's own flow) and the command runs ONCE more from the start — re-reading before any
 * change, never re-sending a refused request. Elsewhere: the message and exit 3. The claims are never printed.
 */
export async function withClaimsStepUp(ctx: CommandContext, run: (ctx: CommandContext) => Promise<ExitCode>): Promise<ExitCode> {
  ctx.auth.clearClaimsChallenge?.();
  const held: (string | Uint8Array)[] = [];
  const firstCtx: CommandContext = { ...ctx, io: { ...ctx.io, stdout: { write: (data: string | Uint8Array) => held.push(data) } } };
  const flush = (): void => {
    for (const data of held.splice(0)) {
      ctx.io.stdout.write(data);
    }
  };
  let code: ExitCode;
  try {
    code = await run(firstCtx);
  } catch (e) {
    const challenge = claimsChallengeOf(e);
    if (challenge === undefined || ctx.auth.pendingClaimsChallenge?.() === undefined) {
      flush();
      throw e;
    }
    code = EXIT_AUTH;
  }
  const noted = ctx.auth.pendingClaimsChallenge?.();
  if (noted === undefined) {
    flush();
    return code;
  }
  const interactive = ctx.io.stdinIsTTY && ctx.io.stderrIsTTY && ctx.auth.stepUp !== undefined;
  if (!interactive || ctx.auth.stepUp === undefined) {
    flush();
    ctx.io.stderr.write(`gdap: error: ${noticeOf(noted)} ${nonInteractiveHint(ctx)}\n`);
    return EXIT_AUTH;
  }
  ctx.io.stderr.write(`gdap: ${noticeOf(noted)} Signing in again with MFA, then trying once more.\n`);
  await ctx.auth.stepUp(noted.audience, noted.challenge.claims, ctx.io.signal);
  ctx.auth.clearClaimsChallenge?.();
  const second = await run(ctx);
  const again = ctx.auth.pendingClaimsChallenge?.();
  if (again !== undefined) {
    ctx.io.stderr.write(`gdap: error: ${noticeOf(again)} The sign-in did not satisfy it; check the account's MFA methods.\n`);
    return EXIT_AUTH;
  }
  return second;
}
