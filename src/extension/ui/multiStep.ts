import * as vscode from 'vscode';
import type { PickItem } from './promptLayer';

/*
 * A multi-step input: each step is one input box or quick pick with a step counter and a Back button,
 * validated before it can be accepted. Commands go through the `StepUi` interface (the prompt layer's
 * `steps`), so in-host tests answer the steps, press Back and see the validation messages.
 */

/**
 * What a step answers when the user pressed Back. A registered symbol, so a second copy of this module
 * (the in-host test bundle carries its own) answers with the same value.
 */
export const BACK: unique symbol = Symbol.for('gdap.multiStep.back');
export type Back = typeof BACK;

export interface StepPosition {
  readonly title: string;
  readonly step: number;
  readonly totalSteps: number;
}

export interface InputStep extends StepPosition {
  readonly prompt: string;
  readonly value?: string;
  readonly placeholder?: string;
  /** A message saying what to do, or undefined when the value can be accepted. */
  validate(value: string): string | undefined;
}

export interface PickStep<T> extends StepPosition {
  readonly items: readonly (PickItem<T> & { readonly picked?: boolean })[];
  readonly placeholder?: string;
  /** A message saying what to do, or undefined when the choice can be accepted. */
  validate?(values: readonly T[]): string | undefined;
}

/** A choice of a search step; one without a value, or refused, cannot be accepted (the reason shows why). */
export interface SearchItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value?: T;
  readonly refused?: string;
}

/** A quick pick whose choices come from a search of what is typed (debounced; a newer search cancels the older). */
export interface SearchStep<T> extends StepPosition {
  readonly placeholder?: string;
  readonly debounceMs: number;
  search(text: string, signal: AbortSignal): Promise<readonly SearchItem<T>[]>;
}

/** Every answer: the value, BACK, or undefined when the user closed the step (cancel). */
export interface StepUi {
  input(step: InputStep): Promise<string | Back | undefined>;
  pick<T>(step: PickStep<T>): Promise<T | Back | undefined>;
  pickMany<T>(step: PickStep<T>): Promise<T[] | Back | undefined>;
  /** Optional: a prompt layer without it makes callers fall back to a plain pick or input. */
  search?<T>(step: SearchStep<T>): Promise<T | Back | undefined>;
}

type Item<T> = vscode.QuickPickItem & { readonly value: T };

/** The VS Code face: `createInputBox` / `createQuickPick` with `QuickInputButtons.Back` after the first step. */
export class VsCodeStepUi implements StepUi {
  input(step: InputStep): Promise<string | Back | undefined> {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.step = step.step;
    box.totalSteps = step.totalSteps;
    box.prompt = step.prompt;
    box.value = step.value ?? '';
    box.placeholder = step.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    return settle<string>(box, (resolve) => [
      box.onDidChangeValue((v) => (box.validationMessage = v === '' ? undefined : step.validate(v))),
      box.onDidAccept(() => {
        const problem = step.validate(box.value);
        box.validationMessage = problem;
        if (problem === undefined) {
          resolve(box.value);
        }
      }),
    ]);
  }

  pick<T>(step: PickStep<T>): Promise<T | Back | undefined> {
    return this.quickPick(step, false).then((r) => (r === BACK || r === undefined ? r : r[0]));
  }

  pickMany<T>(step: PickStep<T>): Promise<T[] | Back | undefined> {
    return this.quickPick(step, true);
  }

  search<T>(step: SearchStep<T>): Promise<T | Back | undefined> {
    type SItem = vscode.QuickPickItem & { readonly item: SearchItem<T> };
    const qp = vscode.window.createQuickPick<SItem>();
    qp.title = step.title;
    qp.step = step.step;
    qp.totalSteps = step.totalSteps;
    qp.placeholder = step.placeholder;
    qp.ignoreFocusOut = true;
    qp.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let timer: NodeJS.Timeout | undefined;
    let running: AbortController | undefined;
    const run = (text: string): void => {
      running?.abort();
      const mine = new AbortController();
      running = mine;
      qp.busy = true;
      step.search(text, mine.signal).then(
        (items) => {
          if (!mine.signal.aborted) {
            // alwaysShow: the service already matched; the quick pick's own filter must not hide results.
            qp.items = items.map((item) => ({
              label: item.label,
              description: item.description,
              detail: item.detail,
              alwaysShow: true,
              item,
            }));
            qp.busy = false;
          }
        },
        () => {
          if (!mine.signal.aborted) {
            qp.busy = false;
          }
        },
      );
    };
    const stop = (): void => {
      clearTimeout(timer);
      running?.abort();
    };
    run('');
    return settle<T>(qp, (resolve) => [
      qp.onDidChangeValue((text) => {
        clearTimeout(timer);
        timer = setTimeout(() => run(text), step.debounceMs);
      }),
      qp.onDidAccept(() => {
        const chosen = qp.activeItems[0]?.item;
        if (chosen === undefined || chosen.value === undefined || chosen.refused !== undefined) {
          // A quick pick has no validation line: the placeholder says why and the step stays.
          qp.placeholder = chosen?.refused ?? step.placeholder;
          return;
        }
        stop();
        resolve(chosen.value);
      }),
      { dispose: stop },
    ]);
  }

  private quickPick<T>(step: PickStep<T>, many: boolean): Promise<T[] | Back | undefined> {
    const qp = vscode.window.createQuickPick<Item<T>>();
    qp.title = step.title;
    qp.step = step.step;
    qp.totalSteps = step.totalSteps;
    qp.placeholder = step.placeholder;
    qp.canSelectMany = many;
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    qp.ignoreFocusOut = true;
    qp.buttons = step.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const items = step.items.map((i): Item<T> => ({ label: i.label, description: i.description, detail: i.detail, value: i.value }));
    qp.items = items;
    if (many) {
      qp.selectedItems = items.filter((_i, n) => step.items[n].picked === true);
    }
    return settle<T[]>(qp, (resolve) => [
      qp.onDidAccept(() => {
        const chosen = (many ? qp.selectedItems : qp.activeItems.slice(0, 1)).map((i) => i.value);
        const problem = step.validate?.(chosen);
        if (problem !== undefined) {
          // A quick pick has no validation line: the placeholder says what to do and the step stays.
          qp.placeholder = problem;
          return;
        }
        if (many || chosen.length > 0) {
          resolve(chosen);
        }
      }),
    ]);
  }
}

/** Shows `input`, resolving once: the accepted value, BACK, or undefined when hidden. */
function settle<V>(
  input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  wire: (resolve: (v: V) => void) => vscode.Disposable[],
): Promise<V | Back | undefined> {
  return new Promise((resolveOuter) => {
    let done = false;
    const subs: vscode.Disposable[] = [];
    const finish = (v: V | Back | undefined): void => {
      if (done) {
        return;
      }
      done = true;
      for (const s of subs) {
        s.dispose();
      }
      input.dispose();
      resolveOuter(v);
    };
    subs.push(
      ...wire((v) => finish(v)),
      input.onDidTriggerButton((b) => {
        if (b === vscode.QuickInputButtons.Back) {
          finish(BACK);
        }
      }),
      input.onDidHide(() => finish(undefined)),
    );
    input.show();
  });
}

/**
 * Runs steps in order; a step answering BACK goes to the one before it (which shows its last answer
 * again), undefined cancels. Each step reads and writes the shared state. Resolves true when the last
 * step was answered.
 */
export async function runSteps(steps: readonly (() => Promise<'next' | Back | undefined>)[]): Promise<boolean> {
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]();
    if (r === undefined) {
      return false;
    }
    i = r === BACK ? Math.max(0, i - 1) : i + 1;
  }
  return true;
}
