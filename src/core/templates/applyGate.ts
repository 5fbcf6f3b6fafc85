/*
 * Whether a template may be applied here (docs/templates.md "Restricted Mode"). A template is a file in
 * the workspace: in a folder VS Code does not trust, it may have been written by someone else, so it may
 * be read, checked and planned (reads only) but never applied. The read-only setting turns every change
 * off. Planning only reads, so it is never refused here.
 */

/** Why applying is refused, or undefined when it may go ahead. */
export type TemplateApplyRefusal = 'restrictedMode' | 'readOnly' | undefined;

export interface TemplateApplyContext {
  /** `vscode.workspace.isTrusted` (always true for the command line, which has no Restricted Mode). */
  readonly workspaceTrusted: boolean;
  /** The `gdap.readOnly` setting. */
  readonly readOnly: boolean;
}

/** Restricted Mode is told first: trusting the folder is what the user must do before anything else. */
export function templateApplyRefusal(context: TemplateApplyContext): TemplateApplyRefusal {
  if (!context.workspaceTrusted) {
    return 'restrictedMode';
  }
  return context.readOnly ? 'readOnly' : undefined;
}
