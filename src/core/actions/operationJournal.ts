import type { PlanImpact } from '../insight/planImpact';
import { randomUUID } from 'node:crypto';
import type { ActionContext, ItemOutcome, JournalRecord } from './actionTypes';
import { describeError } from './errorFacts';
import { msg, type Message } from '../messages';

type Action = JournalRecord['action'];
type Target = JournalRecord['target'];

export interface OutcomeFields {
  readonly outcome: ItemOutcome;
  readonly status: string | null;
  readonly error: string | null;
  readonly requestId?: string;
  readonly clientRequestId?: string;
  readonly note?: string;
}

function actorText(ctx: ActionContext): string | null {
  const actor = ctx.actor;
  if (actor === undefined) {
    return null;
  }
  return actor.label === '' || actor.label === actor.id ? actor.id : `${actor.label} (${actor.id})`;
}

/**
 * One operation's journal pair: the intent before anything is sent, the outcome after. Records share
 * an operation id so an intent without its outcome is found at the next start.
 */
export class OperationJournal {
  readonly operationId = randomUUID();

  constructor(
    private readonly ctx: ActionContext,
    private readonly action: Action,
    private readonly target: Target,
  ) {}

  private base(type: JournalRecord['type']): JournalRecord {
    return {
      time: new Date().toISOString(),
      type,
      operationId: this.operationId,
      action: this.action,
      actor: actorText(this.ctx),
      cloud: this.ctx.cloud,
      target: this.target,
      ...(this.ctx.origin !== undefined ? { origin: this.ctx.origin } : {}),
    };
  }

  /** Writes the intent; throws when it cannot (then nothing may be sent). */
  async intent(priorStatus: string | null, priorEtag: string | null, impact?: PlanImpact | null): Promise<void> {
    await this.ctx.journal.append({ ...this.base('intent'), priorStatus, priorEtag, ...(impact !== undefined ? { impact } : {}) });
  }

  /** Writes a further request of the same operation with the version it acts on; throws when it cannot. */
  async step(priorStatus: string | null, priorEtag: string | null, note: string): Promise<void> {
    await this.ctx.journal.append({ ...this.base('step'), priorStatus, priorEtag, note });
  }

  /**
   * Writes the outcome; returns why it could not instead of throwing (the mutation already happened), as a
   * code with parameters: the result shows it in the face's language, the CLI in English.
   */
  async outcome(fields: OutcomeFields): Promise<Message | null> {
    const record: JournalRecord = {
      ...this.base('outcome'),
      outcome: fields.outcome,
      status: fields.status,
      error: fields.error,
      ...(fields.requestId !== undefined ? { requestId: fields.requestId } : {}),
      ...(fields.clientRequestId !== undefined ? { clientRequestId: fields.clientRequestId } : {}),
      ...(fields.note !== undefined ? { note: fields.note } : {}),
    };
    try {
      await this.ctx.journal.append(record);
      return null;
    } catch (error) {
      return msg('The outcome could not be written to the action journal: {0}', describeError(error).message);
    }
  }
}
