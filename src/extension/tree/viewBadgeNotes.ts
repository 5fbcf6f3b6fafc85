/*
 * The explorer view's badge has one owner, the expiry radar (docs/renewal.md): it sets the number and the
 * tooltip. Other features add a line to that tooltip here instead of setting `treeView.badge` themselves,
 * so no two features overwrite each other's badge (docs/access.md "In VS Code"). No vscode import.
 */

export interface NoteSubscription {
  dispose(): void;
}

export class ViewBadgeNotes {
  private readonly notes = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  /** Sets (or, with undefined, removes) the line of `owner`; the badge's owner repaints. */
  set(owner: string, text: string | undefined): void {
    if (this.notes.get(owner) === text) {
      return;
    }
    if (text === undefined) {
      this.notes.delete(owner);
    } else {
      this.notes.set(owner, text);
    }
    for (const listener of [...this.listeners]) {
      listener();
    }
  }

  /** The lines to add to the badge's tooltip, in the order their owners first set them. */
  lines(): string[] {
    return [...this.notes.values()];
  }

  /** The badge's tooltip: the owner's text, then every note, one per line. */
  tooltip(ownText: string): string {
    return [ownText, ...this.notes.values()].join('\n');
  }

  onDidChange(listener: () => void): NoteSubscription {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

/** The explorer view's badge notes (one extension, one view). */
export const viewBadgeNotes = new ViewBadgeNotes();
