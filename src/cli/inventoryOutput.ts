import type { Inventory, InventoryRelationship, InventoryRole } from '../core/actions/inventory';
import { autoExtends, daysUntilEnd, includesGlobalAdministrator } from '../core/actions/relationshipFacts';
import { relationshipOrigin } from '../core/domain/relationshipOrigin';
import { toCsv } from './csv';
import { renderTable, type TableColumn } from './table';

const RELATIONSHIP_COLUMNS = [
  'customerTenantId',
  'customerDisplayName',
  'relationshipId',
  'relationshipDisplayName',
  'status',
  'createdDateTime',
  'activatedDateTime',
  'endDateTime',
  'duration',
  'autoExtendDuration',
  'roles',
  'privileged',
] as const;

const ASSIGNMENT_COLUMNS = [
  'assignmentId',
  'assignmentStatus',
  'accessContainerId',
  'accessContainerType',
  'assignmentRoles',
  'assignmentCreatedDateTime',
  'assignmentLastModifiedDateTime',
] as const;

type Cell = string | boolean | null;

/** Role names joined with "; " (a role name never contains one). */
function roleNames(roles: readonly InventoryRole[]): string {
  return roles.map((r) => r.name).join('; ');
}

function relationshipCells(r: InventoryRelationship): Cell[] {
  return [
    r.customer.tenantId,
    r.customer.displayName,
    r.id,
    r.displayName,
    r.status,
    r.createdDateTime,
    r.activatedDateTime,
    r.endDateTime,
    r.duration,
    r.autoExtendDuration,
    roleNames(r.roles),
    r.roles.some((role) => role.privileged),
  ];
}

/** Every relationship of the inventory in output order: customers (by name), then the pending ones. */
export function inventoryRelationships(inventory: Inventory): InventoryRelationship[] {
  return [...inventory.customers.flatMap((c) => c.relationships), ...inventory.pendingRelationships];
}

/**
 * RFC 4180 CSV: one row per relationship; with assignments one row per access assignment, and one row
 * with empty assignment columns for a relationship that has none (so no relationship disappears).
 */
export function relationshipsToCsv(relationships: readonly InventoryRelationship[], withAssignments: boolean): string {
  if (!withAssignments) {
    return toCsv(RELATIONSHIP_COLUMNS, relationships.map(relationshipCells));
  }
  const rows: Cell[][] = [];
  for (const r of relationships) {
    const base = relationshipCells(r);
    const assignments = r.accessAssignments ?? [];
    if (assignments.length === 0) {
      rows.push([...base, ...ASSIGNMENT_COLUMNS.map(() => null)]);
    }
    for (const a of assignments) {
      rows.push([
        ...base,
        a.id,
        a.status,
        a.accessContainer.accessContainerId,
        a.accessContainer.accessContainerType,
        roleNames(a.roles),
        a.createdDateTime,
        a.lastModifiedDateTime,
      ]);
    }
  }
  return toCsv([...RELATIONSHIP_COLUMNS, ...ASSIGNMENT_COLUMNS], rows);
}

export function inventoryToCsv(inventory: Inventory, withAssignments: boolean): string {
  return relationshipsToCsv(inventoryRelationships(inventory), withAssignments);
}

/** A table row of `gdap inventory`: a relationship, or a customer that has none. */
export interface InventoryTableRow {
  readonly customerName: string;
  readonly relationship: InventoryRelationship | null;
}

/** `2026-03-03` (a date a reader in any locale reads the same), or "" when there is none. */
export function tableDate(value: string | null): string {
  if (value === null || value === '') {
    return '';
  }
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().slice(0, 10);
}

function customerLabel(r: InventoryRelationship): string {
  return r.customer.displayName || r.customer.tenantId || '(no customer yet)';
}

/** "3", "3, GA": the role count, and whether Global Administrator (the riskiest, and no auto-extend) is among them. */
function rolesSummary(r: InventoryRelationship): string {
  return `${r.roles.length}${includesGlobalAdministrator(r) ? ', GA' : ''}`;
}

const CUSTOMER_MIN = 12;
const NAME_MIN = 14;
const ORIGIN_MIN = 10;
/** A date is useless cut short. */
const DATE_MIN = 10;
/** A cut id only has to be recognisable ("1353586a-24f…"); --format json or csv has it whole. */
const ID_MIN = 13;

const RELATIONSHIP_NAME: TableColumn<InventoryRelationship> = { header: 'RELATIONSHIP', value: (r) => r.displayName, minWidth: NAME_MIN };
const ORIGIN: TableColumn<InventoryRelationship> = {
  header: 'ORIGIN',
  value: (r) => relationshipOrigin(r.displayName).label,
  minWidth: ORIGIN_MIN,
};
const RELATIONSHIP_ID: TableColumn<InventoryRelationship> = { header: 'ID', value: (r) => r.id, keep: true, minWidth: ID_MIN };

/** Columns of `gdap inventory --format table`; `--assignments` adds the number of access assignments. */
export function inventoryColumns(withAssignments: boolean): TableColumn<InventoryTableRow>[] {
  // A relationship column read through the row; a customer without relationships leaves it empty.
  const of = (column: TableColumn<InventoryRelationship>): TableColumn<InventoryTableRow> => ({
    ...column,
    value: (row) => (row.relationship === null ? '' : column.value(row.relationship)),
  });
  const columns: TableColumn<InventoryTableRow>[] = [
    { header: 'CUSTOMER', value: (row) => row.customerName, minWidth: CUSTOMER_MIN },
    { ...of(RELATIONSHIP_NAME), value: (row) => (row.relationship === null ? '(no relationship)' : row.relationship.displayName) },
    of(ORIGIN),
    { header: 'STATUS', value: (row) => row.relationship?.status ?? '', minWidth: 8 },
    { header: 'ENDS', value: (row) => tableDate(row.relationship?.endDateTime ?? null), minWidth: DATE_MIN },
    {
      header: 'EXTENDS',
      value: (row) =>
        row.relationship === null || row.relationship.status !== 'active' ? '' : autoExtends(row.relationship) ? 'yes' : 'no',
      minWidth: 7,
    },
    { header: 'ROLES', value: (row) => (row.relationship === null ? '' : rolesSummary(row.relationship)), minWidth: 5 },
  ];
  if (withAssignments) {
    columns.push({
      header: 'ASSIGNMENTS',
      align: 'right',
      value: (row) => {
        const r = row.relationship;
        if (r?.accessAssignmentsError !== undefined) {
          return 'not loaded';
        }
        return r?.accessAssignments === undefined ? '' : String(r.accessAssignments.filter((a) => a.status !== 'deleted').length);
      },
    });
  }
  columns.push(of(RELATIONSHIP_ID));
  return columns;
}

/** Rows in inventory order: each customer's relationships (a customer with none gets one row), then the pending ones. */
export function inventoryTableRows(inventory: Inventory): InventoryTableRow[] {
  const rows: InventoryTableRow[] = [];
  for (const c of inventory.customers) {
    const name = c.displayName || c.tenantId;
    if (c.relationships.length === 0) {
      rows.push({ customerName: name, relationship: null });
    }
    for (const r of c.relationships) {
      rows.push({ customerName: name, relationship: r });
    }
  }
  for (const r of inventory.pendingRelationships) {
    rows.push({ customerName: customerLabel(r), relationship: r });
  }
  return rows;
}

/** `gdap inventory` as a table, with a one-line count under it. */
export function inventoryToTable(inventory: Inventory, withAssignments: boolean, width: number | undefined): string {
  const rows = inventoryTableRows(inventory);
  if (rows.length === 0) {
    return 'No customers or relationships.\n';
  }
  const relationships = rows.filter((r) => r.relationship !== null).length;
  const customers = inventory.customers.length;
  const summary = `${customers} customer${customers === 1 ? '' : 's'}, ${relationships} relationship${relationships === 1 ? '' : 's'}\n`;
  return renderTable(inventoryColumns(withAssignments), rows, { width }) + summary;
}

/** Columns of `gdap expiring --format table`, given the moment "days left" counts from. */
export function expiringColumns(now: Date): TableColumn<InventoryRelationship>[] {
  return [
    { header: 'CUSTOMER', value: customerLabel, minWidth: CUSTOMER_MIN },
    RELATIONSHIP_NAME,
    ORIGIN,
    { header: 'ENDS', value: (r) => tableDate(r.endDateTime), minWidth: DATE_MIN },
    { header: 'DAYS LEFT', align: 'right', value: (r) => String(Math.max(0, daysUntilEnd(r, now) ?? 0)), minWidth: 9 },
    { header: 'ROLES', value: rolesSummary, minWidth: 5 },
    RELATIONSHIP_ID,
  ];
}

/** `gdap expiring` as a table (soonest first, as given). */
export function expiringToTable(
  relationships: readonly InventoryRelationship[],
  days: number,
  now: Date,
  width: number | undefined,
): string {
  if (relationships.length === 0) {
    return `No active relationship ends within ${days} day${days === 1 ? '' : 's'} without auto-extending.\n`;
  }
  return renderTable(expiringColumns(now), relationships, { width });
}

/** `text` re-indented by `pad` after every line break (JSON.stringify escapes line breaks inside strings). */
function indented(text: string, pad: string): string {
  return text.includes('\n') ? text.replace(/\n/g, `\n${pad}`) : text;
}

/**
 * How many elements of a top-level array are stringified together, between these bounds: the count
 * follows the text the last group made, so that a piece stays near `PIECE_CHARS`. A call per element
 * with a re-indenting pass each cost twice the output time of a call per group (BENCHMARKS.md,
 * "Inventory output"); but a group whose text is larger than V8's largest ordinary heap object
 * (128 KB) is made in memory mapped for that one string and handed back after it, a page fault per
 * 4 KB every time: groups of 64 customers took 2.4× the time of groups of 4 to 8 (BENCHMARKS.md,
 * "Inventory, ninth pass").
 */
const MIN_ELEMENTS_PER_PIECE = 1;
const MAX_ELEMENTS_PER_PIECE = 16;
const PIECE_CHARS = 32 * 1024;

/**
 * `elements` as they read inside a top-level array of the whole text (four spaces deep, comma-separated,
 * without the last comma). They are stringified in a wrapper that puts them at that depth — `[[…]]` —
 * and the wrapper's own 6 characters on each side are cut off. This is the text JSON.stringify gives
 * them inside the whole value (an element it cannot express becomes null there too), in one native call
 * instead of one call and one re-indenting pass per element: half the output time at 2,000 customers
 * (BENCHMARKS.md, "Inventory output").
 */
function arrayElementsText(elements: readonly unknown[]): string {
  const text = JSON.stringify([elements], null, 2);
  return text.slice('[\n  [\n'.length, text.length - '\n  ]\n]'.length);
}

/**
 * The text of `${JSON.stringify(value, null, 2)}\n`, cut into pieces: one per top-level property and
 * one per group of elements of a top-level array. At 10,000 customers the inventory is ≈ 75 MB of JSON; written
 * piece by piece, the whole text (and its encoded copy) is never in memory at once.
 */
export function* jsonChunks(
  value: Readonly<Record<string, unknown>>,
  element: (key: string, element: unknown) => unknown = (_key, e) => e,
): Generator<string> {
  // JSON.stringify leaves out properties whose value is undefined, a function or a symbol.
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{\n';
  for (let i = 0; i < entries.length; i++) {
    const [key, v] = entries[i];
    const comma = i < entries.length - 1 ? ',' : '';
    const head = `  ${JSON.stringify(key)}: `;
    if (Array.isArray(v) && v.length > 0) {
      yield `${head}[\n`;
      let count = 4;
      for (let j = 0; j < v.length;) {
        const end = Math.min(v.length, j + count);
        const text = arrayElementsText(v.slice(j, end).map((e: unknown) => element(key, e)));
        // The piece as it is and its separator apart: joined, the piece would be copied once more.
        yield text;
        yield end < v.length ? ',\n' : '\n';
        count = nextCount(end - j, text.length);
        j = end;
      }
      yield `  ]${comma}\n`;
    } else {
      yield `${head}${indented(JSON.stringify(v, null, 2), '  ')}${comma}\n`;
    }
  }
  yield '}\n';
}

/** The next group's element count: in proportion to the text the last group made, so a piece stays near `PIECE_CHARS`. */
function nextCount(count: number, chars: number): number {
  const next = Math.floor((count * PIECE_CHARS) / Math.max(chars, 1));
  return Math.min(MAX_ELEMENTS_PER_PIECE, Math.max(MIN_ELEMENTS_PER_PIECE, next));
}

/** A writable as the CLI's stdout is: `write` returns false when its buffer is full, then it emits `drain`. */
interface Sink {
  write(data: string | Uint8Array): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  /** Bytes written but not yet handed on (Node's writable streams). */
  readonly writableLength?: number;
}

/** The bytes gathered before each write: a few pieces per write, not one per customer. */
const WRITE_BYTES = 256 * 1024;

/**
 * Writes `chunks` to `out` as UTF-8 in writes of up to 256 KB, waiting for `drain` whenever the stream
 * says its buffer is full. Without the wait, a reader slower than the CLI (a pipe) left the whole text
 * queued in the CLI's memory after all.
 *
 * The pieces are encoded into one buffer, used again for the next write when the stream has already
 * handed the bytes on (a file, or a pipe on Linux, is written synchronously; `writableLength` is then
 * 0); a stream that keeps them queued, or a sink that is not a stream, gets a new buffer each time, so
 * bytes it holds are never overwritten. Joining the pieces into one string and having the stream encode
 * it made two copies of every write in memory mapped for them alone (over V8's 128 KB large-object
 * limit, and over glibc's threshold for mapping an allocation of its own), each a page fault per 4 KB:
 * ≈ 7,000 at 2,000 customers (BENCHMARKS.md, "Inventory, ninth pass").
 */
export async function writeChunks(out: Sink, chunks: Iterable<string>): Promise<void> {
  let buffer = Buffer.allocUnsafe(WRITE_BYTES);
  let used = 0;
  const handOn = async (data: string | Uint8Array): Promise<void> => {
    const full = out.write(data) === false;
    if (full && out.once !== undefined) {
      const once = out.once.bind(out);
      await new Promise<void>((resolve) => once('drain', resolve));
    }
  };
  const flush = async (): Promise<void> => {
    if (used === 0) {
      return;
    }
    const written = handOn(buffer.subarray(0, used));
    used = 0;
    if (out.writableLength !== 0) {
      // Held (queued, or a sink that is not a stream): the next bytes go to a buffer of their own.
      buffer = Buffer.allocUnsafe(WRITE_BYTES);
    }
    await written;
  };
  for (const chunk of chunks) {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; the exact length is counted only near the end.
    const room = WRITE_BYTES - used;
    const bytes = chunk.length * 3 > room ? Buffer.byteLength(chunk) : 0;
    if (bytes > room) {
      await flush();
      if (bytes > WRITE_BYTES) {
        await handOn(chunk);
        continue;
      }
    }
    used += buffer.write(chunk, used);
  }
  await flush();
}
