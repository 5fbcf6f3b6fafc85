import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Inventory } from '../../core/actions/inventory';

/*
 * The start-up cache: the last loaded inventory (names, ids, statuses; never a token) in one JSON file
 * under the extension's global storage folder, so the tree paints at once while a fresh load runs.
 * It used to live in `globalState`, which VS Code keeps in memory and rewrites as a whole: a large
 * partner's inventory (several MB) made every save expensive; bulk data belongs in a file
 * (docs/architecture.md §4).
 *
 * Reading never throws: a missing, unreadable, oversized, old-version or malformed file is ignored
 * (one log line says why) and the tree loads from the network as if there were no cache.
 */

/** Bumped when the file's shape changes; files of another version are ignored, never migrated. */
export const STARTUP_CACHE_VERSION = 1;
export const STARTUP_CACHE_FILE = 'inventory-cache.json';
/** Larger files are neither written nor read (the large emulator preset writes about 4 MB). */
export const STARTUP_CACHE_MAX_BYTES = 32 * 1024 * 1024;

const role = z.object({ roleDefinitionId: z.string(), name: z.string(), privileged: z.boolean() }).passthrough();

// Checked as deep as the tree relies on it; extra fields pass through untouched (the tree's own model
// decides what it shows), so adding a field to the inventory needs no version bump.
const relationship = z
  .object({
    id: z.string().min(1),
    displayName: z.string(),
    status: z.string(),
    customer: z.object({ tenantId: z.string().nullable(), displayName: z.string().nullable() }).passthrough(),
    roles: z.array(role),
  })
  .passthrough();

const inventory = z
  .object({
    generatedAt: z.string(),
    source: z.string(),
    customers: z.array(
      z.object({ tenantId: z.string().min(1), displayName: z.string(), relationships: z.array(relationship) }).passthrough(),
    ),
    pendingRelationships: z.array(relationship),
  })
  .passthrough();

const cacheFile = z.object({
  version: z.literal(STARTUP_CACHE_VERSION),
  /** Which sign-in and endpoints it belongs to (never a token). */
  key: z.string(),
  savedAt: z.number().finite(),
  inventory,
});

export interface StartupCacheEntry {
  readonly key: string;
  readonly savedAt: number;
  readonly inventory: Inventory;
}

export class StartupCache {
  /** Writes run one after another, so an older inventory never lands after a newer one. */
  private tail: Promise<void> = Promise.resolve();
  private writes = 0;

  constructor(
    readonly path: string,
    private readonly log: (line: string) => void,
    private readonly maxBytes: number = STARTUP_CACHE_MAX_BYTES,
  ) {}

  /** The saved entry when it is valid and belongs to `key`; otherwise undefined (logged once per reason). */
  async read(key: string): Promise<StartupCacheEntry | undefined> {
    let text: string;
    try {
      const size = (await stat(this.path)).size;
      if (size > this.maxBytes) {
        this.log(`Start-up cache ignored: ${size} bytes is over the ${this.maxBytes}-byte limit.`);
        return undefined;
      }
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`Start-up cache ignored: it could not be read (${(e as Error).message}).`);
      }
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.log('Start-up cache ignored: the file is not valid JSON.');
      return undefined;
    }
    const version = (json as { version?: unknown } | null)?.version;
    if (version !== STARTUP_CACHE_VERSION) {
      this.log(`Start-up cache ignored: version ${String(version)} is not ${STARTUP_CACHE_VERSION}.`);
      return undefined;
    }
    const parsed = cacheFile.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.log(`Start-up cache ignored: unexpected content at ${issue?.path.join('.') || '(root)'} (${issue?.message ?? 'invalid'}).`);
      return undefined;
    }
    if (parsed.data.key !== key) {
      // Another account, cloud or emulator: not an error, just not ours.
      return undefined;
    }
    return { key: parsed.data.key, savedAt: parsed.data.savedAt, inventory: parsed.data.inventory as unknown as Inventory };
  }

  /**
   * Replaces the file atomically (a temporary file in the same folder, then rename): a crash mid-write
   * leaves the previous cache or none, never half a file. Too large an inventory removes the file.
   */
  write(entry: StartupCacheEntry): Promise<void> {
    const run = this.tail.then(() => this.writeNow(entry));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async remove(): Promise<void> {
    await this.tail;
    await rm(this.path, { force: true });
  }

  private async writeNow(entry: StartupCacheEntry): Promise<void> {
    const text = JSON.stringify({ version: STARTUP_CACHE_VERSION, ...entry });
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.maxBytes) {
      this.log(`Start-up cache not written: ${bytes} bytes is over the ${this.maxBytes}-byte limit.`);
      await rm(this.path, { force: true });
      return;
    }
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.${++this.writes}.tmp`;
    try {
      await writeFile(temp, text, { encoding: 'utf8', mode: 0o600 });
      await rename(temp, this.path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
  }
}
