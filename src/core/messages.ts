/**
 * A message for the user as a code with parameters: an English template with `{0}` placeholders and its
 * arguments. The CLI renders it in English (`english`); the extension passes the template and arguments
 * to `vscode.l10n.t`, where the template is the key of the translation bundles, so the same reason reads
 * in the user's language. `npm run l10n` collects every `msg('…')` template of src/core into the bundle.
 */
export interface Message {
  readonly template: string;
  /** The arguments in English; an argument that is a message itself is here as its English text. */
  readonly args: readonly string[];
  /** Arguments that are messages themselves, by position (null for a plain one), for a face that translates them too. */
  readonly nested?: readonly (Message | null)[];
}

/**
 * Builds a message; the template must be a string literal so that it can be collected for translation. An
 * argument may be a message itself (e.g. a reason inside "changed meanwhile: {0}"): it reads in English in
 * `args`, and `translated` renders it in the face's language.
 */
export function msg(template: string, ...args: (string | Message)[]): Message {
  const text = args.map((a) => (typeof a === 'string' ? a : english(a)));
  return args.every((a) => typeof a === 'string')
    ? { template, args: text }
    : { template, args: text, nested: args.map((a) => (typeof a === 'string' ? null : a)) };
}

/** The message through a face's `t` (e.g. `vscode.l10n.t`), its nested messages too. */
export function translated(message: Message, t: (template: string, ...args: string[]) => string): string {
  const args = message.args.map((a, i) => {
    const inner = message.nested?.[i];
    return inner ? translated(inner, t) : a;
  });
  return t(message.template, ...args);
}

/** Fills `{0}`, `{1}`… in English. */
export function english(message: Message): string {
  return message.template.replace(/\{(\d+)\}/g, (whole, index: string) => message.args[Number(index)] ?? whole);
}

/** `reason` (English, for the CLI, the journal and JSON) and `reasonMessage` (for a translating face) at once. */
export function because(message: Message): { readonly reason: string; readonly reasonMessage: Message } {
  return { reason: english(message), reasonMessage: message };
}
