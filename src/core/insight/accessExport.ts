import type { AccessRow } from './accessRows';

/*
 * The access rows as files: CSV with the columns of `gdap access --format csv` (docs/access.md), and a
 * Markdown table for a ticket or a wiki page. Both are what the extension's Access Matrix exports.
 */

export const ACCESS_EXPORT_COLUMNS = [
  'customerTenantId',
  'customerName',
  'relationshipId',
  'relationshipName',
  'groupId',
  'groupName',
  'roleDefinitionId',
  'roleName',
  'privileged',
  'endDateTime',
  'autoExtends',
] as const;

type Column = (typeof ACCESS_EXPORT_COLUMNS)[number];

function cell(row: AccessRow, column: Column): string {
  const value = column === 'privileged' ? (row.privileged === null ? 'unknown' : row.privileged) : row[column];
  return value === null ? '' : String(value);
}

/**
 * One RFC 4180 field. A value a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`) is
 * prefixed with `'`: names come from customers and directories, not from the user.
 */
function csvField(text: string): string {
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 text, a header row then one row per access row, every line ended by CRLF. */
export function accessRowsToCsv(rows: readonly AccessRow[]): string {
  const lines = [ACCESS_EXPORT_COLUMNS.join(','), ...rows.map((r) => ACCESS_EXPORT_COLUMNS.map((c) => csvField(cell(r, c))).join(','))];
  return lines.map((l) => `${l}\r\n`).join('');
}

function markdownCell(text: string): string {
  // A pipe ends a cell and a line break ends the table: both are escaped or flattened.
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A GitHub-flavoured Markdown table of the rows (customer, relationship, group, role, privileged, ends). */
export function accessRowsToMarkdown(rows: readonly AccessRow[]): string {
  const header = ['Customer', 'Relationship', 'Security group', 'Role', 'Privileged', 'Ends', 'Auto-extends'];
  const body = rows.map((r) => [
    r.customerName,
    r.relationshipName,
    r.groupName ?? r.groupId,
    r.roleName,
    r.privileged === null ? 'unknown' : r.privileged ? 'yes' : 'no',
    r.endDateTime === null ? '' : r.endDateTime.slice(0, 10),
    r.autoExtends ? 'yes' : 'no',
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.map(markdownCell).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...body.map(line)].join('\n') + '\n';
}
