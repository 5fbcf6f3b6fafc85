import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Inventory, InventoryCustomer, InventoryRelationship, InventoryRole } from '../../core/actions/inventory';

/*
 * The start-up cache: the last loaded inventory (names, ids, statuses; never a token) in one file under
 * the extension's global storage folder, so the tree paints at once while a fresh load runs. It used to
 * live in `globalState`, which VS Code keeps in memory and rewrites as a whole: a large partner's
 * inventory (several MB) made every save expensive; bulk data belongs in a file (docs/architecture.md §4).
 *
 * Format (version 2): one JSON header line, then one line per customer and lines of pending
 * relationships. Relationships are positional rows and roles indexes into the header's role table: the
 * 10,000-customer emulator preset takes ≈ 7 MB instead of ≈ 24 MB as one JSON document of objects. The
 * file is written and read line by line, yielding to the event loop every few milliseconds: one
 * `JSON.parse` of the whole document blocked the extension host for seconds at that size
 * (BENCHMARKS.md, scenario 5).
 *
 * Reading never throws: a missing, unreadable, oversized, old-version or malformed file is ignored
 * (one log line says why) and the tree loads from the network as if there were no cache.
 */

/** Bumped when the file's shape changes; files of another version are ignored, never migrated. */
export const STARTUP_CACHE_VERSION = 2;
export const STARTUP_CACHE_FILE = 'inventory-cache.json';
/** Larger files are neither written nor read (the 10,000-customer emulator preset writes about 7 MB). */
export const STARTUP_CACHE_MAX_BYTES = 32 * 1024 * 1024;
/** A header line longer than this is not a version-2 header (a version-1 file is one long line). */
const MAX_HEADER_BYTES = 1024 * 1024;
const NEWLINE = 0x0a;
/** Work between two yields to the event loop, reading or writing. */
const SLICE_MS = 4;
/** Pending relationships per line. */
const PENDING_PER_LINE = 200;

export interface StartupCacheEntry {
  readonly key: string;
  readonly savedAt: number;
  readonly inventory: Inventory;
}

/** `0` in a row: the field is absent (etag) or the same as the line's customer (customer). */
type RoleRow = [roleDefinitionId: string, name: string, privileged: boolean];
type RelationshipRow = [
  id: string,
  displayName: string,
  status: string,
  createdDateTime: string | null,
  activatedDateTime: string | null,
  endDateTime: string | null,
  duration: string | null,
  autoExtendDuration: string | null,
  customer: 0 | [tenantId: string | null, displayName: string | null],
  roles: number[],
  etag: string | null | 0,
  /** Fields the row has no column for, kept as they are (the tree's own model decides what it shows). */
  extra?: Record<string, unknown>,
];
type Line = ['c', tenantId: string, displayName: string, relationships: RelationshipRow[]] | ['p', relationships: RelationshipRow[]];

interface Header {
  version: number;
  key: string;
  savedAt: number;
  generatedAt: string;
  source: string;
  roles: RoleRow[];
  extra?: Record<string, unknown>;
}

const ROW_KEYS = new Set([
  'id',
  'displayName',
  'status',
  'createdDateTime',
  'activatedDateTime',
  'endDateTime',
  'duration',
  'autoExtendDuration',
  'customer',
  'roles',
  'etag',
]);
const INVENTORY_KEYS = new Set(['generatedAt', 'source', 'customers', 'pendingRelationships']);

/** Thrown inside the reader only; `read` turns it into one log line. */
class CacheContentError extends Error {}

const yieldToHost = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Calls `yieldToHost` once `SLICE_MS` of work has passed since the last yield. */
function slicer(): () => Promise<void> {
  let since = performance.now();
  return async (): Promise<void> => {
    if (performance.now() - since >= SLICE_MS) {
      await yieldToHost();
      since = performance.now();
    }
  };
}

function extraOf(value: object, known: Set<string>): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    if (!known.has(k) && v !== undefined) {
      (extra ??= {})[k] = v;
    }
  }
  return extra;
}

function toRow(
  r: InventoryRelationship,
  owner: InventoryCustomer | undefined,
  roleIndex: (role: InventoryRole) => number,
): RelationshipRow {
  const sameCustomer = owner !== undefined && r.customer.tenantId === owner.tenantId && r.customer.displayName === owner.displayName;
  const row: RelationshipRow = [
    r.id,
    r.displayName,
    r.status,
    r.createdDateTime,
    r.activatedDateTime,
    r.endDateTime,
    r.duration,
    r.autoExtendDuration,
    sameCustomer ? 0 : [r.customer.tenantId, r.customer.displayName],
    r.roles.map(roleIndex),
    r.etag === undefined ? 0 : r.etag,
  ];
  const extra = extraOf(r, ROW_KEYS);
  if (extra !== undefined) {
    row.push(extra);
  }
  return row;
}

/** The file's text, built a customer at a time with yields between slices. */
async function serialise(entry: StartupCacheEntry): Promise<string> {
  const roles: RoleRow[] = [];
  const roleIds = new Map<string, number>();
  const roleIndex = (role: InventoryRole): number => {
    const k = `${role.roleDefinitionId}\n${role.name}\n${String(role.privileged)}`;
    let i = roleIds.get(k);
    if (i === undefined) {
      i = roles.push([role.roleDefinitionId, role.name, role.privileged]) - 1;
      roleIds.set(k, i);
    }
    return i;
  };
  const pace = slicer();
  const inv = entry.inventory;
  const lines: string[] = [];
  for (const c of inv.customers) {
    const line: Line = ['c', c.tenantId, c.displayName, c.relationships.map((r) => toRow(r, c, roleIndex))];
    lines.push(JSON.stringify(line));
    await pace();
  }
  for (let i = 0; i < inv.pendingRelationships.length; i += PENDING_PER_LINE) {
    const line: Line = ['p', inv.pendingRelationships.slice(i, i + PENDING_PER_LINE).map((r) => toRow(r, undefined, roleIndex))];
    lines.push(JSON.stringify(line));
    await pace();
  }
  const header: Header = {
    version: STARTUP_CACHE_VERSION,
    key: entry.key,
    savedAt: entry.savedAt,
    generatedAt: inv.generatedAt,
    source: inv.source,
    roles,
  };
  const extra = extraOf(inv, INVENTORY_KEYS);
  if (extra !== undefined) {
    header.extra = extra;
  }
  return `${JSON.stringify(header)}\n${lines.join('\n')}\n`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkHeader(h: unknown): Header {
  if (!isRecord(h) || !isString(h.key) || typeof h.savedAt !== 'number' || !Number.isFinite(h.savedAt)) {
    throw new CacheContentError('header (key, savedAt)');
  }
  if (!isString(h.generatedAt) || !isString(h.source) || !Array.isArray(h.roles) || (h.extra !== undefined && !isRecord(h.extra))) {
    throw new CacheContentError('header (generatedAt, source, roles)');
  }
  for (const [i, r] of (h.roles as unknown[]).entries()) {
    if (!Array.isArray(r) || !isString(r[0]) || !isString(r[1]) || typeof r[2] !== 'boolean') {
      throw new CacheContentError(`roles.${i}`);
    }
  }
  return h as unknown as Header;
}

/** One relationship row back into the model; `where` names it in the log line when it is malformed. */
function fromRow(
  row: unknown,
  roles: readonly InventoryRole[],
  owner: InventoryRelationship['customer'] | undefined,
  where: string,
): InventoryRelationship {
  if (!Array.isArray(row) || row.length < 11 || !isString(row[0]) || row[0] === '' || !isString(row[1]) || !isString(row[2])) {
    throw new CacheContentError(`${where} (id, displayName, status)`);
  }
  for (let k = 3; k <= 7; k++) {
    if (!isNullableString(row[k])) {
      throw new CacheContentError(`${where} (dates, durations)`);
    }
  }
  const c: unknown = row[8];
  const customer =
    c === 0 && owner !== undefined
      ? owner
      : Array.isArray(c) && isNullableString(c[0]) && isNullableString(c[1])
        ? { tenantId: c[0], displayName: c[1] }
        : undefined;
  if (customer === undefined) {
    throw new CacheContentError(`${where} (customer)`);
  }
  const roleIds: unknown = row[9];
  if (!Array.isArray(roleIds) || !roleIds.every((i) => typeof i === 'number' && roles[i] !== undefined)) {
    throw new CacheContentError(`${where} (roles)`);
  }
  const etag: unknown = row[10];
  const extra: unknown = row[11];
  if ((etag !== 0 && !isNullableString(etag)) || (extra !== undefined && !isRecord(extra))) {
    throw new CacheContentError(`${where} (etag)`);
  }
  // One object literal per shape (no spreads): this runs once per relationship of the whole inventory.
  const r: Record<string, unknown> = {
    id: row[0],
    displayName: row[1],
    status: row[2],
    createdDateTime: row[3],
    activatedDateTime: row[4],
    endDateTime: row[5],
    duration: row[6],
    autoExtendDuration: row[7],
    customer,
    // The role objects are shared by every relationship that carries the role.
    roles: (roleIds as number[]).map((i) => roles[i]),
  };
  if (etag !== 0) {
    r.etag = etag;
  }
  if (extra !== undefined) {
    for (const [k, v] of Object.entries(extra)) {
      if (!ROW_KEYS.has(k)) {
        r[k] = v;
      }
    }
  }
  return r as unknown as InventoryRelationship;
}

/** The lines after the header, parsed and checked one at a time, yielding between slices. */
async function parseBody(
  bytes: Buffer,
  start: number,
  roles: readonly InventoryRole[],
): Promise<Pick<Inventory, 'customers' | 'pendingRelationships'>> {
  const customers: InventoryCustomer[] = [];
  const pendingRelationships: InventoryRelationship[] = [];
  const pace = slicer();
  let pos = start;
  while (pos < bytes.length) {
    let end = bytes.indexOf(NEWLINE, pos);
    end = end < 0 ? bytes.length : end;
    if (end > pos) {
      const where = `customers.${customers.length}`;
      let line: unknown;
      try {
        line = JSON.parse(bytes.toString('utf8', pos, end));
      } catch {
        throw new CacheContentError(`${where} (not JSON)`);
      }
      if (
        Array.isArray(line) &&
        line[0] === 'c' &&
        line.length === 4 &&
        isString(line[1]) &&
        line[1] !== '' &&
        isString(line[2]) &&
        Array.isArray(line[3])
      ) {
        const owner = { tenantId: line[1], displayName: line[2] };
        const rows = line[3] as unknown[];
        customers.push({
          tenantId: line[1],
          displayName: line[2],
          relationships: rows.map((row, i) => fromRow(row, roles, owner, `${where}.relationships.${i}`)),
        });
      } else if (Array.isArray(line) && line[0] === 'p' && line.length === 2 && Array.isArray(line[1])) {
        const rows = line[1] as unknown[];
        for (const row of rows) {
          pendingRelationships.push(fromRow(row, roles, undefined, `pendingRelationships.${pendingRelationships.length}`));
        }
      } else {
        throw new CacheContentError(where);
      }
      await pace();
    }
    pos = end + 1;
  }
  return { customers, pendingRelationships };
}

export class StartupCache {
  /** Writes run one after another, so an older inventory never lands after a newer one. */
  private tail: Promise<void> = Promise.resolve();
  /** The write queued behind the one in progress, if any: later writes hand it their entry instead. */
  private waiting: { entry: StartupCacheEntry; run: Promise<void> } | undefined;
  private writes = 0;
  private writesAsked = 0;

  constructor(
    readonly path: string,
    private readonly log: (line: string) => void,
    private readonly maxBytes: number = STARTUP_CACHE_MAX_BYTES,
  ) {}

  /** The saved entry when it is valid and belongs to `key`; otherwise undefined (logged once per reason). */
  async read(key: string): Promise<StartupCacheEntry | undefined> {
    let bytes: Buffer;
    try {
      const size = (await stat(this.path)).size;
      if (size > this.maxBytes) {
        this.log(`Start-up cache ignored: ${size} bytes is over the ${this.maxBytes}-byte limit.`);
        return undefined;
      }
      // Kept as bytes: decoding the whole file at once is itself a block of tens of milliseconds on a
      // busy machine; each line is decoded on its own ('\n' never occurs inside a UTF-8 sequence).
      bytes = await readFile(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log(`Start-up cache ignored: it could not be read (${(e as Error).message}).`);
      }
      return undefined;
    }
    const headerEnd = bytes.indexOf(NEWLINE);
    if ((headerEnd < 0 ? bytes.length : headerEnd) > MAX_HEADER_BYTES) {
      // A file of an earlier version: one long line, not parsed (that would block the host).
      this.log(`Start-up cache ignored: it is not a version ${STARTUP_CACHE_VERSION} file.`);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8', 0, headerEnd < 0 ? bytes.length : headerEnd));
    } catch {
      this.log('Start-up cache ignored: the file is not valid JSON.');
      return undefined;
    }
    const version = (json as { version?: unknown } | null)?.version;
    if (version !== STARTUP_CACHE_VERSION) {
      this.log(`Start-up cache ignored: version ${String(version)} is not ${STARTUP_CACHE_VERSION}.`);
      return undefined;
    }
    try {
      const header = checkHeader(json);
      if (header.key !== key) {
        // Another account, cloud or emulator: not an error, just not ours.
        return undefined;
      }
      const roles: InventoryRole[] = header.roles.map(([roleDefinitionId, name, privileged]) => ({ roleDefinitionId, name, privileged }));
      const body = await parseBody(bytes, headerEnd < 0 ? bytes.length : headerEnd + 1, roles);
      const inventory = { ...(header.extra ?? {}), generatedAt: header.generatedAt, source: header.source, ...body } as Inventory;
      return { key: header.key, savedAt: header.savedAt, inventory };
    } catch (e) {
      if (!(e instanceof CacheContentError)) {
        throw e;
      }
      this.log(`Start-up cache ignored: unexpected content at ${e.message}.`);
      return undefined;
    }
  }

  /**
   * Replaces the file atomically (a temporary file in the same folder, then rename): a crash mid-write
   * leaves the previous cache or none, never half a file. Too large an inventory removes the file.
   */
  write(entry: StartupCacheEntry): Promise<void> {
    if (this.waiting !== undefined) {
      // A write not started yet takes the newer entry: a burst of changes (a bulk action's results) writes
      // the file once after the one in progress, not once per change, each a few MB at 10,000 customers.
      this.waiting.entry = entry;
      return this.waiting.run;
    }
    const waiting: { entry: StartupCacheEntry; run: Promise<void> } = { entry, run: Promise.resolve() };
    waiting.run = this.tail.then(() => {
      this.waiting = undefined;
      return this.writeNow(waiting.entry);
    });
    this.waiting = waiting;
    this.tail = waiting.run.catch(() => undefined);
    this.writesAsked += 1;
    return waiting.run;
  }

  /** Files written (or removed as too large) since this object was made: a burst counts once; for the tests. */
  get writeCount(): number {
    return this.writesAsked;
  }

  async remove(): Promise<void> {
    await this.tail;
    await rm(this.path, { force: true });
  }

  private async writeNow(entry: StartupCacheEntry): Promise<void> {
    const text = await serialise(entry);
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
