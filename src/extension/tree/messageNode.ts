import * as vscode from 'vscode';
import { COMMANDS } from '../constants';
import { humanMessage } from '../ui/errorFunnel';
import { contextValue } from './contextValue';
import type { GdapNode } from './node';

export type MessageKind = 'loading' | 'empty' | 'error';

/** Loading, empty and error states are nodes, not toasts (docs/architecture.md §2.6). */
export class MessageNode implements GdapNode {
  readonly kind = 'message';
  readonly id: string;

  constructor(
    readonly parent: GdapNode | undefined,
    readonly messageKind: MessageKind,
    readonly text: string,
    /** For errors: the node to reload when clicked. */
    readonly retryTarget?: GdapNode,
  ) {
    this.id = `${parent?.id ?? 'root'}/message/${messageKind}`;
  }

  static error(parent: GdapNode | undefined, error: unknown): MessageNode {
    return new MessageNode(parent, 'error', vscode.l10n.t('Could not load: {0} (click to retry)', humanMessage(error)), parent);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.contextValue = contextValue('message', this.messageKind);
    if (this.messageKind === 'error') {
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      item.tooltip = this.text;
      // The red error icon in words; Enter runs the retry command.
      item.accessibilityInformation = { label: vscode.l10n.t('Error: {0}', this.text) };
      item.command = {
        command: COMMANDS.refresh,
        title: vscode.l10n.t('Retry'),
        arguments: this.retryTarget === undefined ? [] : [this.retryTarget],
      };
    } else if (this.messageKind === 'loading') {
      item.iconPath = new vscode.ThemeIcon('loading~spin');
    } else {
      item.iconPath = new vscode.ThemeIcon('info');
    }
    return item;
  }

  getChildren(): Promise<GdapNode[]> {
    return Promise.resolve([]);
  }
}
