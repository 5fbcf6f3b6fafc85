import type { Journal, JournalRecord } from '../../../../src/core/actions/actionTypes';
import { serialise } from '../../../../src/core/actions/journal';

/** In-memory journal for tests; the same token refusal as the file journal. */
export class MemoryJournal implements Journal {
  readonly records: JournalRecord[] = [];
  /** When set, the next appends fail with this error (to test a failing disk). */
  failWith: Error | undefined;

  // eslint-disable-next-line @typescript-eslint/require-await -- async so that every failure is a rejection, like the file journal.
  async append(record: JournalRecord): Promise<void> {
    serialise(record);
    if (this.failWith !== undefined) {
      throw this.failWith;
    }
    this.records.push(record);
  }
}
