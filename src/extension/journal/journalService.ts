import * as vscode from 'vscode';
import type { JournalRecord } from '../../core/actions/actionTypes';
import { FileJournal, findInterrupted, readRecords } from '../../core/actions/journal';
import type { CoreClients } from '../../core/coreClients';
import type { Log } from '../ui/log';
import type { PromptHolder } from '../ui/promptLayer';

/**
 * The extension's action journal (JSONL in its global storage, written by core) and the start-up check
 * for interrupted runs: an intent without an outcome is reconciled by re-reading its target, recorded
 * as `reconciled`, and the user is told.
 */
export class JournalService {
  readonly journal: FileJournal;

  constructor(readonly path: string) {
    this.journal = new FileJournal(path);
  }

  async reconcile(clients: CoreClients, log: Log, prompts: PromptHolder): Promise<number> {
    let records: JournalRecord[];
    try {
      records = await readRecords(this.path);
    } catch {
      return 0;
    }
    const open = findInterrupted(records);
    if (open.length === 0) {
      return 0;
    }
    const lines: string[] = [];
    for (const intent of open) {
      let status: string | null = null;
      let error: string | null = null;
      try {
        status = await readStatus(clients, intent);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      await this.journal.append({
        time: new Date().toISOString(),
        type: 'reconciled',
        operationId: intent.operationId,
        action: intent.action,
        actor: intent.actor,
        cloud: intent.cloud,
        target: intent.target,
        status,
        error,
      });
      const name = intent.target.name ?? intent.target.relationshipId ?? intent.target.customerTenantId ?? intent.operationId;
      lines.push(`${intent.action} ${name}: ${status ?? error ?? 'unknown'}`);
      log.info(`Journal: reconciled interrupted ${intent.action} of ${name} → ${status ?? `unknown (${error ?? ''})`}`);
    }
    const show = vscode.l10n.t('Show Action Journal');
    const choice = await prompts.current.notify(
      'warning',
      vscode.l10n.t('{0} action(s) were interrupted last time. Their current state was read again: {1}', open.length, lines.join('; ')),
      show,
    );
    if (choice === show) {
      await vscode.commands.executeCommand('gdap.showJournal');
    }
    return open.length;
  }

  async close(): Promise<void> {
    await this.journal.close();
  }
}

async function readStatus(clients: CoreClients, intent: JournalRecord): Promise<string | null> {
  const t = intent.target;
  if (intent.action === 'terminateRelationship' && t.relationshipId) {
    return (await clients.graph.getRelationship(t.relationshipId)).status;
  }
  if (intent.action === 'removeAccessAssignment' && t.relationshipId && t.assignmentId) {
    try {
      return (await clients.graph.getAccessAssignment(t.relationshipId, t.assignmentId)).status;
    } catch (e) {
      if ((e as { kind?: unknown }).kind === 'notFound') {
        return 'deleted';
      }
      throw e;
    }
  }
  if (intent.action === 'removeDap' && t.customerTenantId) {
    const c = await clients.partnerCenter.getCustomer(t.customerTenantId);
    return c.allowDelegatedAccess === false ? 'dapOff' : c.allowDelegatedAccess === true ? 'dapOn' : null;
  }
  return null;
}
