import * as assert from 'node:assert/strict';
import { helpText } from '../../../src/cli/help';
import { expiringToTable, inventoryTableRows, inventoryToTable, tableDate } from '../../../src/cli/inventoryOutput';
import { renderMutationResults, resultLine, targetLabels } from '../../../src/cli/mutationOutput';
import { displayWidth } from '../../../src/cli/table';
import type { ItemResult } from '../../../src/core/actions/actionTypes';
import type { Inventory, InventoryRelationship } from '../../../src/core/actions/inventory';
import type { RemoveAssignmentPlanItem, RemoveDapPlanItem, TerminatePlanItem } from '../../../src/core/actions/plans';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../src/core/roles/roleCatalog';

const REL_A = '5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836';
const REL_B = '11111111-2222-4333-8444-555555555555';
const TENANT = '8984fecd-00a2-4686-ba43-b5c20866944a';

const rel = (over: Partial<InventoryRelationship>): InventoryRelationship => ({
  id: REL_A,
  displayName: 'Contoso – Helpdesk',
  status: 'active',
  createdDateTime: '2024-01-01T00:00:00Z',
  activatedDateTime: '2024-01-02T00:00:00Z',
  endDateTime: '2026-03-03T10:00:00.1234567Z',
  duration: 'P730D',
  autoExtendDuration: 'PT0S',
  customer: { tenantId: TENANT, displayName: 'Contoso Ltd' },
  roles: [{ roleDefinitionId: 'b', name: 'Reader', privileged: false }],
  ...over,
});

const inventory: Inventory = {
  generatedAt: '2026-01-01T00:00:00Z',
  source: 'emulator',
  customers: [
    {
      tenantId: TENANT,
      displayName: 'Contoso Ltd',
      relationships: [
        rel({}),
        rel({
          id: REL_B,
          displayName: 'MLT_73bf8dde-8273-4a6d-9c2b-0d1f6e7a8b9c',
          autoExtendDuration: 'P180D',
          roles: [{ roleDefinitionId: GLOBAL_ADMINISTRATOR_ROLE_ID, name: 'Global Administrator', privileged: true }],
        }),
      ],
    },
    { tenantId: '22222222-0000-4000-8000-000000000000', displayName: '株式会社テスト', relationships: [] },
  ],
  pendingRelationships: [
    rel({
      id: '33333333-0000-4000-8000-000000000000',
      displayName: 'Invite',
      status: 'approvalPending',
      customer: { tenantId: null, displayName: null },
    }),
  ],
};

describe('cli human output', () => {
  describe('inventory and expiring tables', () => {
    it('one row per relationship, a row for a customer without any, pending ones last', () => {
      const rows = inventoryTableRows(inventory);
      assert.deepEqual(
        rows.map((r) => [r.customerName, r.relationship?.displayName ?? null]),
        [
          ['Contoso Ltd', 'Contoso – Helpdesk'],
          ['Contoso Ltd', 'MLT_73bf8dde-8273-4a6d-9c2b-0d1f6e7a8b9c'],
          ['株式会社テスト', null],
          ['(no customer yet)', 'Invite'],
        ],
      );
    });

    it('shows the origin, dates as YYYY-MM-DD, auto-extend, Global Administrator and the full id when there is room', () => {
      const text = inventoryToTable(inventory, false, undefined);
      const lines = text.trimEnd().split('\n');
      assert.match(lines[0], /^CUSTOMER +RELATIONSHIP +ORIGIN +STATUS +ENDS +EXTENDS +ROLES +ID$/);
      assert.match(lines[2], new RegExp(`^Contoso Ltd +Contoso – Helpdesk +active +2026-03-03 +no +1 +${REL_A}$`));
      assert.match(lines[3], /MLT_\S+ +Microsoft-led transition +active +2026-03-03 +no +1, GA +11111111-/);
      assert.match(lines[4], /^株式会社テスト +\(no relationship\)$/);
      assert.match(lines[5], /^\(no customer yet\) +Invite +approvalPending +2026-03-03 +1 +33333333-/);
      assert.equal(lines[6], '2 customers, 3 relationships');
    });

    it('fits the terminal: ids whole when there is room, else cut short so the names keep theirs', () => {
      const at = (width: number): string[] => inventoryToTable(inventory, false, width).trimEnd().split('\n').slice(0, -1);
      for (const width of [160, 120, 80, 60, 40]) {
        for (const l of at(width)) {
          assert.ok(displayWidth(l) <= width, `${width}: ${displayWidth(l)}: ${l}`);
        }
      }
      const wide = at(160);
      assert.ok(wide[2].endsWith(REL_A), 'the whole id at 160 cells');
      assert.match(wide[3], /MLT_73bf8dde-… +Microsoft-l… /);
      const narrower = at(120);
      assert.match(narrower[2], /^Contoso Ltd +Contoso – Helpdesk +active +2026-03-03 +no +1 +5d027261-d21…$/);
      assert.match(narrower[3], / MLT_73bf8dde-8273-… +Microsoft-led trans… /);
    });

    it('counts access assignments with --assignments, and says when they could not be loaded', () => {
      const withAssignments: Inventory = {
        ...inventory,
        customers: [
          {
            ...inventory.customers[0],
            relationships: [
              rel({
                accessAssignments: [
                  {
                    id: 'a1',
                    status: 'active',
                    accessContainer: { accessContainerId: 'g1', accessContainerType: 'securityGroup' },
                    roles: [],
                    createdDateTime: null,
                    lastModifiedDateTime: null,
                  },
                ],
              }),
              rel({ id: REL_B, accessAssignmentsError: { kind: 'throttled', message: 'slow down' } }),
            ],
          },
        ],
        pendingRelationships: [],
      };
      const lines = inventoryToTable(withAssignments, true, undefined).split('\n');
      assert.match(lines[0], / ASSIGNMENTS +ID$/);
      assert.match(lines[2], / {10}1 +5d027261/);
      assert.match(lines[3], /not loaded +11111111/);
    });

    it('expiring: days left, soonest first as given; a sentence when there is nothing', () => {
      const now = new Date('2026-02-01T00:00:00Z');
      const text = expiringToTable([rel({})], 30, now, undefined);
      assert.match(text.split('\n')[0], /^CUSTOMER +RELATIONSHIP +ORIGIN +ENDS +DAYS LEFT +ROLES +ID$/);
      assert.match(text.split('\n')[2], /2026-03-03 +31 +1 +5d027261/);
      assert.equal(expiringToTable([], 1, now, 80), 'No active relationship ends within 1 day without auto-extending.\n');
    });

    it('an empty inventory says so', () => {
      assert.equal(
        inventoryToTable({ ...inventory, customers: [], pendingRelationships: [] }, false, 80),
        'No customers or relationships.\n',
      );
    });

    it('tableDate keeps an unreadable date as sent and drops a missing one', () => {
      assert.equal(tableDate('2026-03-03T23:59:59.9999999Z'), '2026-03-03');
      assert.equal(tableDate('soon'), 'soon');
      assert.equal(tableDate(null), '');
    });
  });

  it('help names the table format and when it is the default', () => {
    assert.match(helpText(), /on a terminal, read commands print a table/);
    for (const command of ['inventory', 'expiring'] as const) {
      assert.match(helpText(command), /--format FORMAT +table, json or csv \(default: table on a terminal, json otherwise\)/);
    }
    for (const command of ['terminate', 'remove-assignment', 'remove-dap'] as const) {
      assert.match(helpText(command), /^Usage: .*\[--format json\|table\]$/m);
      assert.match(helpText(command), /--format json\|table +Results as JSON, or one line per target/);
    }
  });

  describe('mutation results', () => {
    const terminatePlan: TerminatePlanItem[] = [
      {
        id: REL_A,
        name: 'Contoso – Helpdesk',
        customerName: 'Contoso Ltd',
        customerTenantId: TENANT,
        status: 'active',
        endDateTime: null,
        roles: [],
        willAct: true,
        reason: null,
      },
    ];
    const results: ItemResult[] = [
      { id: REL_B, outcome: 'failed', status: null, error: 'Relationship not found.' },
      { id: REL_A, name: 'Contoso – Helpdesk', outcome: 'done', status: 'terminated', error: null },
    ];

    it('one line per target on a terminal, in the order asked, named by name and customer', () => {
      assert.equal(
        renderMutationResults('terminate', results, [REL_A, REL_B], 'table', terminatePlan),
        `✓ Terminated 'Contoso – Helpdesk' (Contoso Ltd)\n✗ Failed to terminate ${REL_B}: Relationship not found.\n`,
      );
    });

    it('the JSON results contract when piped, unchanged', () => {
      const json = JSON.parse(renderMutationResults('terminate', results, [REL_A, REL_B], 'json', terminatePlan)) as {
        results: Record<string, unknown>[];
      };
      assert.deepEqual(json.results, [
        { id: REL_A, outcome: 'done', status: 'terminated', error: null },
        { id: REL_B, outcome: 'failed', status: null, error: 'Relationship not found.' },
      ]);
    });

    it('words for every outcome of every command', () => {
      const label = { name: 'Contoso – Helpdesk', context: 'Contoso Ltd' };
      const r = (over: Partial<ItemResult>): ItemResult => ({ id: REL_A, outcome: 'done', status: null, error: null, ...over });
      assert.equal(
        resultLine('terminate', r({ status: 'terminationRequested' }), label),
        "✓ Termination requested for 'Contoso – Helpdesk' (Contoso Ltd)",
      );
      assert.equal(
        resultLine('terminate', r({ outcome: 'alreadyDone', status: 'terminated' }), label),
        "✓ Already terminated 'Contoso – Helpdesk' (Contoso Ltd)",
      );
      assert.equal(
        resultLine(
          'terminate',
          r({ outcome: 'skipped', status: 'approvalPending', error: 'Terminate applies only to active relationships.' }),
          label,
        ),
        "– Skipped 'Contoso – Helpdesk' (Contoso Ltd): Terminate applies only to active relationships.",
      );
      const dapPlan: RemoveDapPlanItem[] = [
        { tenantId: TENANT, companyName: 'Contoso Ltd', allowDelegatedAccess: true, hasActiveGdap: true, willAct: true, reason: null },
      ];
      const dapLabel = targetLabels(dapPlan).get(TENANT);
      assert.equal(resultLine('remove-dap', r({ id: TENANT, status: 'dapOff' }), dapLabel), "✓ Removed DAP from 'Contoso Ltd'");
      assert.equal(
        resultLine('remove-dap', r({ id: TENANT, outcome: 'alreadyDone', status: 'dapOff' }), dapLabel),
        "✓ DAP already off for 'Contoso Ltd'",
      );
      const assignmentPlan: RemoveAssignmentPlanItem[] = [
        {
          id: `${REL_A}/a1`,
          relationshipId: REL_A,
          assignmentId: 'a1',
          relationshipName: 'Contoso – Helpdesk',
          securityGroupId: '319df047-4120-4000-8000-000000000000',
          roles: [],
          customerName: 'Contoso Ltd',
          customerTenantId: TENANT,
          status: 'active',
          etag: null,
          willAct: true,
          reason: null,
        },
      ];
      const assignment = targetLabels(assignmentPlan).get(`${REL_A}/a1`.toLowerCase());
      assert.equal(
        resultLine('remove-assignment', r({ id: `${REL_A}/a1`, status: 'deleted' }), assignment),
        "✓ Removed security group 319df047-4120-4000-8000-000000000000's access to 'Contoso – Helpdesk' (Contoso Ltd)",
      );
      assert.equal(
        resultLine('remove-assignment', r({ id: `${REL_A}/a1`, outcome: 'failed', error: 'Denied.' }), undefined),
        `✗ Failed to remove access assignment ${REL_A}/a1: Denied.`,
      );
    });

    it('the later mutating commands: their words, the plan names the target, a detail follows a success', () => {
      const r = (over: Partial<ItemResult>): ItemResult => ({ id: REL_A, outcome: 'done', status: null, error: null, ...over });
      const relationshipItem = { id: REL_A, name: 'Contoso – Helpdesk', customerName: 'Contoso Ltd', customerTenantId: TENANT };
      const lines = (command: Parameters<typeof renderMutationResults>[0], result: ItemResult, details?: Map<string, string>): string =>
        renderMutationResults(command, [result], [result.id], 'table', [relationshipItem], details);
      assert.equal(lines('auto-extend on', r({})), "✓ Turned auto-extend on for 'Contoso – Helpdesk' (Contoso Ltd)\n");
      assert.equal(
        lines('auto-extend off', r({ outcome: 'alreadyDone' })),
        "✓ Auto-extend already off for 'Contoso – Helpdesk' (Contoso Ltd)\n",
      );
      assert.equal(lines('remove-ga', r({})), "✓ Removed Global Administrator from 'Contoso – Helpdesk' (Contoso Ltd)\n");
      assert.equal(
        lines('make-renewable', r({ outcome: 'skipped', error: 'notActive: not active' })),
        "– Skipped 'Contoso – Helpdesk' (Contoso Ltd): notActive: not active\n",
      );
      assert.equal(
        lines('renew', r({}), new Map([[REL_A.toUpperCase(), "successor 'X (renewal)'"]])),
        "✓ Renewed 'Contoso – Helpdesk' (Contoso Ltd) — successor 'X (renewal)'\n",
      );
      assert.equal(
        lines('renew', r({ outcome: 'failed', error: 'Denied.' }), new Map([[REL_A, 'never shown on a failure']])),
        "✗ Failed to renew 'Contoso – Helpdesk' (Contoso Ltd): Denied.\n",
      );
      assert.equal(lines('lock', r({ outcome: 'alreadyDone' })), "✓ Already locked for approval: 'Contoso – Helpdesk' (Contoso Ltd)\n");
      assert.equal(lines('delete', r({})), "✓ Deleted draft 'Contoso – Helpdesk' (Contoso Ltd)\n");
      assert.equal(lines('create', r({ status: 'created' })), "✓ Created draft 'Contoso – Helpdesk' (Contoso Ltd)\n");
      assert.equal(lines('create', r({ status: 'approvalPending' })), "✓ Created 'Contoso – Helpdesk' (Contoso Ltd)\n");
      // Without a plan the result's own name is used, else the id.
      assert.equal(resultLine('lock', r({ name: 'Fabrikam' })), "✓ Locked for approval: 'Fabrikam'");
      assert.equal(resultLine('lock', r({ outcome: 'failed', error: 'Gone.' })), `✗ Failed to lock ${REL_A}: Gone.`);
    });

    it('group access: a new assignment and a changed one are named by group and relationship', () => {
      const group = '319df047-4120-4000-8000-000000000000';
      const labels = targetLabels([
        { relationshipId: REL_A, relationshipName: 'Helpdesk', groupId: group, id: `${REL_A}/new1` },
        { relationshipId: REL_B, assignmentId: 'a2', relationshipName: 'Reader', groupId: group },
        { relationshipId: REL_B, relationshipName: null, groupId: 'G2' },
        { name: 'Not yet created', customerName: null },
      ]);
      assert.deepEqual([...labels.keys()], [`${REL_A}/new1`, `${REL_B}/a2`, `${REL_B}/g2`]);
      const ok = (id: string): ItemResult => ({ id, outcome: 'done', status: 'active', error: null, name: 'relationship name' });
      assert.equal(
        resultLine('assign', ok(`${REL_A}/new1`), labels.get(`${REL_A}/new1`)),
        `✓ Assigned security group ${group} to 'Helpdesk'`,
      );
      assert.equal(
        resultLine('set-roles', ok(`${REL_B}/a2`), labels.get(`${REL_B}/a2`)),
        `✓ Set the roles of security group ${group}'s access to 'Reader'`,
      );
      assert.equal(resultLine('grant-planned', ok(`${REL_B}/g2`), labels.get(`${REL_B}/g2`)), `✓ Granted security group G2 to '${REL_B}'`);
      assert.equal(resultLine('set-roles', ok(`${REL_B}/zz`)), `✓ Set the roles of access assignment ${REL_B}/zz`);
    });

    it('help of every mutating command offers --format json|table', () => {
      const commands = ['auto-extend', 'remove-ga', 'make-renewable', 'renew', 'create', 'lock', 'delete', 'assign', 'set-roles'] as const;
      for (const command of [...commands, 'grant-planned'] as const) {
        assert.match(helpText(command), /^Usage: gdap [\s\S]*\[--format json\|table\]/m, command);
        assert.match(helpText(command), /--format json\|table +Results as JSON, or one line per target/, command);
      }
    });

    it('a name with escape sequences or line breaks prints as plain text', () => {
      const line = resultLine('terminate', {
        id: REL_A,
        name: 'Evil\u001b]0;title\u0007\nname',
        outcome: 'done',
        status: 'terminated',
        error: null,
      });
      assert.equal(line, "✓ Terminated 'Evil\ufffd]0;title\ufffd name'");
    });
  });
});
