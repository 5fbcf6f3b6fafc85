import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GdapError } from '../http/gdapError';

/*
 * Access assignments to grant once a relationship is approved (docs/renewal.md): an access assignment
 * can only be created on an active relationship, so what the old relationship granted is kept here,
 * keyed by the new relationship's id, until the customer approves. The CLI keeps the file next to its
 * journal; the extension backs the same interface with its global storage.
 */

export interface PlannedAssignment {
  readonly groupId: string;
  readonly roleDefinitionIds: readonly string[];
}

export interface PlannedAssignmentStore {
  get(relationshipId: string): Promise<readonly PlannedAssignment[]>;
  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void>;
  delete(relationshipId: string): Promise<void>;
}

type StoreFile = { readonly version: 1; readonly relationships: Record<string, readonly PlannedAssignment[]> };

function isPlannedAssignment(value: unknown): value is PlannedAssignment {
  const v = value as { groupId?: unknown; roleDefinitionIds?: unknown } | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.groupId === 'string' &&
    Array.isArray(v.roleDefinitionIds) &&
    v.roleDefinitionIds.every((r) => typeof r === 'string')
  );
}

/** A JSON file, written whole to a temporary file and renamed over the old one, so a crash never leaves half a file. */
export class FilePlannedAssignmentStore implements PlannedAssignmentStore {
  /** Serialises read-modify-write cycles of this process. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  async get(relationshipId: string): Promise<readonly PlannedAssignment[]> {
    await this.queue.catch(() => undefined);
    return (await this.read()).relationships[relationshipId] ?? [];
  }

  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void> {
    return this.update((all) => {
      all[relationshipId] = items.map((i) => ({ groupId: i.groupId, roleDefinitionIds: [...i.roleDefinitionIds] }));
    });
  }

  delete(relationshipId: string): Promise<void> {
    return this.update((all) => {
      delete all[relationshipId];
    });
  }

  private update(change: (all: Record<string, readonly PlannedAssignment[]>) => void): Promise<void> {
    const next = this.queue
      .catch(() => undefined)
      .then(async () => {
        const all = { ...(await this.read()).relationships };
        change(all);
        await this.write({ version: 1, relationships: all });
      });
    this.queue = next;
    return next;
  }

  private async read(): Promise<StoreFile> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { version: 1, relationships: {} };
      }
      throw new GdapError({ kind: 'invalidInput', message: `Could not read the planned assignments file ${this.file}.`, cause: error });
    }
    try {
      const parsed = JSON.parse(text) as { relationships?: unknown };
      const relationships: Record<string, PlannedAssignment[]> = {};
      if (typeof parsed.relationships === 'object' && parsed.relationships !== null) {
        for (const [id, items] of Object.entries(parsed.relationships as Record<string, unknown>)) {
          if (Array.isArray(items)) {
            relationships[id] = items.filter(isPlannedAssignment);
          }
        }
      }
      return { version: 1, relationships };
    } catch (error) {
      throw new GdapError({
        kind: 'invalidInput',
        message: `The planned assignments file ${this.file} is not valid JSON; move it aside to start afresh.`,
        cause: error,
      });
    }
  }

  private async write(content: StoreFile): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    await fs.rename(temp, this.file);
  }
}

/** In memory, for tests and callers without storage. */
export class MemoryPlannedAssignmentStore implements PlannedAssignmentStore {
  readonly items = new Map<string, readonly PlannedAssignment[]>();

  get(relationshipId: string): Promise<readonly PlannedAssignment[]> {
    return Promise.resolve(this.items.get(relationshipId) ?? []);
  }

  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void> {
    this.items.set(relationshipId, [...items]);
    return Promise.resolve();
  }

  delete(relationshipId: string): Promise<void> {
    this.items.delete(relationshipId);
    return Promise.resolve();
  }
}
