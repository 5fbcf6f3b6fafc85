// GDAP Explorer's language-model tools inside a real VS Code extension host, against the emulator: every
// read-only tool through vscode.lm.invokeTool, checked against the emulator's state; the changing tools'
// confirmation (prepareInvocation) carries the plan's text, and nothing is sent without the user's yes.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import { emulatorRequests, emulatorState } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeQuiet, waitFor } from './harness/vscodeHelpers';

const READ_TOOLS = ['gdap_inventory', 'gdap_access', 'gdap_expiring', 'gdap_check', 'gdap_impact', 'gdap_plan_template'];
const CHANGE_TOOLS = ['gdap_auto_extend', 'gdap_terminate', 'gdap_remove_assignment'];
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

interface Rel {
  id: string;
  displayName: string;
  status: string;
  autoExtendDuration?: string;
  customer: { tenantId?: string; displayName?: string } | null;
  accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] };
}
interface Assignment {
  id: string;
  status: string;
  accessContainer: { accessContainerId: string };
}
interface State {
  relationships: Rel[];
  accessAssignments: Record<string, Assignment[]>;
}

const GA = '62e90394-69f5-4237-9190-012177145e10';
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function textOf(result: vscode.LanguageModelToolResult): string {
  const part = result.content[0];
  assert.ok(part instanceof vscode.LanguageModelTextPart, 'the answer is text');
  return part.value;
}

async function invoke<T>(name: string, input: object): Promise<T> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return JSON.parse(textOf(result)) as T;
}

/** Changes sent to Graph since `from` (batched reads and sign-in are not changes). */
async function changesSince(from: number): Promise<{ method: string; path: string }[]> {
  return (await emulatorRequests())
    .slice(from)
    .filter((r) => MUTATING.has(r.method) && !/\$batch|\/oauth2\/|\/token\b|devicecode/i.test(r.path));
}

describe('language-model tools (vscode.lm)', function () {
  this.timeout(60_000);
  let api: GdapExplorerApi;
  let state: State;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    await signInWithEmulator(api);
    state = (await emulatorState()) as unknown as State;
  });

  it('registers every declared tool, and the manifest declares each with its schema', () => {
    const names = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('gdap_'));
    for (const n of [...READ_TOOLS, ...CHANGE_TOOLS]) {
      assert.ok(names.includes(n), `${n} is in vscode.lm.tools`);
    }
    assert.deepEqual([...api.lmTools.registered()].sort(), [...READ_TOOLS, ...CHANGE_TOOLS].sort());
    const declared = vscode.lm.tools.find((t) => t.name === 'gdap_inventory');
    assert.deepEqual((declared?.inputSchema as { required?: string[] } | undefined)?.required, ['query']);
  });

  it('answers the read-only tools from the emulator state', async () => {
    const all = await invoke<{ relationships: { total: number; items: { relationshipId: string; status: string }[] } }>('gdap_inventory', {
      query: '',
    });
    assert.equal(all.relationships.total, state.relationships.length);
    for (const row of all.relationships.items) {
      assert.equal(row.status, state.relationships.find((r) => r.id === row.relationshipId)?.status);
    }

    const withAccess = state.relationships.find(
      (r) =>
        r.status === 'active' &&
        r.customer?.tenantId !== undefined &&
        (state.accessAssignments[r.id] ?? []).some((a) => a.status === 'active'),
    );
    assert.ok(withAccess, 'the emulator has an active relationship with an active assignment');
    const access = await invoke<{
      rows: { total: number; items: { relationshipId: string; groupId: string; customerTenantId: string }[] };
    }>('gdap_access', { customer: withAccess.customer?.tenantId });
    const groups = new Set(
      state.relationships
        .filter((r) => r.status === 'active' && r.customer?.tenantId === withAccess.customer?.tenantId)
        .flatMap((r) =>
          (state.accessAssignments[r.id] ?? [])
            .filter((a) => a.status === 'active')
            .map((a) => `${r.id}|${a.accessContainer.accessContainerId}`),
        ),
    );
    assert.ok(access.rows.total > 0);
    for (const row of access.rows.items) {
      assert.equal(row.customerTenantId, withAccess.customer?.tenantId);
      assert.ok(groups.has(`${row.relationshipId}|${row.groupId}`));
    }

    const expiring = await invoke<{ buckets: Record<string, { relationshipId: string }[]> }>('gdap_expiring', {});
    for (const e of Object.values(expiring.buckets).flat()) {
      assert.ok(state.relationships.some((r) => r.id === e.relationshipId));
    }

    const check = await invoke<{ findings: { total: number; items: { severity: string }[] } }>('gdap_check', { severity: 'warning' });
    assert.ok(check.findings.items.every((f) => f.severity === 'warning'));

    const impact = await invoke<{ impact: { customerTenantId: string; lost: unknown[]; keptThrough: unknown[] }[] }>('gdap_impact', {
      action: 'terminate',
      relationshipIds: [withAccess.id],
    });
    assert.equal(impact.impact.length, 1);
    assert.equal(impact.impact[0].customerTenantId, withAccess.customer?.tenantId);
    assert.ok(impact.impact[0].lost.length + impact.impact[0].keptThrough.length > 0);

    // A template in the workspace folder is planned against the inventory; nothing is sent.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder !== undefined, 'the suite runs with a workspace folder');
    const customer = withAccess.customer?.tenantId ?? '';
    writeFileSync(
      join(folder, 'lm-tools.gdap.json'),
      JSON.stringify({
        version: 1,
        relationships: [{ name: 'Chat tools plan', customers: [customer], roles: ['Directory Readers'], assignments: [] }],
      }),
    );
    const logBefore = (await emulatorRequests()).length;
    const planned = await invoke<{ template: string; plan: { changes: { action: string; customerTenantId: string }[] } }>(
      'gdap_plan_template',
      { template: 'lm-tools.gdap.json' },
    );
    assert.ok(
      planned.plan.changes.some((c) => c.action === 'create' && c.customerTenantId === customer),
      JSON.stringify(planned.plan.changes),
    );
    assert.deepEqual(await changesSince(logBefore), [], 'planning sent a change');
    for (const [template, refusal] of [
      ['x.json', /not a template/],
      ['../outside.gdap.json', /No template/],
    ] as const) {
      await assert.rejects(
        Promise.resolve(vscode.lm.invokeTool('gdap_plan_template', { input: { template }, toolInvocationToken: undefined })),
        refusal,
      );
    }
  });

  it('refuses invalid input and ids that are not in the inventory', async () => {
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('gdap_access', { input: { role: 'Chief Everything Officer' }, toolInvocationToken: undefined })),
      /neither the name nor the template id/,
    );
    await assert.rejects(
      Promise.resolve(
        vscode.lm.invokeTool('gdap_impact', {
          input: { action: 'terminate', relationshipIds: ['00000000-0000-4000-8000-00000000dead'] },
          toolInvocationToken: undefined,
        }),
      ),
      /Not in the inventory/,
    );
  });

  it('a changing tool shows the plan in prepareInvocation and sends nothing without a confirmation', async () => {
    const target = state.relationships.find((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    assert.ok(target);
    const terminate = api.lmTools.tool('gdap_terminate');
    assert.ok(terminate?.prepareInvocation !== undefined);
    const input = { relationshipIds: [target.id] };
    const from = (await emulatorRequests()).length;

    // Invoked with no plan shown for this input: refused.
    const unconfirmed = JSON.parse(
      textOf(
        (await terminate.invoke(
          { input, toolInvocationToken: undefined },
          new vscode.CancellationTokenSource().token,
        )) as vscode.LanguageModelToolResult,
      ),
    ) as { sent: boolean; outcome: string };
    assert.deepEqual([unconfirmed.sent, unconfirmed.outcome], [false, 'notConfirmed']);

    const prepared = await terminate.prepareInvocation({ input }, new vscode.CancellationTokenSource().token);
    const messages = prepared?.confirmationMessages;
    assert.ok(messages, 'a confirmation is asked for');
    // The modal's own text (src/core/actions/confirmations.ts): the question names the relationship and customer.
    assert.equal(messages.title, `Terminate the GDAP relationship "${target.displayName}" with ${target.customer?.displayName ?? ''}?`);
    const body = typeof messages.message === 'string' ? messages.message : messages.message.value;
    assert.match(body, /All access this relationship grants ends/);
    assert.match(body, /Roles that end: /);

    // Declined: VS Code does not call invoke. A call for other targets than the plan shown is refused too.
    const other = state.relationships.find((r) => r.status === 'active' && r.id !== target.id);
    assert.ok(other);
    const widened = JSON.parse(
      textOf(
        (await terminate.invoke(
          { input: { relationshipIds: [target.id, other.id] }, toolInvocationToken: undefined },
          new vscode.CancellationTokenSource().token,
        )) as vscode.LanguageModelToolResult,
      ),
    ) as { sent: boolean; outcome: string };
    assert.deepEqual([widened.sent, widened.outcome], [false, 'notConfirmed']);
    assert.deepEqual(await changesSince(from), []);
    const after = (await emulatorState()) as unknown as State;
    assert.equal(after.relationships.find((r) => r.id === target.id)?.status, 'active');
  });

  it('a confirmed change is sent once and journalled as tool-initiated', async () => {
    const target = state.relationships.find(
      (r) =>
        r.status === 'active' &&
        r.customer?.tenantId !== undefined &&
        !(r.accessDetails?.unifiedRoles ?? []).some((x) => x.roleDefinitionId === GA) &&
        r.autoExtendDuration === 'P180D' &&
        // Not the one the test above planned to terminate.
        r.id !== state.relationships.find((x) => x.status === 'active' && x.customer?.tenantId !== undefined)?.id,
    );
    assert.ok(target, 'an active relationship with auto-extend on');
    const tool = api.lmTools.tool('gdap_auto_extend');
    assert.ok(tool?.prepareInvocation !== undefined);
    const token = new vscode.CancellationTokenSource().token;
    const from = (await emulatorRequests()).length;
    const off = { on: false, relationshipIds: [target.id] };
    const shown = await tool.prepareInvocation({ input: off }, token);
    assert.match(shown?.confirmationMessages?.title ?? '', new RegExp(`^Turn auto-extend off for ${escape(target.displayName)}`));
    // The user's click is what lets VS Code call invoke: the test plays that part.
    // The tree holds the emulator's current inventory: an earlier suite may have left it empty, or
    // holding what it read before it reset the emulator. Without the relationship in the tree the reload
    // after the change is the whole tree by design, and what follows checks the per-customer read.
    await api.tree.refresh();
    await treeQuiet(api.tree);
    assert.ok(api.tree.store.findRelationship(target.id), 'the tree holds the relationship');
    const invoked = (await emulatorRequests()).length;
    const result = JSON.parse(
      textOf((await tool.invoke({ input: off, toolInvocationToken: undefined }, token)) as vscode.LanguageModelToolResult),
    ) as {
      sent: boolean;
      results: { id: string; outcome: string }[];
    };
    assert.equal(result.sent, true);
    assert.deepEqual(
      result.results.map((r) => [r.id, r.outcome]),
      [[target.id, 'done']],
    );
    const sent = await changesSince(from);
    assert.deepEqual(
      sent.map((r) => r.method),
      ['PATCH'],
    );
    const now = (await emulatorState()) as unknown as State;
    assert.equal(now.relationships.find((r) => r.id === target.id)?.autoExtendDuration, 'PT0S');
    // The tree reads the relationship's customer again alone, not the whole inventory.
    const customer = (target.customer?.tenantId ?? '').toLowerCase();
    const lists = async () =>
      (await emulatorRequests())
        .slice(invoked)
        .filter((r) => r.method === 'GET' && r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships')
        .map((r) => decodeURIComponent(r.query ?? ''));
    await waitFor(
      async () => ((await lists()).some((q) => q.toLowerCase().includes(customer)) ? true : undefined),
      "the customer's relationships read again",
      20_000,
    );
    await treeQuiet(api.tree);
    assert.deepEqual(
      (await lists()).filter((q) => !/\$filter/i.test(q)),
      [],
      'no unfiltered relationships list was read',
    );
    assert.equal(api.tree.store.findRelationship(target.id)?.autoExtendDuration, 'PT0S', 'the tree shows auto-extend off');
    const records = readFileSync(api.journalPath, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { type: string; action: string; origin?: string; target: { relationshipId?: string } });
    const mine = records.filter((r) => r.target.relationshipId === target.id && r.action === 'autoExtendOff');
    assert.deepEqual(
      mine.map((r) => [r.type, r.origin]),
      [
        ['intent', 'tool'],
        ['outcome', 'tool'],
      ],
    );

    // Put it back, through the same confirmed path, for the suites that follow.
    const on = { on: true, relationshipIds: [target.id] };
    await tool.prepareInvocation({ input: on }, token);
    await tool.invoke({ input: on, toolInvocationToken: undefined }, token);
    const restored = (await emulatorState()) as unknown as State;
    assert.equal(restored.relationships.find((r) => r.id === target.id)?.autoExtendDuration, 'P180D');
  });

  it('in read-only mode the changing tools are not registered', async () => {
    const config = vscode.workspace.getConfiguration('gdap');
    await config.update('readOnly', true, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        () => (api.lmTools.registered().some((n) => CHANGE_TOOLS.includes(n)) ? undefined : true),
        'the changing tools are unregistered',
        10_000,
      );
      assert.deepEqual([...api.lmTools.registered()].sort(), [...READ_TOOLS].sort());
      assert.equal(api.lmTools.tool('gdap_terminate'), undefined);
    } finally {
      await config.update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(() => (api.lmTools.registered().includes('gdap_terminate') ? true : undefined), 'the changing tools are back', 10_000);
    await signInWithEmulator(api);
    // The setting's change starts sign-in over and reloads the tree twice, the last ≈ 1 s later.
    await treeQuiet(api.tree);
  });
});
