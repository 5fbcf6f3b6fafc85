import * as vscode from 'vscode';
import { isGdapError } from '../../core/http/gdapError';
import { translated as translatedWith, type Message } from '../../core/messages';
import { COMMANDS } from '../constants';
import type { Log } from './log';
import type { PromptHolder } from './promptLayer';

export function isCancellation(error: unknown): boolean {
  if (isGdapError(error)) {
    return error.kind === 'cancelled';
  }
  if (error instanceof vscode.CancellationError) {
    return true;
  }
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * A core message code in the display language, a message nested in it (an inner error's code) too; its
 * templates are collected into the bundle by `npm run l10n`.
 */
function translated(message: Message): string {
  // l10n-bridge: messages from src/core
  return translatedWith(message, (template, ...args) => vscode.l10n.t(template, ...args));
}

/** One human line for any error; core's GdapError already carries one (never a token), as codes in the display language. */
export function humanMessage(error: unknown): string {
  if (isGdapError(error)) {
    const codes = error.messageCodes;
    return codes === undefined || codes.length === 0 ? error.message : codes.map(translated).join(' ');
  }
  if (error instanceof Error && error.message) {
    return error.message;
  }
  return vscode.l10n.t('Something went wrong.');
}

/**
 * The one error funnel (docs/architecture.md §2.10): user cancel is silent; otherwise one human line with
 * "Show Log" (and "Sign In" for auth failures); the details and request ids go to the log channel.
 */
export class ErrorFunnel {
  constructor(
    private readonly log: Log,
    private readonly prompts: PromptHolder,
  ) {}

  /** Logs and shows; resolves once the message is dismissed or acted upon. */
  async report(error: unknown, doing: string): Promise<void> {
    if (isCancellation(error)) {
      this.log.info(`${doing}: cancelled by the user`);
      return;
    }
    this.logDetails(error, doing);
    const line = `${doing}: ${humanMessage(error)}`;
    const showLog = vscode.l10n.t('Show Log');
    const signIn = vscode.l10n.t('Sign In');
    const actions = isGdapError(error) && error.kind === 'auth' ? [signIn, showLog] : [showLog];
    const choice = await this.prompts.current.notify('error', line, ...actions);
    if (choice === showLog) {
      this.log.show();
    } else if (choice === signIn) {
      await vscode.commands.executeCommand(COMMANDS.signIn);
    }
  }

  /** Fire-and-forget variant for places that cannot await (event handlers). */
  reportLater(error: unknown, doing: string): void {
    void this.report(error, doing);
  }

  logDetails(error: unknown, doing: string): void {
    if (isGdapError(error)) {
      const facts = [
        `kind=${error.kind}`,
        error.status === undefined ? '' : `status=${error.status}`,
        error.code ? `code=${error.code}` : '',
        error.requestId ? `request-id=${error.requestId}` : '',
        error.clientRequestId ? `client-request-id=${error.clientRequestId}` : '',
      ].filter((f) => f !== '');
      this.log.error(`${doing}: ${error.message} (${facts.join(', ')})${error.serviceMessage ? ` service: ${error.serviceMessage}` : ''}`);
    } else if (error instanceof Error) {
      this.log.error(`${doing}: ${error.message}\n${error.stack ?? ''}`);
    } else {
      this.log.error(`${doing}: ${String(error)}`);
    }
  }
}
