import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { GdapError } from '../http/gdapError';
import { english, msg } from '../messages';

/*
 * Planned assignments: the security-group assignments chosen when a relationship is created (or renewed),
 * kept locally until the customer approves, because the service accepts access assignments only on an
 * active relationship (docs/api-notes.md §3.11). `gdap grant-planned` grants them later (docs/onboarding.md).
 */

/** One group assignment to grant once the relationship is active. */
export interface PlannedAssignment {
  readonly groupId: string;
  readonly roleDefinitionIds: readonly string[];
}

/** Where planned assignments are kept, keyed by relationship id. */
export interface PlannedAssignmentStore {
  get(relationshipId: string): Promise<readonly PlannedAssignment[]>;
  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void>;
  delete(relationshipId: string): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const plannedAssignmentSchema = z.object({
  groupId: z.string().regex(GUID),
  roleDefinitionIds: z.array(z.string().regex(GUID)).min(1),
});

/**
 * The refusal of an item that is not a group id with role template ids: English for the CLI and the log, as
 * a code (src/core/messages.ts) for the extension, which shows it in the user's language.
 */
export function invalidPlannedAssignment(item: unknown): GdapError {
  const message = msg('A planned assignment needs a group id and at least one role template id (GUIDs); got {0}.', JSON.stringify(item));
  return new GdapError({ kind: 'invalidInput', message: english(message), messageCodes: [message] });
}

const fileSchema = z.object({
  version: z.literal(1),
  relationships: z.record(z.string(), z.array(plannedAssignmentSchema)),
});
type PlannedFile = z.infer<typeof fileSchema>;

/**
 * A JSON file (mode 0600, folder 0700) written whole through a temporary file and a rename, so a crash
 * never leaves it half-written. Read and validated on every call: another process (a second CLI run)
 * may have changed it. Writes within one process are serialised.
 */
export class FilePlannedAssignmentStore implements PlannedAssignmentStore {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(relationshipId: string): Promise<readonly PlannedAssignment[]> {
    await this.tail;
    const file = await this.read();
    return file.relationships[relationshipId] ?? [];
  }

  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void> {
    for (const item of items) {
      const parsed = plannedAssignmentSchema.safeParse(item);
      if (!parsed.success) {
        return Promise.reject(invalidPlannedAssignment(item));
      }
    }
    return this.update((file) => {
      const relationships = { ...file.relationships };
      if (items.length === 0) {
        delete relationships[relationshipId];
      } else {
        relationships[relationshipId] = items.map((i) => ({ groupId: i.groupId, roleDefinitionIds: [...i.roleDefinitionIds] }));
      }
      return { ...file, relationships };
    });
  }

  delete(relationshipId: string): Promise<void> {
    return this.update((file) => {
      const relationships = { ...file.relationships };
      delete relationships[relationshipId];
      return { ...file, relationships };
    });
  }

  private update(change: (file: PlannedFile) => PlannedFile): Promise<void> {
    const run = this.tail.then(async () => this.write(change(await this.read())));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<PlannedFile> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        return { version: 1, relationships: {} };
      }
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.corrupt('it is not JSON');
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw this.corrupt(parsed.error.issues[0]?.message ?? 'unexpected shape');
    }
    return parsed.data;
  }

  private corrupt(why: string): GdapError {
    return new GdapError({
      kind: 'invalidInput',
      message: `The planned-assignments file ${this.path} cannot be read (${why}); fix or remove it.`,
    });
  }

  private async write(file: PlannedFile): Promise<void> {
    await fs.mkdir(path.dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    const handle = await fs.open(tmp, 'w', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.path);
  }
}

/** A store in memory, for tests and for callers that keep nothing between runs. */
export class MemoryPlannedAssignmentStore implements PlannedAssignmentStore {
  /** What is planned, by relationship id (readable for inspection). */
  readonly items = new Map<string, readonly PlannedAssignment[]>();

  get(relationshipId: string): Promise<readonly PlannedAssignment[]> {
    return Promise.resolve(this.items.get(relationshipId) ?? []);
  }

  set(relationshipId: string, items: readonly PlannedAssignment[]): Promise<void> {
    if (items.length === 0) {
      this.items.delete(relationshipId);
    } else {
      this.items.set(
        relationshipId,
        items.map((i) => ({ groupId: i.groupId, roleDefinitionIds: [...i.roleDefinitionIds] })),
      );
    }
    return Promise.resolve();
  }

  delete(relationshipId: string): Promise<void> {
    this.items.delete(relationshipId);
    return Promise.resolve();
  }
}
