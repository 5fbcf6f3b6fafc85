// Token hygiene inside the real extension host: after the other suites have signed in and run the
// destructive commands, run the remaining commands too — and every newer flow (create + lock + invitation
// copy, assign, set roles, auto-extend, remove GA, renew, template plan + apply, Check Access, the Access
// Matrix, Check Sign-In, the language-model tools) — then scan everything the extension wrote or showed —
// the log channel (request lines at trace level included), the action journal, the start-up cache file,
// globalState, the documents it opened, the clipboard, the Problems panel, every message posted to the
// Access Matrix webview and the tools' answers — for every token, refresh token, id token, device code and
// authorization code the emulator issued. None may appear.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { Back, InputStep, PickStep, StepUi } from '../../src/extension/ui/multiStep';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorRequests, emulatorState } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle } from './harness/vscodeHelpers';

const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const GA = '62e90394-69f5-4237-9190-012177145e10';

/**
 * Answers every form and question so that each flow goes through: a form step takes the first value its own
 * validation accepts (its default, a fresh name, a group id, Global Reader), a choice prefers the item that
 * goes on (create and lock, continue, apply), every confirmation is yes, and a notification's "Copy Approval
 * Link" is taken. A step budget per flow keeps a form that never ends from looping.
 */
class AgreeablePrompts implements PromptLayer {
  budget = 0;
  groupId = '';
  name = '';
  readonly told: string[] = [];
  readonly steps: StepUi = {
    input: (step: InputStep) => Promise.resolve(this.answerInput(step.value, (v) => step.validate(v))),
    pick: <T>(step: PickStep<T>): Promise<T | Back | undefined> => Promise.resolve(this.answerPick(step.items)),
    pickMany: <T>(step: PickStep<T>): Promise<T[] | Back | undefined> =>
      Promise.resolve(this.answerPickMany(step.items, (v) => step.validate?.(v))),
  };
  private spend(): boolean {
    this.budget -= 1;
    return this.budget >= 0;
  }
  private answerPick<T>(items: readonly PickItem<T>[]): T | undefined {
    if (!this.spend()) {
      return undefined;
    }
    const onward = items.find((i) => /Create and lock|Continue|Apply|Confirm|Renew|Yes/i.test(i.label));
    return (onward ?? items[0])?.value;
  }
  private answerPickMany<T>(items: readonly PickItem<T>[], validate: (values: readonly T[]) => string | undefined): T[] | undefined {
    if (!this.spend()) {
      return undefined;
    }
    const candidates: T[][] = [
      items.filter((i) => i.value === (READER as unknown)).map((i) => i.value),
      items.slice(0, 1).map((i) => i.value),
    ];
    return candidates.find((c) => c.length > 0 && validate(c) === undefined) ?? candidates[1];
  }
  private answerInput(value: string | undefined, validate: (v: string) => string | undefined): string | undefined {
    if (!this.spend()) {
      return undefined;
    }
    return [value ?? '', this.name, this.groupId, 'P730D'].filter((c) => c !== '').find((c) => validate(c) === undefined);
  }
  confirm(_request: ConfirmRequest): Promise<boolean> {
    return Promise.resolve(true);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(this.answerPick(items));
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(this.answerPickMany(items, () => undefined));
  }
  input(options: { readonly value?: string }): Promise<string | undefined> {
    return Promise.resolve(this.answerInput(options.value, () => undefined));
  }
  notify(_level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    this.told.push(message, ...actions);
    return Promise.resolve(actions.find((a) => a === 'Copy Approval Link'));
  }
}

/** Answers every question harmlessly: cancels confirmations, types a filter text. */
class QuietPrompts implements PromptLayer {
  confirm(_request: ConfirmRequest): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve('a');
  }
  notify(_level: NotifyLevel, _message: string): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe('token hygiene in the extension host', () => {
  let api: GdapExplorerApi;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(new QuietPrompts());
    assert.ok(api.emulatorAuthProvider, 'the GDAP Emulator authentication provider is registered');
    await signInWithEmulator(api);
    assert.equal(api.authState(), 'signedIn');
  });

  after(() => api.setPromptLayer(undefined));

  type AnyNode = GdapNode & Record<string, unknown>;
  interface Rel {
    id: string;
    status: string;
    displayName: string;
    autoExtendDuration?: string;
    customer?: { tenantId?: string };
    accessDetails?: { unifiedRoles: { roleDefinitionId: string }[] };
  }
  /** What the flows showed outside the files: Problems panel texts, webview messages, tool answers. */
  const shown: [string, string][] = [];
  /** The log as it was after each flow (the in-memory copy is bounded; a long run could push lines out). */
  const logSnapshots: string[] = [];
  const agreeable = new AgreeablePrompts();

  async function relationshipNode(id: string): Promise<AnyNode> {
    await api.tree.refresh();
    await treeIdle(api.tree);
    for (const top of (await api.tree.getChildren()) as AnyNode[]) {
      for (const n of ((await api.tree.getChildren(top)) ?? []) as AnyNode[]) {
        if (n.kind === 'relationship' && (n.relationship as Rel).id === id) {
          return n;
        }
      }
    }
    throw new Error(`relationship ${id} is not in the tree`);
  }

  const journalActions = (): string[] =>
    existsSync(api.journalPath)
      ? readFileSync(api.journalPath, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => (JSON.parse(l) as { action: string }).action)
      : [];

  async function run(command: string, ...args: unknown[]): Promise<void> {
    agreeable.budget = 40;
    await vscode.commands.executeCommand(command, ...args);
    await treeIdle(api.tree);
    logSnapshots.push(api.logLines().join('\n'));
  }

  it('runs every newer flow first, answering its forms and questions', async function () {
    this.timeout(300_000);
    api.setPromptLayer(agreeable);
    const state = (await emulatorState()) as unknown as { relationships: Rel[]; securityGroups: { id: string }[] };
    const journalBefore = journalActions().length;
    agreeable.groupId = state.securityGroups[0].id;
    agreeable.name = `Hygiene ${Date.now().toString(36)}`;
    const roles = (r: Rel): string[] => (r.accessDetails?.unifiedRoles ?? []).map((x) => x.roleDefinitionId);
    const active = state.relationships.filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    const plain = active.find((r) => !roles(r).includes(GA) && roles(r).includes(READER) && r.autoExtendDuration !== 'P180D');
    const withGa = active.find((r) => roles(r).includes(GA) && r.id !== plain?.id);
    const toRenew =
      state.relationships.find((r) => r.status === 'expired') ?? active.find((r) => r.id !== plain?.id && r.id !== withGa?.id);
    assert.ok(plain && withGa && toRenew, 'the emulator data has the relationships the flows need');

    // Create + lock, and the invitation link copied from the notification.
    await run('gdap.newRelationship');
    // Assign a group, change its roles, auto-extend on and off, remove Global Administrator, renew.
    await run('gdap.addAccessAssignment', await relationshipNode(plain.id));
    const assignment = (((await api.tree.getChildren(await relationshipNode(plain.id))) ?? []) as AnyNode[]).find(
      (n) => n.kind === 'assignment',
    );
    assert.ok(assignment, 'the relationship shows its assignments');
    await run('gdap.changeRoles', assignment);
    const node = await relationshipNode(plain.id);
    await run('gdap.turnOnAutoExtend', node, [node]);
    const again = await relationshipNode(plain.id);
    await run('gdap.turnOffAutoExtend', again, [again]);
    await run('gdap.removeGlobalAdministrator', await relationshipNode(withGa.id));
    const ended = await relationshipNode(toRenew.id);
    await run('gdap.renewRelationship', ended, [ended]);

    // A template: plan, then apply (one new group on the plain relationship).
    const dir = mkdtempSync(join(tmpdir(), 'gdap-hygiene-'));
    const file = join(dir, 'hygiene.gdap.json');
    const group = state.securityGroups[state.securityGroups.length - 1].id.toLowerCase();
    const name = (await emulatorState()).relationships.find((r) => r.id === plain.id)?.displayName ?? plain.displayName;
    writeFileSync(
      file,
      `${JSON.stringify({ version: 1, relationships: [{ name, customers: [plain.customer?.tenantId], roles: roles(plain), assignments: [{ group, roles: [READER] }] }] }, null, 2)}\n`,
    );
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await run('gdap.planTemplate', uri);
    await run('gdap.applyPlan', uri);

    // Check Access (the Problems panel), the Access Matrix (what its webview is sent), Check Sign-In (a report).
    await run('gdap.checkAccess');
    for (const [where, list] of vscode.languages.getDiagnostics()) {
      shown.push([
        `Problems panel ${where.toString()}`,
        list
          .map((d) => `${d.message} ${d.source ?? ''} ${typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '')}`)
          .join('\n'),
      ]);
    }
    await run('gdap.showAccessMatrix');
    const matrix = api.accessMatrix();
    assert.ok(matrix, 'the Access Matrix is open');
    await matrix.receive({ type: 'ready' });
    assert.ok(matrix.allPosted.length > 0, 'the matrix posted its rows to the webview');
    shown.push(['Access Matrix messages', JSON.stringify(matrix.allPosted)], ['Access Matrix HTML', matrix.html]);
    await run('gdap.checkSignIn');

    // The language-model tools' answers.
    const tools: [string, object][] = [
      ['gdap_inventory', { query: '' }],
      ['gdap_access', { customer: plain.customer?.tenantId }],
      ['gdap_expiring', {}],
      ['gdap_check', { severity: 'warning' }],
      ['gdap_impact', { action: 'terminate', relationshipIds: [plain.id] }],
    ];
    for (const [tool, input] of tools) {
      const result = await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined });
      const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : JSON.stringify(p))).join('\n');
      assert.ok(text.length > 0, `${tool} answered`);
      shown.push([`tool ${tool}`, text]);
    }

    // The flows changed things (their journal records are scanned below): every one of the eight mutations
    // was journalled (on the demo data the interactive assign finds nothing to add; the template's apply
    // creates the assignment).
    const done = new Set(journalActions().slice(journalBefore));
    const report = `journalled: ${[...done].join(', ')}; told: ${agreeable.told.join(' | ')}`;
    const all = [
      'createRelationship',
      'lockForApproval',
      'createAccessAssignment',
      'setAccessAssignmentRoles',
      'autoExtendOn',
      'autoExtendOff',
      'removeGlobalAdministrator',
      'renewRelationship',
    ];
    for (const action of all) {
      assert.ok(done.has(action), `the flows journalled ${action} (${report})`);
    }
    api.setPromptLayer(new QuietPrompts());
  });

  it('no issued token in the log, the journal, the start-up cache, globalState, opened documents or the clipboard', async () => {
    // The commands the other suites did not run (the destructive ones ran there, against the emulator).
    await vscode.commands.executeCommand('gdap.refresh');
    await treeIdle(api.tree);
    const customers = (await api.tree.getChildren()) ?? [];
    const customer = customers.find((n) => n.kind === 'customer');
    assert.ok(customer, 'the tree lists customers');
    const relationship = ((await api.tree.getChildren(customer)) ?? []).find((n: GdapNode) => n.kind === 'relationship');
    assert.ok(relationship, 'the customer has relationships');
    await vscode.commands.executeCommand('gdap.showDetails', relationship);
    await vscode.commands.executeCommand('gdap.copyId', relationship);
    await vscode.commands.executeCommand('gdap.filter');
    await vscode.commands.executeCommand('gdap.clearFilter');
    await vscode.commands.executeCommand('gdap.showJournal');
    await vscode.commands.executeCommand('gdap.showLog');
    await treeIdle(api.tree);

    const sessions = await api.emulatorAuthProvider!.getSessions(undefined, {});
    const sessionTokens = sessions.map((s) => s.accessToken);
    assert.ok(
      sessionTokens.length > 0 && sessionTokens.every((t) => JWT.test(t)),
      'the emulator issued JWT-shaped tokens to the extension',
    );
    // Everything the emulator handed out: access, refresh and id tokens, device codes, authorization codes.
    const issued = (await emulatorFetch<{ secrets: string[] }>('/_emulator/issued')).secrets;
    for (const t of sessionTokens) {
      assert.ok(issued.includes(t), 'the emulator lists the tokens it issued');
    }
    assert.ok(
      issued.some((t) => t.startsWith('emu.dc.')),
      'the sign-in used a device code the scan looks for',
    );
    const tokens = [...new Set([...issued, ...sessionTokens])];
    assert.ok((await emulatorRequests()).length > 0);

    const places: [string, string][] = [
      ['log channel', api.logLines().join('\n')],
      ...logSnapshots.map((text, i): [string, string] => [`log channel after flow ${i + 1}`, text]),
      ...shown,
      ['globalState', JSON.stringify(api.storedState())],
      ['clipboard', await vscode.env.clipboard.readText()],
      ...vscode.workspace.textDocuments.map((d): [string, string] => [`document ${d.uri.toString()}`, d.getText()]),
    ];
    if (existsSync(api.startupCachePath)) {
      places.push(['start-up cache file', readFileSync(api.startupCachePath, 'utf8')]);
    }
    if (existsSync(api.journalPath)) {
      places.push(['journal', readFileSync(api.journalPath, 'utf8')]);
    }
    assert.ok(
      places.some(([where]) => where === 'journal'),
      'the earlier suites wrote the journal',
    );
    assert.ok(api.logLines().length > 0, 'the log channel has lines to scan');
    for (const [where, text] of places) {
      for (const token of tokens) {
        assert.ok(!text.includes(token), `${where} contains an issued secret (${token.slice(0, 8)}…)`);
        const signature = token.split('.')[2];
        if (signature !== undefined && signature.length > 16) {
          assert.ok(!text.includes(signature), `${where} contains a token signature`);
        }
      }
      assert.doesNotMatch(text, JWT, `${where} contains something token-shaped`);
    }
  });
});
