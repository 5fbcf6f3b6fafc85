import type { PendingInvitation } from '../core/actions/onboarding';
import { tableDate } from './inventoryOutput';
import { renderTable, type TableColumn } from './table';

/*
 * `gdap invites` for a person: one row per pending invitation, oldest first as given, with what a partner
 * asks of an invitation — whose it is, how old, when it lapses, and where the customer approves it.
 */

const COLUMNS: readonly TableColumn<PendingInvitation>[] = [
  { header: 'NAME', value: (i) => i.name },
  // An invitation created for "any customer" names none until one approves it.
  { header: 'CUSTOMER', value: (i) => i.customerTenantId ?? 'any customer' },
  { header: 'CREATED', value: (i) => tableDate(i.createdDateTime), minWidth: 10 },
  { header: 'AGE (DAYS)', value: (i) => (i.ageDays === null ? '' : String(i.ageDays)), align: 'right' },
  { header: 'LAPSES', value: (i) => tableDate(i.lapsesOn), minWidth: 10 },
  // The id, whole when there is room: the approval link (too long for a table) ends with it.
  { header: 'ID', value: (i) => i.id, keep: true, minWidth: 13 },
];

/** The pending invitations as a table that fits `width` cells, with a count; a sentence when there are none. */
export function invitesToTable(invitations: readonly PendingInvitation[], width: number | undefined): string {
  if (invitations.length === 0) {
    return 'No pending invitations.\n';
  }
  const count = `${invitations.length} pending invitation${invitations.length === 1 ? '' : 's'}`;
  // Where the customer approves: the same link for every invitation but its id (--format json lists each).
  const sample = invitations.find((i) => i.approvalLink !== null && i.approvalLink.endsWith(i.id));
  const link = sample?.approvalLink === undefined || sample.approvalLink === null ? '' : sample.approvalLink.slice(0, -sample.id.length);
  return `${renderTable(COLUMNS, invitations, { width })}${count}${link !== '' ? `; the customer approves at ${link}<ID>` : ''}\n`;
}
