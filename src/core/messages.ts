/**
 * A message for the user as a code with parameters: an English template with `{0}` placeholders and its
 * arguments. The CLI renders it in English (`english`); the extension passes the template and arguments
 * to `vscode.l10n.t`, where the template is the key of the translation bundles, so the same reason reads
 * in the user's language. `npm run l10n` collects every `msg('…')` template of src/core into the bundle.
 */
export interface Message {
  readonly template: string;
  readonly args: readonly string[];
}

/** Builds a message; the template must be a string literal so that it can be collected for translation. */
export function msg(template: string, ...args: string[]): Message {
  return { template, args };
}

/** Fills `{0}`, `{1}`… in English. */
export function english(message: Message): string {
  return message.template.replace(/\{(\d+)\}/g, (whole, index: string) => message.args[Number(index)] ?? whole);
}

/** `reason` (English, for the CLI, the journal and JSON) and `reasonMessage` (for a translating face) at once. */
export function because(message: Message): { readonly reason: string; readonly reasonMessage: Message } {
  return { reason: english(message), reasonMessage: message };
}
