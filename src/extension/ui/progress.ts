import * as vscode from 'vscode';
import { VIEW_ID } from '../constants';

/** Shows progress in the GDAP view itself (where the user looks) while `task` runs. */
export function withViewProgress<T>(task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: { viewId: VIEW_ID } }, task));
}

/**
 * A cancellable notification whose CancellationToken becomes the AbortSignal handed to core
 * (docs/architecture.md §2.12).
 */
export function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal, report: (message: string) => void) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await task(controller.signal, (message) => progress.report({ message }));
      } finally {
        sub.dispose();
      }
    }),
  );
}
