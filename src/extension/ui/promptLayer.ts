import * as vscode from 'vscode';
import { VsCodeStepUi, type StepUi } from './multiStep';

export interface ConfirmRequest {
  /** First line of the modal: names the object and the customer. */
  readonly message: string;
  /** The consequence, the roles lost, warnings. */
  readonly detail: string;
  /** The verb button, e.g. "Terminate". */
  readonly confirmLabel: string;
  /** When set, the user must type this (case-insensitive) instead of pressing a button. */
  readonly typeToConfirm?: string;
  /** A second button that shows more (e.g. "Show Full Impact") and then asks again. */
  readonly more?: { readonly label: string; show(): Promise<void> };
}

export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
}

export interface PickOptions {
  readonly title: string;
  readonly placeHolder?: string;
}

export type NotifyLevel = 'info' | 'warning' | 'error';

/**
 * Everything a command asks the user goes through this interface, so in-host tests (where VS Code
 * refuses modal dialogs) can replace it (`ExtensionApi.setPromptLayer`).
 */
export interface PromptLayer {
  confirm(request: ConfirmRequest): Promise<boolean>;
  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined>;
  pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined>;
  input(options: { readonly title: string; readonly prompt: string; readonly value?: string }): Promise<string | undefined>;
  /** A non-modal message; resolves with the chosen action label. */
  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined>;
  /** Multi-step inputs with Back (src/extension/ui/multiStep.ts); a layer without them cannot run such a form. */
  readonly steps?: StepUi;
  /** Where to save a file (an export); optional, VS Code's save dialog when absent. */
  saveAs?(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
}

export class VsCodePromptLayer implements PromptLayer {
  readonly steps: StepUi = new VsCodeStepUi();

  async confirm(request: ConfirmRequest): Promise<boolean> {
    if (request.typeToConfirm !== undefined) {
      const expected = request.typeToConfirm;
      const typed = await vscode.window.showInputBox({
        title: request.message,
        prompt: `${request.detail}\n${vscode.l10n.t('Type "{0}" to confirm.', expected)}`,
        placeHolder: expected,
        ignoreFocusOut: true,
        validateInput: (v) => (sameName(v, expected) ? undefined : vscode.l10n.t('Type "{0}" exactly to confirm.', expected)),
      });
      return typed !== undefined && sameName(typed, expected);
    }
    const buttons = request.more !== undefined ? [request.confirmLabel, request.more.label] : [request.confirmLabel];
    for (;;) {
      const choice = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, ...buttons);
      if (choice === undefined || request.more === undefined || choice !== request.more.label) {
        return choice === request.confirmLabel;
      }
      // The whole list opens beside the editor; the question comes back with the same text.
      await request.more.show();
    }
  }

  async pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    const chosen = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, value: i.value })),
      { title: options.title, placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
    );
    return chosen?.value;
  }

  async pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined> {
    const chosen = await vscode.window.showQuickPick(
      items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, value: i.value })),
      {
        title: options.title,
        placeHolder: options.placeHolder,
        matchOnDescription: true,
        matchOnDetail: true,
        canPickMany: true,
        ignoreFocusOut: true,
      },
    );
    return chosen?.map((c) => c.value);
  }

  input(options: { readonly title: string; readonly prompt: string; readonly value?: string }): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInputBox({ title: options.title, prompt: options.prompt, value: options.value }));
  }

  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    const show =
      level === 'error'
        ? vscode.window.showErrorMessage
        : level === 'warning'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    return Promise.resolve(show(message, ...actions));
  }
}

export function sameName(typed: string, expected: string): boolean {
  return typed.trim().toLocaleLowerCase() === expected.trim().toLocaleLowerCase();
}

/** Indirection so commands always use the current layer, even after a test swapped it. */
export class PromptHolder {
  constructor(public current: PromptLayer) {}
}
