import { constants as fsConstants } from 'node:fs';
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GdapError } from '../http/gdapError';
import type { Journal, JournalRecord } from './actionTypes';

/*
 * The action journal: append-only JSON lines, one record per
 * line, each on disk (fsync) before `append` resolves, so a crash never loses an intent that was
 * acted upon. It is a record of what was done to customers' access; a token must never reach it.
 */

/** JWT-shaped (`eyJ…` header segment, then a dot) or an Authorization value. */
const TOKEN_PATTERNS: readonly RegExp[] = [/eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]*/, /\bbearer\s+\S/i];

/** True when the text contains something that looks like a bearer token. */
export function containsTokenShape(text: string): boolean {
  return TOKEN_PATTERNS.some((p) => p.test(text));
}

/** Replaces token-shaped substrings, for error texts that come from elsewhere before they are journalled. */
export function scrubTokens(text: string): string {
  return text.replace(/eyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}/g, '[redacted]').replace(/\b(bearer)\s+\S+/gi, '$1 [redacted]');
}

/** One record as its JSON line; refuses (GdapError `invalidInput`) a record holding a token-shaped value. */
export function serialise(record: JournalRecord): string {
  const line = JSON.stringify(record);
  if (containsTokenShape(line)) {
    throw new GdapError({
      kind: 'invalidInput',
      message: 'Refused to write a journal record that contains a token-shaped value.',
    });
  }
  return line;
}

/**
 * Journal in a JSONL file created with mode 0600 (its folder 0700). Appends are serialised: a record is
 * written and fsync'd before the next starts, so lines never interleave.
 */
export class FileJournal implements Journal {
  private handle: FileHandle | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async append(record: JournalRecord): Promise<void> {
    const line = serialise(record);
    const run = this.tail.then(() => this.write(`${line}\n`));
    // Keep the chain alive after a failed write; the caller still sees the failure.
    this.tail = run.catch(() => undefined);
    await run;
  }

  /** Closes the file; later appends reopen it. */
  async close(): Promise<void> {
    await this.tail;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async write(text: string): Promise<void> {
    const handle = await this.ensureOpen();
    await handle.write(text);
    await handle.sync();
  }

  private async ensureOpen(): Promise<FileHandle> {
    if (this.handle !== undefined) {
      return this.handle;
    }
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await open(this.path, fsConstants.O_RDWR | fsConstants.O_CREAT | fsConstants.O_APPEND, 0o600);
    try {
      // An existing file keeps its mode on open: narrow it anyway.
      await handle.chmod(0o600);
      const { size } = await handle.stat();
      if (size > 0) {
        // A crash mid-write leaves a torn last line; start the next record on a line of its own.
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          await handle.write('\n');
        }
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    this.handle = handle;
    return handle;
  }
}

function isRecord(value: unknown): value is JournalRecord {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Partial<JournalRecord>;
  return (
    typeof v.operationId === 'string' &&
    (v.type === 'intent' || v.type === 'step' || v.type === 'outcome' || v.type === 'reconciled') &&
    typeof v.action === 'string' &&
    typeof v.target === 'object' &&
    v.target !== null
  );
}

/**
 * Every well-formed record of a journal file, in order; [] when the file does not exist. Lines that do
 * not parse (a torn last line after a crash) are skipped, never fatal.
 */
export async function readRecords(path: string): Promise<JournalRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw new GdapError({ kind: 'invalidInput', message: `Could not read the action journal ${path}.`, cause: error });
  }
  const records: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      continue;
    }
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecord(parsed)) {
        records.push(parsed);
      }
    } catch {
      // Torn or foreign line: skipped.
    }
  }
  return records;
}

/** Intents with neither an outcome nor a reconciled record: the run stopped between them. */
export function findInterrupted(records: readonly JournalRecord[]): JournalRecord[] {
  const closed = new Set<string>();
  for (const r of records) {
    if (r.type === 'outcome' || r.type === 'reconciled') {
      closed.add(r.operationId);
    }
  }
  return records.filter((r) => r.type === 'intent' && !closed.has(r.operationId));
}
