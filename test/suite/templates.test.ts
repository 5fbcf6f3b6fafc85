// GDAP templates in the real VS Code, against the emulator: diagnostics (and a quick fix) in a
// *.gdap.json file, "Plan Template" opening the plan in the diff editor without sending any change, and
// "Apply Plan…" confirming and applying it, after which planning again finds nothing to change.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorRequests, emulatorState } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

class ScriptedPrompts implements PromptLayer {
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  readonly confirms: ConfirmRequest[] = [];
  answer = true;
  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(this.answer);
  }
  pick<T>(_items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(undefined);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string): Promise<string | undefined> {
    this.notices.push({ level, message });
    return Promise.resolve(undefined);
  }
}

interface StateRelationship {
  id: string;
  status: string;
  displayName: string;
  customer: { tenantId?: string } | null;
  accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
}

const GA = '62e90394-69f5-4237-9190-012177145e10';

const mutationsSent = async (): Promise<number> =>
  (await emulatorRequests()).filter((r) => r.method !== 'GET' && r.path.startsWith('/v1.0/') && !r.path.endsWith('$batch')).length;

describe('GDAP templates: diagnostics, plan in the diff editor, apply', function () {
  this.timeout(120_000);
  let api: GdapExplorerApi;
  const prompts = new ScriptedPrompts();
  const dir = mkdtempSync(join(tmpdir(), 'gdap-templates-suite-'));

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(prompts);
    await signInWithEmulator(api);
    assert.equal(api.authState(), 'signedIn');
  });

  after(async () => {
    api.setPromptLayer(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows every template problem as a diagnostic at its place, with a quick fix for a misspelt role', async () => {
    const file = join(dir, 'broken.gdap.json');
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          version: 1,
          relationships: [
            {
              name: 'Support',
              customers: ['not-a-tenant'],
              duration: 'P9999D',
              roles: ['Helpdesk Adminstrator'],
              assignments: [
                { group: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', roles: ['Helpdesk Adminstrator'] },
                { group: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', roles: ['Global Reader'] },
              ],
            },
          ],
        },
        null,
        2,
      )}\n`,
    );
    const uri = vscode.Uri.file(file);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const ours = (): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GDAP');
    await waitFor(() => ours().length >= 5, 'the template diagnostics', 20_000);
    const codes = ours().map((d) => (typeof d.code === 'string' ? d.code : ''));
    for (const code of ['schema', 'invalidDuration', 'unknownRole', 'duplicate', 'roleNotInEntry']) {
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
    }
    const role = ours().find((d) => d.code === 'unknownRole');
    assert.ok(role);
    // Core's problem code rendered through l10n (English here), with its JSON path.
    assert.match(
      role.message,
      /^Unknown role "Helpdesk Adminstrator"\. Did you mean "Helpdesk Administrator".* \(\$\.relationships\[0\]\.(roles|assignments\[0\]\.roles)\[0\]\)$/,
    );
    assert.equal(document.getText(role.range), '"Helpdesk Adminstrator"');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, role.range);
    const fix = actions.find((a) => a.title === 'Replace with "Helpdesk Administrator"');
    assert.ok(fix?.edit, `quick fix offered (got: ${actions.map((a) => a.title).join(' | ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    // The replacement is one character longer than the range it replaced.
    const fixed = new vscode.Range(role.range.start, role.range.start.translate(0, '"Helpdesk Administrator"'.length));
    assert.equal(document.getText(fixed), '"Helpdesk Administrator"');
    await waitFor(
      () => !ours().some((d) => d.range.start.isEqual(role.range.start) && d.code === 'unknownRole'),
      'the fixed role accepted',
      20_000,
    );
  });

  it('plans in the diff editor (current ↔ desired) without sending a change, applies on confirmation, then finds nothing to change', async () => {
    const state = (await emulatorState()) as unknown as {
      relationships: StateRelationship[];
      securityGroups: { id: string }[];
      accessAssignments: Record<string, { status: string; accessContainer?: { accessContainerId: string } }[]>;
    };
    const active = state.relationships.filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    const r = active.find(
      (x) =>
        !x.accessDetails.unifiedRoles.some((u) => u.roleDefinitionId === GA) &&
        active.filter((y) => y.customer?.tenantId === x.customer?.tenantId).length === 1,
    );
    assert.ok(r, 'a customer with one active relationship without Global Administrator');
    const tenantId = (r.customer?.tenantId ?? '').toLowerCase();
    const roles = r.accessDetails.unifiedRoles.map((u) => u.roleDefinitionId);
    const assigned = new Set((state.accessAssignments[r.id] ?? []).map((a) => a.accessContainer?.accessContainerId.toLowerCase()));
    const group = state.securityGroups.map((g) => g.id.toLowerCase()).find((g) => !assigned.has(g));
    assert.ok(group);
    const file = join(dir, 'customer.gdap.json');
    writeFileSync(
      file,
      `${JSON.stringify({ version: 1, relationships: [{ name: r.displayName, customers: [tenantId], roles, assignments: [{ group, roles: [roles[0]] }] }] }, null, 2)}\n`,
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));

    const sentBefore = await mutationsSent();
    const noticesBefore = prompts.notices.length;
    await vscode.commands.executeCommand('gdap.planTemplate', uri);
    const diff = await waitFor(
      () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .map((t) => t.input)
          .find((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff && i.original.scheme === 'gdap-plan'),
      'the plan in the diff editor',
      20_000,
    );
    const current = (await vscode.workspace.openTextDocument(diff.original)).getText();
    const desired = (await vscode.workspace.openTextDocument(diff.modified)).getText();
    assert.ok(current.includes(tenantId) && desired.includes(tenantId));
    assert.ok(!current.includes(group) && desired.includes(group), 'the new group is on the desired side only');
    const summary = prompts.notices.slice(noticesBefore).find((n) => n.message.includes('customer.gdap.json'));
    assert.match(summary?.message ?? '', /1 change \(assign 1\)/);
    assert.equal(await mutationsSent(), sentBefore, 'planning sent nothing');

    prompts.answer = true;
    const requestsBefore = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.applyPlan', uri);
    const confirm = prompts.confirms.at(-1);
    assert.ok(confirm);
    assert.match(confirm.message, /Apply 1 change/);
    assert.match(confirm.detail, new RegExp(`assign group ${group}`));
    // Assignments the template does not list are drift: the confirmation names them as left in place, with the reason.
    const drift = (state.accessAssignments[r.id] ?? [])
      .filter((a) => a.status === 'active')
      .map((a) => a.accessContainer?.accessContainerId.toLowerCase() ?? '')
      .sort();
    assert.ok(drift.length > 0, 'the seeded relationship has assignments the template does not list');
    assert.ok(confirm.detail.includes('Left in place:'), confirm.detail);
    assert.ok(confirm.detail.includes('Not in the template; left in place'), confirm.detail);
    for (const g of drift.slice(0, 5)) {
      assert.ok(confirm.detail.includes(`group ${g} (`), `${g} in ${confirm.detail}`);
    }
    await waitFor(
      async () => {
        const s = (await emulatorState()) as unknown as {
          accessAssignments: Record<string, { status: string; accessContainer?: { accessContainerId: string } }[]>;
        };
        return (s.accessAssignments[r.id] ?? []).some(
          (a) => a.accessContainer?.accessContainerId.toLowerCase() === group && a.status === 'active',
        );
      },
      'the assignment applied',
      30_000,
    );
    await waitFor(
      () => prompts.notices.some((n) => n.message.startsWith('Apply Plan:') && /done/.test(n.message)),
      'the apply report',
      20_000,
    );

    // The tree reads the changed customer again alone; the whole inventory is read once, by the apply.
    const LIST = '/v1.0/tenantRelationships/delegatedAdminRelationships';
    const sinceApply = async () => (await emulatorRequests()).slice(requestsBefore).filter((x) => x.method === 'GET' && x.path === LIST);
    await waitFor(
      async () =>
        (await sinceApply()).some((x) =>
          decodeURIComponent(x.query ?? '')
            .toLowerCase()
            .includes(tenantId),
        ),
      "the customer's relationships read again alone",
      20_000,
    );
    await treeIdle(api.tree);
    const firstPages = (await sinceApply()).filter((x) => !/\$filter|\$skiptoken/i.test(decodeURIComponent(x.query ?? '')));
    assert.equal(firstPages.length, 1, `one whole read (the apply's): ${firstPages.map((x) => x.query ?? '').join(' | ')}`);

    const again = prompts.notices.length;
    await vscode.commands.executeCommand('gdap.planTemplate', uri);
    await waitFor(() => prompts.notices.slice(again).find((n) => /no changes/.test(n.message)), 'a plan with no changes', 20_000);
  });
});
