import * as vscode from 'vscode';
import { findingMessage, type FindingFacts } from '../../core/insight/findingMessages';

/**
 * An access doctor finding in the display language: core gives its code and parameters as a message whose
 * template is the English sentence (src/core/insight/findingMessages.ts), which `npm run l10n` collects
 * into the bundles; `gdap check` prints the same sentence in English.
 */
export function findingText(finding: FindingFacts): string {
  const message = findingMessage(finding);
  // l10n-bridge: messages from src/core
  return vscode.l10n.t(message.template, ...message.args);
}
