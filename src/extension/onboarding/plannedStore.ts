import type * as vscode from 'vscode';
import { invalidPlannedAssignment, type PlannedAssignment, type PlannedAssignmentStore } from '../../core/actions/plannedAssignments';

/** The globalState key of the planned assignments (docs/onboarding.md §8). */
export const PLANNED_ASSIGNMENTS_KEY = 'gdap.plannedAssignments.v1';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Stored = Record<string, readonly PlannedAssignment[]>;

function isPlanned(value: unknown): value is PlannedAssignment {
  const v = value as { groupId?: unknown; roleDefinitionIds?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.groupId === 'string' &&
    GUID.test(v.groupId) &&
    Array.isArray(v.roleDefinitionIds) &&
    v.roleDefinitionIds.length > 0 &&
    v.roleDefinitionIds.every((r) => typeof r === 'string' && GUID.test(r))
  );
}

/**
 * Planned assignments in the extension's globalState: a few ids per relationship, no secret, kept across
 * restarts and windows of this machine, not synced (Settings Sync would carry them to a machine signed in
 * to another partner tenant). The CLI keeps its own file; the two are separate on purpose
 * (docs/onboarding.md §8). Whatever is read is checked: a damaged entry is dropped, not trusted.
 */
export class MementoPlannedAssignmentStore implements PlannedAssignmentStore {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly memento: vscode.Memento) {}

  private read(): Stored {
    const raw = this.memento.get<unknown>(PLANNED_ASSIGNMENTS_KEY);
    if (typeof raw !== 'object' || raw === null) {
      return {};
    }
    const out: Record<string, PlannedAssignment[]> = {};
    for (const [id, items] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(items)) {
        const valid = items.filter(isPlanned);
        if (valid.length > 0) {
          out[id] = valid;
        }
      }
    }
    return out;
  }

  /** Every relationship with planned assignments. */
  relationshipIds(): string[] {
    return Object.keys(this.read());
  }

  async get(relationshipId: string): Promise<readonly PlannedAssignment[]> {
    await this.tail;
    return this.read()[relationshipId] ?? [];
  }

  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void> {
    const bad = items.find((i) => !isPlanned(i));
    if (bad !== undefined) {
      // The same refusal as the CLI's store, as a code: the error funnel shows it in the user's language.
      return Promise.reject(invalidPlannedAssignment(bad));
    }
    return this.update((all) => {
      if (items.length === 0) {
        delete all[relationshipId];
      } else {
        all[relationshipId] = items.map((i) => ({ groupId: i.groupId, roleDefinitionIds: [...i.roleDefinitionIds] }));
      }
    });
  }

  delete(relationshipId: string): Promise<void> {
    return this.update((all) => {
      delete all[relationshipId];
    });
  }

  private update(change: (all: Record<string, readonly PlannedAssignment[]>) => void): Promise<void> {
    const run = this.tail.then(async () => {
      const all: Record<string, readonly PlannedAssignment[]> = { ...this.read() };
      change(all);
      await this.memento.update(PLANNED_ASSIGNMENTS_KEY, Object.keys(all).length === 0 ? undefined : all);
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}
