// Access in the real extension host against the emulator: the Access Matrix command (its rows, the
// webview's messages validated, export, open in the tree), "GDAP: Check Access" in the Problems panel
// with its quick fix, and the Remove DAP guard (an active relationship without an active assignment).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorInfo, emulatorState, resetEmulator, type EmulatorState } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

class AccessPrompts implements PromptLayer {
  confirmAnswer = false;
  readonly confirms: ConfirmRequest[] = [];
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  saveTo: vscode.Uri | undefined;
  readonly saves: vscode.SaveDialogOptions[] = [];
  readonly picks: string[][] = [];

  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(this.confirmAnswer);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    this.picks.push(items.map((i) => i.label));
    return Promise.resolve(items.at(-1)?.value);
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(items.map((i) => i.value));
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string): Promise<string | undefined> {
    this.notices.push({ level, message });
    return Promise.resolve(undefined);
  }
  saveAs(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    this.saves.push(options);
    return Promise.resolve(this.saveTo);
  }
}

type AnyNode = GdapNode & Record<string, unknown>;
type Assignment = {
  id: string;
  status: string;
  roleDefinitionIds?: string[];
  accessDetails?: { unifiedRoles?: { roleDefinitionId: string }[] };
};

const rolesOf = (a: Assignment): string[] => a.accessDetails?.unifiedRoles?.map((r) => r.roleDefinitionId) ?? a.roleDefinitionIds ?? [];

/** Access rows the emulator's state implies: per active relationship, per active assignment, per role. */
function expectedRowCount(state: EmulatorState): number {
  let n = 0;
  for (const r of state.relationships) {
    if (r.status !== 'active') {
      continue;
    }
    for (const a of (state.accessAssignments[r.id] ?? []) as Assignment[]) {
      if (a.status === 'active') {
        n += new Set(rolesOf(a).map((x) => x.toLowerCase())).size;
      }
    }
  }
  return n;
}

function accessDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages.getDiagnostics().filter(([uri]) => uri.scheme === 'gdap-access');
}

describe('Access: matrix, check and the Remove DAP guard', function () {
  let api: GdapExplorerApi;
  const prompts = new AccessPrompts();

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator');
    api = await activateExtension<GdapExplorerApi>();
    await resetEmulator({ preset: 'demo' });
    api.setPromptLayer(prompts);
    await signInWithEmulator(api);
    await api.tree.refresh();
    await treeIdle(api.tree);
  });

  after(() => {
    api?.setPromptLayer(undefined);
  });

  it('Show Access Matrix reads one row per customer, group and role of the active assignments', async () => {
    await vscode.commands.executeCommand('gdap.showAccessMatrix');
    const matrix = api.accessMatrix();
    assert.ok(matrix, 'the matrix is open');
    const state = await emulatorState();
    assert.ok(matrix.rows.length > 0);
    assert.equal(matrix.rows.length, expectedRowCount(state));
    const names = new Set((state.securityGroups as { id: string; displayName: string }[]).map((g) => g.displayName));
    assert.ok(
      matrix.rows.every((r) => r.groupName === null || names.has(r.groupName)),
      'group names come from the directory',
    );
    assert.ok(
      matrix.rows.every((r) => !/^[0-9a-f-]{36}$/i.test(r.roleName)),
      'roles are shown by name',
    );
  });

  it('drops a message the webview may not send, and exports the rows shown as CSV and Markdown', async () => {
    const matrix = api.accessMatrix();
    assert.ok(matrix);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-access-'));
    const csv = vscode.Uri.file(path.join(dir, 'access.csv'));
    prompts.saveTo = csv;
    assert.equal(await matrix.receive({ type: 'export', format: 'xlsx', indices: [0] }), false);
    assert.equal(await matrix.receive({ type: 'open', index: -1 }), false);
    assert.equal(await matrix.receive({ type: 'export', format: 'csv', indices: [0, 1], extra: 'x' }), false);
    assert.equal(prompts.saves.length, 0, 'nothing asked for a dropped message');
    assert.equal(await matrix.receive({ type: 'export', format: 'csv', indices: [1, 0] }), true);
    const text = await fs.readFile(csv.fsPath, 'utf8');
    const lines = text.split('\r\n').filter((l) => l !== '');
    assert.equal(
      lines[0],
      'customerTenantId,customerName,relationshipId,relationshipName,groupId,groupName,roleDefinitionId,roleName,privileged,endDateTime,autoExtends',
    );
    assert.equal(lines.length, 3);
    assert.ok(lines[1].startsWith(`${matrix.rows[1].customerTenantId},`), 'rows in the order shown');
    const md = vscode.Uri.file(path.join(dir, 'access.md'));
    prompts.saveTo = md;
    await matrix.receive({ type: 'export', format: 'markdown', indices: matrix.rows.map((_, i) => i) });
    const table = (await fs.readFile(md.fsPath, 'utf8')).trim().split('\n');
    assert.match(table[0], /^\| Customer \| Relationship \| Security group \| Role \|/);
    assert.equal(table.length, matrix.rows.length + 2);
    assert.ok(prompts.notices.some((n) => /Exported \d+ access rows to/.test(n.message)));
  });

  it('a chosen row reveals its relationship in the tree', async () => {
    const matrix = api.accessMatrix();
    assert.ok(matrix);
    const row = matrix.rows[matrix.rows.length - 1];
    assert.equal(await matrix.receive({ type: 'open', index: matrix.rows.length - 1 }), true);
    await waitFor(
      () => (api.treeView.selection[0]?.id.endsWith(`/relationship/${row.relationshipId}`) ? true : undefined),
      'the relationship selected in the tree',
    );
  });

  it('the grid holds every row in exactly one cell, one column per role', () => {
    const matrix = api.accessMatrix();
    assert.ok(matrix);
    const { grid, rows } = matrix;
    const seen = new Array<number>(rows.length).fill(0);
    grid.cells.forEach((cells, c) =>
      cells.forEach((cell) =>
        cell.holdings.forEach((h) =>
          h.rows.forEach((i) => {
            seen[i] += 1;
            assert.equal(rows[i].customerTenantId, grid.customers[c].tenantId);
            assert.equal(rows[i].roleDefinitionId, grid.roles[cell.role].roleDefinitionId);
            assert.equal(rows[i].groupId, grid.groups[h.group].groupId);
          }),
        ),
      ),
    );
    assert.ok(seen.every((n) => n === 1));
    assert.equal(grid.customers.length, new Set(rows.map((r) => r.customerTenantId)).size);
    assert.equal(grid.roles.length, new Set(rows.map((r) => r.roleDefinitionId)).size);
  });

  it('a chosen cell with several relationships asks which one, then reveals it in the tree', async () => {
    const matrix = api.accessMatrix();
    assert.ok(matrix);
    const { grid } = matrix;
    let target: { c: number; role: number; names: string[] } | undefined;
    grid.cells.forEach((cells, c) =>
      cells.forEach((cell) => {
        const ids = new Set(cell.holdings.flatMap((h) => h.relationships));
        if (target === undefined && ids.size > 1) {
          target = { c, role: cell.role, names: [...ids].map((i) => grid.relationships[i].name) };
        }
      }),
    );
    assert.ok(target, 'the demo data has a role granted at a customer through two relationships');
    const before = prompts.picks.length;
    assert.equal(await matrix.receive({ type: 'openCell', customer: target.c, role: target.role }), true);
    assert.equal(prompts.picks.length, before + 1, 'a quick pick of the relationships');
    const offered = prompts.picks[before];
    assert.deepEqual([...offered].sort(), [...target.names].sort());
    const chosen = grid.relationships.find((r) => r.name === offered.at(-1));
    assert.ok(chosen);
    await waitFor(
      () => (api.treeView.selection[0]?.id.endsWith(`/relationship/${chosen.id}`) ? true : undefined),
      'the chosen relationship selected in the tree',
    );
    assert.equal(await matrix.receive({ type: 'openCell', customer: target.c, role: target.role, groups: ['x'] }), false);
  });

  it("a group's members are read on demand, once per panel, and sent as names", async () => {
    const matrix = api.accessMatrix();
    assert.ok(matrix);
    const state = await emulatorState();
    const first = (state.securityGroups as { id: string; displayName: string }[])[0];
    const index = matrix.grid.groups.findIndex((g) => g.groupId === first.id);
    assert.ok(index >= 0, `${first.displayName} holds a role`);
    const reads = async (): Promise<{ path: string; query: string }[]> =>
      (await emulatorFetch<{ requests: { path: string; query: string }[] }>('/_emulator/requests')).requests.filter((r) =>
        r.path.endsWith(`/groups/${first.id}/transitiveMembers`),
      );
    const before = (await reads()).length;
    assert.equal(matrix.posted('members'), undefined, 'nothing read before it is asked for');
    assert.equal(await matrix.receive({ type: 'members', group: index }), true);
    const sent = matrix.posted('members') as { group: number; members?: [string, string][]; error?: string };
    assert.equal(sent.group, index);
    assert.equal(sent.error, undefined);
    assert.ok(sent.members);
    assert.equal(sent.members.length, 120, 'the data set gives the first group 120 members');
    assert.ok(sent.members.every(([name, upn]) => name !== '' && /@/.test(upn)));
    assert.doesNotMatch(JSON.stringify(sent), /eyJ|Bearer/, 'names only, never a token');
    const after = await reads();
    assert.ok(after.length > before, 'read from Microsoft Graph');
    assert.match(decodeURIComponent(after.at(-1)?.query ?? ''), /\$select=id,displayName,userPrincipalName/);
    await matrix.receive({ type: 'members', group: index });
    assert.equal((await reads()).length, after.length, 'kept for the panel: not read again');
  });

  it('Check Access puts findings in the Problems panel, with a quick fix that shows the relationship', async () => {
    const state = await emulatorState();
    const rel = state.relationships.find(
      (r) => r.status === 'active' && ((state.accessAssignments[r.id] ?? []) as Assignment[]).some((a) => a.status === 'active'),
    );
    assert.ok(rel, 'an active relationship with an active assignment');
    const assignment = ((state.accessAssignments[rel.id] ?? []) as Assignment[]).find((a) => a.status === 'active');
    assert.ok(assignment);
    await emulatorFetch(`/_emulator/relationships/${rel.id}/accessAssignments/${assignment.id}/fail`, { method: 'POST', body: {} });
    await vscode.commands.executeCommand('gdap.checkAccess');
    const all = accessDiagnostics();
    assert.ok(all.length > 0, 'findings are published');
    const entry = all.find(([, ds]) => ds.some((d) => d.code === 'assignmentError'));
    assert.ok(entry, 'the failed assignment is an assignmentError finding');
    const [uri, diagnostics] = entry;
    const d = diagnostics.find((x) => x.code === 'assignmentError');
    assert.ok(d);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'GDAP');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.lineAt(d.range.start.line).text, /assignmentError/);
    // The view's badge stays the expiry radar's: the check does not take it over.
    assert.doesNotMatch(api.treeView.badge?.tooltip ?? '', /Access check/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range);
    const fix = actions.find((a) => a.title === 'Show the relationship in the GDAP tree');
    assert.ok(fix?.command, 'a quick fix is offered');
    await vscode.commands.executeCommand(fix.command.command, ...((fix.command.arguments ?? []) as unknown[]));
    await waitFor(
      () => (api.treeView.selection[0]?.id.endsWith(`/relationship/${rel.id}`) ? true : undefined),
      'the quick fix selected the relationship',
    );
  });

  it('Remove DAP: an active relationship without an active assignment is not enough; the name must be typed', async () => {
    await resetEmulator({ preset: 'demo' });
    const state = await emulatorState();
    const pcs = state.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[];
    const target = state.relationships.find(
      (r) =>
        r.status === 'active' && pcs.some((p) => p.id === (r.customer as { tenantId: string } | null)?.tenantId && p.allowDelegatedAccess),
    );
    assert.ok(target, 'a DAP customer with an active relationship');
    const tenantId = (target.customer as { tenantId: string }).tenantId;
    // Every active assignment of every active relationship of that customer fails: nobody holds a role.
    for (const r of state.relationships.filter(
      (x) => x.status === 'active' && (x.customer as { tenantId: string } | null)?.tenantId === tenantId,
    )) {
      for (const a of ((state.accessAssignments[r.id] ?? []) as Assignment[]).filter((x) => x.status === 'active')) {
        await emulatorFetch(`/_emulator/relationships/${r.id}/accessAssignments/${a.id}/fail`, { method: 'POST', body: {} });
      }
    }
    await api.tree.refresh();
    await treeIdle(api.tree);
    const customer = ((await api.tree.getChildren()) as AnyNode[]).find((n) => n.kind === 'customer' && n.tenantId === tenantId);
    assert.ok(customer, 'the customer is in the tree');
    prompts.confirmAnswer = false;
    const before = prompts.confirms.length;
    await vscode.commands.executeCommand('gdap.removeDap', customer);
    const asked = prompts.confirms.at(-1);
    assert.equal(prompts.confirms.length, before + 1);
    assert.ok(asked);
    assert.equal(asked.typeToConfirm, customer.displayName, "the customer's name must be typed");
    assert.match(asked.detail, /no active access assignment, so no one in your tenant can use it/);
    assert.match(asked.detail, /Admin Agents \(DAP\) loses at .*: Global Administrator/);
    const after = await emulatorState();
    assert.equal(
      (after.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[]).find((p) => p.id === tenantId)
        ?.allowDelegatedAccess,
      true,
      'declined: DAP stays on',
    );
  });
});
