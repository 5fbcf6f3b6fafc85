import * as vscode from 'vscode';
import type { RelationshipHistory } from '../../core/actions/onboarding';
import { contextValue } from '../tree/contextValue';
import { MessageNode } from '../tree/messageNode';
import type { GdapNode } from '../tree/node';
import { formatDate } from '../tree/presentation';

/** Words for the request actions and operation types the documentation lists (others shown as sent). */
function actionLabel(action: string): string {
  switch (action) {
    case 'lockForApproval':
      return vscode.l10n.t('Lock for approval');
    case 'approve':
      return vscode.l10n.t('Approve');
    case 'terminate':
      return vscode.l10n.t('Terminate');
    case 'reject':
      return vscode.l10n.t('Reject');
    case 'delegatedAdminAccessAssignmentUpdate':
      return vscode.l10n.t('Access assignment update');
    case 'delegatedAdminRelationshipUpdate':
      return vscode.l10n.t('Relationship update');
    default:
      return action;
  }
}

/** One request or operation, oldest first. */
class HistoryEntryNode implements GdapNode {
  readonly kind = 'historyEntry';

  constructor(
    readonly parent: HistoryNode,
    readonly id: string,
    private readonly entry: { kind: 'request' | 'operation'; what: string; status: string; created: string | null },
  ) {}

  getTreeItem(): vscode.TreeItem {
    const e = this.entry;
    const item = new vscode.TreeItem(actionLabel(e.what), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const when = formatDate(e.created);
    item.description = when === undefined ? e.status : `${e.status} · ${when}`;
    item.iconPath = new vscode.ThemeIcon(e.kind === 'request' ? 'git-pull-request' : 'gear');
    item.tooltip = e.kind === 'request' ? vscode.l10n.t('Request: {0}', e.what) : vscode.l10n.t('Operation: {0}', e.what);
    item.contextValue = contextValue('historyEntry', e.kind);
    return item;
  }

  getChildren(): Promise<GdapNode[]> {
    return Promise.resolve([]);
  }
}

/**
 * "History" under a relationship, collapsed: its requests (lock, approve, terminate…) and operations
 * (role changes), read when expanded and again on each refresh of the relationship.
 */
export class HistoryNode implements GdapNode {
  readonly kind = 'history';
  readonly id: string;

  constructor(
    readonly parent: GdapNode,
    private readonly load: () => Promise<RelationshipHistory>,
  ) {
    this.id = `${parent.id}/history`;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('History'), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('history');
    item.tooltip = vscode.l10n.t('Requests and operations of this relationship, oldest first.');
    item.contextValue = contextValue('history');
    return item;
  }

  async getChildren(): Promise<GdapNode[]> {
    let history: RelationshipHistory;
    try {
      history = await this.load();
    } catch (e) {
      return [MessageNode.error(this, e)];
    }
    const entries = [
      ...history.requests.map((r) => ({
        id: `${this.id}/request/${r.id}`,
        kind: 'request' as const,
        what: r.action,
        status: r.status,
        created: r.createdDateTime,
      })),
      ...history.operations.map((o) => ({
        id: `${this.id}/operation/${o.id}`,
        kind: 'operation' as const,
        what: o.operationType,
        status: o.status,
        created: o.createdDateTime,
      })),
    ].sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''));
    if (entries.length === 0) {
      return [new MessageNode(this, 'empty', vscode.l10n.t('No requests or operations'))];
    }
    return entries.map((e) => new HistoryEntryNode(this, e.id, e));
  }
}
