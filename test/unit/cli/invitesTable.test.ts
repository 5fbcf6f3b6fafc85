import * as assert from 'node:assert/strict';
import { parseCommandLine } from '../../../src/cli/args';
import { invitesToTable } from '../../../src/cli/invitesOutput';
import { displayWidth } from '../../../src/cli/table';
import type { PendingInvitation } from '../../../src/core/actions/onboarding';

const LINK = 'https://admin.cloud.microsoft/?#/partners/invitation/granularAdminRelationships/';
const invitation = (over: Partial<PendingInvitation>): PendingInvitation => ({
  id: '33333333-0000-4000-8000-000000000000',
  name: 'Contoso – Helpdesk',
  customerTenantId: '8984fecd-00a2-4686-ba43-b5c20866944a',
  createdDateTime: '2026-01-01T10:00:00Z',
  ageDays: 31,
  lapsesOn: '2026-04-01T10:00:00.000Z',
  approvalLink: `${LINK}33333333-0000-4000-8000-000000000000`,
  ...over,
});

describe('cli invites table', () => {
  const rows = [
    invitation({}),
    invitation({ id: 'x', name: '株式会社テスト GDAP', customerTenantId: null, ageDays: 2, approvalLink: `${LINK}x` }),
  ];

  it('one row per invitation: name, customer (or any customer), dates, age, id; where the customer approves', () => {
    const lines = invitesToTable(rows, undefined).trimEnd().split('\n');
    assert.match(lines[0], /^NAME +CUSTOMER +CREATED +AGE \(DAYS\) +LAPSES +ID$/);
    assert.match(
      lines[2],
      /^Contoso – Helpdesk +8984fecd-00a2-4686-ba43-b5c20866944a +2026-01-01 +31 +2026-04-01 +33333333-0000-4000-8000-000000000000$/,
    );
    assert.match(lines[3], /^株式会社テスト GDAP +any customer +2026-01-01 +2 +2026-04-01 +x$/);
    assert.equal(lines[4], `2 pending invitations; the customer approves at ${LINK}<ID>`);
  });

  it('fits the terminal; a sentence when there are none', () => {
    for (const width of [200, 120, 80, 60]) {
      for (const l of invitesToTable(rows, width).trimEnd().split('\n').slice(0, -1)) {
        assert.ok(displayWidth(l) <= width, `${width}: ${displayWidth(l)}: ${l}`);
      }
    }
    assert.equal(invitesToTable([], 80), 'No pending invitations.\n');
  });

  it('the default is a table on a terminal and JSON when piped; --format chooses', () => {
    const format = (argv: string[], tty: boolean): unknown => {
      const parsed = parseCommandLine(argv, {}, { stdoutIsTTY: tty });
      return parsed.command === 'invites' ? parsed.format : undefined;
    };
    assert.equal(format(['invites'], true), 'table');
    assert.equal(format(['invites'], false), 'json');
    assert.equal(format(['invites', '--format', 'csv'], true), 'csv');
    assert.equal(format(['invites', '--format', 'table'], false), 'table');
    assert.throws(() => parseCommandLine(['invites', '--format', 'xml'], {}, { stdoutIsTTY: true }), /--format must be json or csv/);
  });
});
