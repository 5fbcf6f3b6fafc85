// The extension against the emulator, inside a real extension host: sign-in through the "GDAP Emulator"
// provider, the tree (names, descriptions, roles by name, assignments), each destructive command's
// confirm and cancel paths with the prompt layer injected (modals throw in this mode), and hostile
// workspace settings.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { removeAssignmentConfirmation, removeDapConfirmation, terminateConfirmation } from '../../src/core/actions/confirmations';
import type { RemoveAssignmentPlanItem, RemoveDapPlanItem, TerminatePlanItem } from '../../src/core/actions/plans';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { SessionSource } from '../../src/extension/auth/sessionSource';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PickOptions, PromptLayer } from '../../src/extension/ui/promptLayer';
import { type EmulatorRequest, emulatorFetch, emulatorInfo, emulatorRequests, emulatorState, resetEmulator } from './harness/emulator';
import { emulatorSessions, settledSessionChanges, signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, getExtension, treeIdle, waitFor } from './harness/vscodeHelpers';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Scripted answers; records every question so tests can assert what the user was told. */
class ScriptedPrompts implements PromptLayer {
  confirmAnswer = true;
  /** Chooses among the offered items (default: the first). */
  chooser: (items: readonly PickItem<unknown>[], options: PickOptions) => unknown = (items) => items[0]?.value;
  readonly confirms: ConfirmRequest[] = [];
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  readonly picks: string[] = [];

  /** One-shot answers for the next confirmations, in order (each may act first, e.g. change the emulator). */
  readonly script: ((request: ConfirmRequest) => Promise<boolean>)[] = [];

  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    const next = this.script.shift();
    return next !== undefined ? next(request) : Promise.resolve(this.confirmAnswer);
  }
  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    this.picks.push(options.title);
    return Promise.resolve(this.chooser(items as readonly PickItem<unknown>[], options) as T | undefined);
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(items.map((i) => i.value));
  }
  input(): Promise<string | undefined> {
    return Promise.resolve('');
  }
  notify(level: NotifyLevel, message: string): Promise<string | undefined> {
    this.notices.push({ level, message });
    return Promise.resolve(undefined);
  }
}

type AnyNode = GdapNode & Record<string, unknown>;

async function children(api: GdapExplorerApi, node?: GdapNode): Promise<AnyNode[]> {
  return (await api.tree.getChildren(node)) as AnyNode[];
}

function item(node: GdapNode): vscode.TreeItem {
  return node.getTreeItem();
}

/** The tooltip as VS Code gets it on hover: through the provider's resolveTreeItem. */
function tooltipOf(api: GdapExplorerApi, node: GdapNode): vscode.TreeItem['tooltip'] {
  return api.tree.resolveTreeItem(item(node), node).tooltip;
}

function labelOf(node: GdapNode): string {
  const l = node.getTreeItem().label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

function mutationsSince(before: number, requests: { method: string; path: string }[]): { method: string; path: string }[] {
  return requests
    .slice(before)
    .filter((r) => r.method !== 'GET' && !r.path.startsWith('/_emulator') && !r.path.includes('/oauth2/') && !r.path.endsWith('/$batch'));
}

const LIST_ROUTES = /^\/v1\.0\/tenantRelationships\/(delegatedAdminRelationships|delegatedAdminCustomers)\/?$/;

/** Requests that (re)load the inventory: the relationships and customers list routes, also inside $batch. */
function listRequests(requests: EmulatorRequest[]): EmulatorRequest[] {
  return requests.filter((r) => r.method === 'GET' && LIST_ROUTES.test(r.path));
}

function describeRequests(requests: EmulatorRequest[]): string {
  return requests.map((r) => `${r.time} ${r.method} ${r.path}${r.query ? `?${r.query}` : ''} -> ${r.status}`).join('\n');
}

/**
 * A settle point for request-log assertions: the tree's idle signal (no load in flight, no reload after a
 * session change pending), so every request it sent has been answered and is in the emulator's log.
 */
async function settledRequestLog(api: GdapExplorerApi): Promise<EmulatorRequest[]> {
  await treeIdle(api.tree);
  return emulatorRequests();
}

function ifMatchOf(r: EmulatorRequest): string | undefined {
  return Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'if-match')?.[1];
}

describe('GDAP Explorer against the emulator', function () {
  let api: GdapExplorerApi;
  const prompts = new ScriptedPrompts();

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator and passes GDAP_EMULATOR_URL/GDAP_EMULATOR_CA to the extension host');
    api = await activateExtension<GdapExplorerApi>();
    assert.equal(api.emulator, true, 'GDAP_EMULATOR_URL puts the extension in emulator mode');
    await resetEmulator({ preset: 'demo' });
    api.setPromptLayer(prompts);
    assert.ok(api.emulatorAuthProvider, 'the GDAP Emulator authentication provider is registered');
    await signInWithEmulator(api);
    assert.equal(api.authState(), 'signedIn');
    assert.match(api.treeView.description ?? '', /emulator/);
  });

  after(() => {
    api?.setPromptLayer(undefined);
  });

  afterEach(() => {
    // A failed test must not leave scripted answers for the next one.
    prompts.script.length = 0;
  });

  async function customers(): Promise<AnyNode[]> {
    await api.tree.refresh();
    await treeIdle(api.tree);
    return (await children(api)).filter((n) => n.kind === 'customer');
  }

  async function findRelationship(status: string): Promise<{ customer: AnyNode; relationship: AnyNode }> {
    for (const customer of await customers()) {
      for (const rel of await children(api, customer)) {
        if (rel.kind === 'relationship' && (rel.relationship as { status: string }).status === status) {
          return { customer, relationship: rel };
        }
      }
    }
    throw new Error(`no ${status} relationship in the emulator data`);
  }

  it('lists customers by name, sorted, with relationship counts', async () => {
    const nodes = await customers();
    assert.ok(nodes.length > 0);
    const state = await emulatorState();
    const names = nodes.map((n) => labelOf(n));
    const expected = new Set(state.relationships.map((r) => (r.customer as { displayName?: string } | null)?.displayName).filter(Boolean));
    for (const name of names) {
      assert.ok(expected.has(name), `${name} is a customer of the emulator`);
      assert.doesNotMatch(name, GUID);
    }
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })),
    );
    assert.match(String(item(nodes[0]).description), /^\d+ relationships?( · \d+ expiring in \d+ days?)?$/);
    assert.match(item(nodes[0]).contextValue ?? '', /^gdap\.customer;/);
  });

  it('shows relationships with status and expiry, roles by name and access assignments', async () => {
    const { relationship } = await findRelationship('active');
    const ti = item(relationship);
    assert.match(String(ti.description), /^active · (ends in \d+ days?|ends today|auto-extends)/);
    assert.match(ti.contextValue ?? '', /^gdap\.relationship;status\.active/);
    assert.ok(ti.tooltip === undefined, 'the tooltip is built on hover, not with the item');
    assert.ok(tooltipOf(api, relationship) instanceof vscode.MarkdownString);
    const kids = await children(api, relationship);
    const roles = kids.filter((k) => k.kind === 'role');
    assert.ok(roles.length > 0);
    for (const r of roles) {
      assert.doesNotMatch(labelOf(r), GUID, 'role labels are names');
    }
    const assignments = kids.filter((k) => k.kind === 'assignment');
    assert.ok(assignments.length > 0, 'an active relationship shows its access assignments');
    assert.doesNotMatch(String(item(assignments[0]).description).split(' · ')[1] ?? '', GUID, 'assignment roles by name');
    assert.ok(item(assignments[0]).id?.startsWith(`customer/`));
    assert.match(item(assignments[0]).id ?? '', /\/relationship\/.+\/assignment\//);
  });

  it('filters without reloading', async () => {
    const all = await customers();
    const name = labelOf(all[0]);
    // Count from a settle point, and only what a reload would send: the relationships and customers
    // lists. Other background traffic (token refreshes, DAP reads) says nothing about filtering.
    const before = (await settledRequestLog(api)).length;
    const inventory = api.tree.store.current;
    assert.ok(inventory, 'the inventory is loaded');
    await vscode.commands.executeCommand('setContext', 'gdap.filterActive', true);
    api.tree.setFilter({ text: name, status: 'all' });
    const filtered = (await children(api)).filter((n) => n.kind === 'customer');
    const during = (await emulatorRequests()).slice(before);
    api.tree.setFilter({ text: '', status: 'all' });
    await vscode.commands.executeCommand('setContext', 'gdap.filterActive', false);
    assert.ok(filtered.length >= 1 && filtered.length < all.length, `the filter narrows the tree (${filtered.length} of ${all.length})`);
    assert.ok(filtered.some((n) => labelOf(n) === name));
    assert.deepEqual(listRequests(during), [], `no list request for filtering; seen:\n${describeRequests(during)}`);
    assert.equal(api.tree.store.current, inventory, 'the same inventory object: nothing was reloaded');
    const unfiltered = (await children(api)).filter((n) => n.kind === 'customer');
    assert.equal(unfiltered.length, all.length, 'clearing the filter shows every customer again');
  });

  it('terminate: Cancel sends nothing', async () => {
    const { relationship } = await findRelationship('active');
    const before = (await emulatorRequests()).length;
    prompts.confirmAnswer = false;
    await vscode.commands.executeCommand('gdap.terminateRelationship', relationship);
    const req = prompts.confirms.at(-1);
    assert.ok(req, 'a confirmation was asked');
    assert.match(req.message, /Terminate the GDAP relationship/);
    assert.ok(req.message.includes(String((relationship.relationship as { displayName: string }).displayName)));
    assert.match(req.detail, /access/);
    assert.deepEqual(mutationsSince(before, await emulatorRequests()), []);
  });

  /** `gdap <args> --dry-run` (the bundled CLI, signed in to the same emulator): its plan items. */
  async function cliDryRun<P>(args: string[]): Promise<P[]> {
    const info = emulatorInfo();
    assert.ok(info);
    const cli = path.join(getExtension().extensionPath, 'dist', 'cli.js');
    const state = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-dry-run-'));
    try {
      const child = spawn(process.execPath, [cli, ...args, '--dry-run', '-q'], {
        env: {
          PATH: process.env.PATH,
          XDG_STATE_HOME: state,
          GDAP_EMULATOR_URL: info.url,
          ...(info.caFile !== undefined ? { GDAP_EMULATOR_CA: info.caFile } : {}),
          // The extension host may be Electron: run the CLI as plain Node.
          ELECTRON_RUN_AS_NODE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, `gdap ${args.join(' ')} --dry-run: ${stderr}`);
      const out = JSON.parse(stdout) as { dryRun: boolean; plan: P[] };
      assert.equal(out.dryRun, true);
      return out.plan;
    } finally {
      await fs.rm(state, { recursive: true, force: true });
    }
  }

  const groupNames = (id: string): string | undefined =>
    vscode.workspace.getConfiguration('gdap').get<boolean>('resolveGroupNames') === true ? api.tree.store.groupName(id) : undefined;
  /** As terminate and remove DAP name a group in their impact: its name, else the first 8 characters of its id. */
  const groupLabels = (id: string): string => groupNames(id) ?? `Security group ${id.length > 12 ? `${id.slice(0, 8)}…` : id}`;

  it('confirmations: the terminate, remove-assignment and remove-DAP modals show exactly the plan items of `gdap … --dry-run`', async () => {
    prompts.confirmAnswer = false;
    const { relationship } = await findRelationship('active');
    const relId = (relationship.relationship as { id: string }).id;
    await vscode.commands.executeCommand('gdap.terminateRelationship', relationship);
    const terminateAsked = prompts.confirms.at(-1);
    const terminatePlan = await cliDryRun<TerminatePlanItem>(['terminate', relId]);
    assert.deepEqual(
      terminatePlan.map((p) => [p.id, p.willAct]),
      [[relId, true]],
    );
    const terminateShown = terminateConfirmation(terminatePlan, { groupName: groupLabels });
    assert.deepEqual(
      { message: terminateAsked?.message, detail: terminateAsked?.detail, confirmLabel: terminateAsked?.confirmLabel },
      { message: terminateShown.message, detail: terminateShown.detail, confirmLabel: terminateShown.confirmLabel },
    );
    const name = String((relationship.relationship as { displayName: string }).displayName);
    assert.equal(terminateAsked?.message.split(name).length, 2, 'the relationship name appears once in the question');
    assert.ok(!terminateAsked?.detail.includes(name), 'and not again in the detail');

    const node = await findAssignment();
    const a = node.assignment as { id: string; relationshipId: string };
    await vscode.commands.executeCommand('gdap.removeAccessAssignment', node);
    const removeAsked = prompts.confirms.at(-1);
    const removePlan = await cliDryRun<RemoveAssignmentPlanItem>(['remove-assignment', a.relationshipId, a.id]);
    assert.deepEqual(
      removePlan.map((p) => [p.id, p.willAct]),
      [[`${a.relationshipId}/${a.id}`, true]],
    );
    const removeShown = removeAssignmentConfirmation(removePlan, { groupName: groupNames });
    assert.deepEqual(
      { message: removeAsked?.message, detail: removeAsked?.detail },
      { message: removeShown.message, detail: removeShown.detail },
    );

    const state = await emulatorState();
    const pcs = state.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[];
    const dapCustomers = (await customers()).filter((c) => pcs.some((p) => p.id === c.tenantId && p.allowDelegatedAccess)).slice(0, 2);
    assert.equal(dapCustomers.length, 2, 'two customers with DAP in the emulator data');
    await vscode.commands.executeCommand('gdap.removeDap', dapCustomers[0], dapCustomers);
    const dapAsked = prompts.confirms.at(-1);
    const dapPlan = await cliDryRun<RemoveDapPlanItem>(['remove-dap', ...dapCustomers.map((c) => String(c.tenantId))]);
    assert.deepEqual(
      dapPlan.map((p) => p.tenantId),
      dapCustomers.map((c) => c.tenantId),
    );
    const dapShown = removeDapConfirmation(dapPlan, { groupName: groupLabels });
    assert.match(dapShown.message, /^Remove legacy DAP for 2 customers\?$/);
    assert.deepEqual(
      { message: dapAsked?.message, detail: dapAsked?.detail, typed: dapAsked?.typeToConfirm !== undefined },
      { message: dapShown.message, detail: dapShown.detail, typed: dapShown.mustType },
    );
    prompts.confirmAnswer = true;
  });

  it('terminate: confirm reaches terminated in the emulator and in the tree', async () => {
    const { customer, relationship } = await findRelationship('active');
    const id = (relationship.relationship as { id: string }).id;
    prompts.confirmAnswer = true;
    await vscode.commands.executeCommand('gdap.terminateRelationship', relationship);
    const state = await emulatorState();
    assert.equal(state.relationships.find((r) => r.id === id)?.status, 'terminated');
    assert.match(String(item(relationship).description), /^terminated/);
    // What VS Code renders when it asks the customer for its children again (the repaint).
    const again = (await children(api, customer)).find((n) => n.id === relationship.id);
    assert.ok(again);
    assert.match(String(item(again).description), /^terminated/);
    assert.doesNotMatch(item(again).contextValue ?? '', /status\.active/, 'no terminate menu any more');
    assert.ok(prompts.notices.some((n) => n.level === 'info' && /done/.test(n.message)));
  });

  it('terminate on a multi-selection: every target shown terminated, the other customers left as they were', async () => {
    const picked: { customer: AnyNode; relationship: AnyNode }[] = [];
    for (const customer of await customers()) {
      const active = (await children(api, customer)).find(
        (n) => n.kind === 'relationship' && (n.relationship as { status: string }).status === 'active',
      );
      if (active !== undefined && picked.length < 2) {
        picked.push({ customer, relationship: active });
      }
    }
    assert.equal(picked.length, 2, 'two customers with an active relationship');
    const ids = picked.map((p) => (p.relationship.relationship as { id: string }).id);
    const touched = new Set(picked.map((p) => (p.customer as unknown as { tenantId: string }).tenantId));
    const untouchedBefore = (api.tree.store.current?.customers ?? []).filter((c) => !touched.has(c.tenantId));
    prompts.confirmAnswer = true;
    const nodes = picked.map((p) => p.relationship);
    await vscode.commands.executeCommand('gdap.terminateRelationship', nodes[0], nodes);
    const state = await emulatorState();
    for (const [i, id] of ids.entries()) {
      assert.equal(state.relationships.find((r) => r.id === id)?.status, 'terminated', id);
      const again = (await children(api, picked[i]?.customer)).find((n) => n.id === picked[i]?.relationship.id);
      assert.match(String(again === undefined ? '' : item(again).description), /^terminated/, id);
      assert.equal(api.tree.store.findRelationship(id)?.status, 'terminated', id);
    }
    // One pass for the whole run: the customers holding no target are the same objects as before.
    const untouchedAfter = (api.tree.store.current?.customers ?? []).filter((c) => !touched.has(c.tenantId));
    assert.equal(untouchedAfter.length, untouchedBefore.length);
    assert.ok(
      untouchedAfter.every((c, i) => c === untouchedBefore[i]),
      'customers without a target were not copied',
    );
  });

  it('terminate from the palette goes customer → relationship through quick picks', async () => {
    prompts.confirmAnswer = true;
    prompts.picks.length = 0;
    let chosenId = '';
    prompts.chooser = (items) => {
      const v = items[0]?.value as { relationship?: { id: string } } | undefined;
      if (v?.relationship) {
        chosenId = v.relationship.id;
      }
      return items[0]?.value;
    };
    await vscode.commands.executeCommand('gdap.terminateRelationship');
    assert.equal(prompts.picks.length, 2, 'customer then relationship');
    const state = await emulatorState();
    assert.equal(state.relationships.find((r) => r.id === chosenId)?.status, 'terminated');
    prompts.chooser = (items) => items[0]?.value;
  });

  async function findAssignment(): Promise<AnyNode> {
    for (const customer of await customers()) {
      for (const rel of await children(api, customer)) {
        if (rel.kind === 'relationship' && (rel.relationship as { status: string }).status === 'active') {
          const a = (await children(api, rel)).find(
            (k) => k.kind === 'assignment' && (k.assignment as { status: string }).status === 'active',
          );
          if (a) {
            return a;
          }
        }
      }
    }
    throw new Error('no active access assignment in the emulator data');
  }

  it('remove access assignment: Cancel sends nothing, confirm removes it', async () => {
    const node = await findAssignment();
    const a = node.assignment as { id: string; relationshipId: string };
    const before = (await emulatorRequests()).length;
    prompts.confirmAnswer = false;
    await vscode.commands.executeCommand('gdap.removeAccessAssignment', node);
    assert.match(prompts.confirms.at(-1)?.message ?? '', /Remove the access of/);
    assert.deepEqual(mutationsSince(before, await emulatorRequests()), []);

    prompts.confirmAnswer = true;
    await vscode.commands.executeCommand('gdap.removeAccessAssignment', node);
    const deletes = (await emulatorRequests()).filter((r) => r.method === 'DELETE' && r.path.endsWith(`/accessAssignments/${a.id}`));
    assert.ok(deletes.length >= 1, 'DELETE sent');
    assert.ok(
      deletes.every((d) => Object.keys(d.headers ?? {}).some((h) => h.toLowerCase() === 'if-match')),
      'with If-Match',
    );
    const state = await emulatorState();
    const left = (state.accessAssignments[a.relationshipId] ?? []).find((x) => x.id === a.id);
    assert.ok(left === undefined || left.status === 'deleted' || left.status === 'deleting');
  });

  /** Simulates someone else changing the assignment (new ETag, nothing else); returns the new ETag. */
  async function touchAssignment(relationshipId: string, assignmentId: string): Promise<string> {
    const touched = await emulatorFetch<{ '@odata.etag': string }>('/_emulator/touch', {
      method: 'POST',
      body: { relationshipId, assignmentId },
    });
    return touched['@odata.etag'];
  }

  function deletesOf(requests: EmulatorRequest[], assignmentId: string): EmulatorRequest[] {
    return requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/accessAssignments/${assignmentId}`));
  }

  it('remove access assignment: a change by someone else while confirming gets 412; it re-reads, asks again and removes on yes', async () => {
    const node = await findAssignment();
    const a = node.assignment as { id: string; relationshipId: string; etag: string };
    const shown = a.etag;
    const before = (await emulatorRequests()).length;
    let current = '';
    prompts.script.push(
      async () => {
        current = await touchAssignment(a.relationshipId, a.id);
        return true;
      },
      () => Promise.resolve(true),
    );
    const asked = prompts.confirms.length;
    const noticed = prompts.notices.length;
    await vscode.commands.executeCommand('gdap.removeAccessAssignment', node);
    assert.equal(prompts.script.length, 0, 'both scripted confirmations were used');
    const questions = prompts.confirms.slice(asked);
    assert.equal(questions.length, 2, 'asked again after the 412, and only once');
    assert.doesNotMatch(questions[0].detail, /changed since it was read/);
    assert.match(questions[1].message, /Remove the access of/);
    assert.match(questions[1].detail, /changed since it was read; this is what it holds now/);
    assert.notEqual(current, shown);

    const deletes = deletesOf((await emulatorRequests()).slice(before), a.id);
    assert.deepEqual(
      deletes.map((d) => [d.status, ifMatchOf(d)]),
      [
        [412, shown],
        [204, current],
      ],
      'the first DELETE carries the ETag the user confirmed (412), the second the re-read one',
    );
    const left = ((await emulatorState()).accessAssignments[a.relationshipId] ?? []).find((x) => x.id === a.id);
    assert.ok(left === undefined || left.status === 'deleted' || left.status === 'deleting', `removed in the emulator (${left?.status})`);
    assert.deepEqual(
      prompts.notices.slice(noticed).filter((n) => n.level !== 'info'),
      [],
      'no warning or error for the stale first attempt',
    );
  });

  it('remove access assignment: after a 412, "no" at the second question sends nothing more', async () => {
    const node = await findAssignment();
    const a = node.assignment as { id: string; relationshipId: string; etag: string };
    const before = (await emulatorRequests()).length;
    prompts.script.push(
      async () => {
        await touchAssignment(a.relationshipId, a.id);
        return true;
      },
      () => Promise.resolve(false),
    );
    const asked = prompts.confirms.length;
    await vscode.commands.executeCommand('gdap.removeAccessAssignment', node);
    assert.equal(prompts.confirms.length - asked, 2);
    assert.match(prompts.confirms.at(-1)?.detail ?? '', /changed since it was read/);
    const sent = mutationsSince(before, await emulatorRequests());
    assert.deepEqual(
      sent.map((r) => `${r.method} ${r.path}`),
      [`DELETE /v1.0/tenantRelationships/delegatedAdminRelationships/${a.relationshipId}/accessAssignments/${a.id}`],
      'only the one DELETE that got 412',
    );
    assert.equal(deletesOf((await emulatorRequests()).slice(before), a.id)[0]?.status, 412);
    const left = ((await emulatorState()).accessAssignments[a.relationshipId] ?? []).find((x) => x.id === a.id);
    assert.equal(left?.status, 'active', 'the assignment is untouched in the emulator');
  });

  it('remove DAP: Cancel sends nothing, confirm turns DAP off in Partner Center', async () => {
    const state = await emulatorState();
    const pc = (state.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[]).find((c) => c.allowDelegatedAccess);
    assert.ok(pc, 'a customer with DAP in the emulator data');
    const node = (await customers()).find((c) => c.tenantId === pc.id) ?? api.tree.findNode(`customer/${pc.id}`);
    assert.ok(node, 'the customer is in the tree');
    const before = (await emulatorRequests()).length;
    prompts.confirmAnswer = false;
    await vscode.commands.executeCommand('gdap.removeDap', node);
    assert.match(prompts.confirms.at(-1)?.message ?? '', /Remove legacy DAP/);
    assert.deepEqual(mutationsSince(before, await emulatorRequests()), []);

    prompts.confirmAnswer = true;
    await vscode.commands.executeCommand('gdap.removeDap', node);
    const after = await emulatorState();
    assert.equal(
      (after.partnerCenterCustomers as { id: string; allowDelegatedAccess: boolean }[]).find((c) => c.id === pc.id)?.allowDelegatedAccess,
      false,
    );
    assert.match(item(node).contextValue ?? '', /dap\.off/);
  });

  it('GDAP: Refresh reloads the whole tree', async () => {
    await vscode.commands.executeCommand('gdap.refresh');
    await waitFor(async () => (await children(api)).length > 0, 'tree loaded');
  });

  it('never writes a token to the log channel', () => {
    const text = api.logLines().join('\n');
    assert.doesNotMatch(text, /eyJ[A-Za-z0-9_-]{10,}/);
    assert.doesNotMatch(text, /Bearer\s+[A-Za-z0-9._-]{10,}/);
  });

  /** An active relationship with active assignments, expanded: its assignment nodes, freshly loaded. */
  async function assignmentRows(): Promise<AnyNode[]> {
    const node = await findAssignment();
    const rel = node.parent as unknown as AnyNode;
    await api.tree.refresh(rel);
    const rows = (await children(api, rel)).filter((k) => k.kind === 'assignment');
    assert.ok(rows.length > 0);
    return rows;
  }

  function groupIdOf(row: AnyNode): string {
    return (row.assignment as { accessContainer: { accessContainerId: string } }).accessContainer.accessContainerId;
  }

  async function signInAgainWith(source: SessionSource): Promise<void> {
    await vscode.commands.executeCommand('gdap.signOut');
    api.setSessionSource(source);
    await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
    assert.equal(api.authState(), 'signedIn');
  }

  it('signing out empties the tree for the welcome view without an error message; signing in loads it again', async () => {
    const noticed = prompts.notices.length;
    await vscode.commands.executeCommand('gdap.signOut');
    assert.equal(api.authState(), 'signedOut');
    await treeIdle(api.tree);
    assert.deepEqual(await children(api), []);
    assert.deepEqual(
      prompts.notices.slice(noticed).filter((n) => n.level !== 'info'),
      [],
      'no "not signed in" error after an explicit sign-out',
    );
    api.setSessionSource(emulatorSessions(api));
    await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
    assert.equal(api.authState(), 'signedIn');
    assert.ok((await customers()).length > 0);
  });

  it('access assignment rows show security group names (GroupMember.Read.All in the Graph session)', async () => {
    const seen: string[][] = [];
    await signInAgainWith(emulatorSessions(api, seen));
    assert.ok(
      seen.some(
        (scopes) =>
          scopes.some((x) => x.endsWith('/DelegatedAdminRelationship.ReadWrite.All')) &&
          scopes.some((x) => x.endsWith('/GroupMember.Read.All')),
      ),
      'the Graph session asks for GroupMember.Read.All next to the GDAP scope',
    );
    const before = (await emulatorRequests()).length;
    const rows = await assignmentRows();
    const groups = (await emulatorState()).securityGroups as { id: string; displayName: string }[];
    for (const row of rows) {
      const name = groups.find((g) => g.id === groupIdOf(row))?.displayName;
      assert.ok(name, 'the assignment names a security group of the emulator');
      assert.equal(labelOf(row), name, 'the row shows the group name');
      assert.doesNotMatch(labelOf(row), GUID);
      const tip = tooltipOf(api, row) as vscode.MarkdownString;
      assert.ok(tip.value.includes(groupIdOf(row)), 'the tooltip still gives the group id');
    }
    const reads = (await emulatorRequests()).slice(before).filter((r) => r.path.startsWith('/v1.0/groups/'));
    assert.ok(
      reads.length > 0 && reads.every((r) => r.status === 200 && (r as { batchRequestId?: string }).batchRequestId !== undefined),
      'names read with GET /groups/{id} inside $batch',
    );
    // A second expand uses this sign-in's cache.
    const again = (await emulatorRequests()).length;
    await assignmentRows();
    assert.deepEqual(
      (await emulatorRequests()).slice(again).filter((r) => r.path.startsWith('/v1.0/groups/')),
      [],
      'cached for the session',
    );
  });

  it('a token without GroupMember.Read.All shows group ids (403 per group), logged once, no error node or message', async () => {
    const noticed = prompts.notices.length;
    const logged = api.logLines().length;
    await signInAgainWith(emulatorSessions(api, [], (x) => x.endsWith('/GroupMember.Read.All')));
    try {
      const before = (await emulatorRequests()).length;
      const rows = await assignmentRows();
      for (const row of rows) {
        assert.equal(labelOf(row), `Security group ${groupIdOf(row)}`);
      }
      const rel = rows[0].parent as unknown as AnyNode;
      assert.ok(
        (await children(api, rel)).every((k) => k.kind !== 'message'),
        'no error node',
      );
      const reads = (await emulatorRequests()).slice(before).filter((r) => r.path.startsWith('/v1.0/groups/'));
      assert.ok(reads.length > 0 && reads.every((r) => r.status === 403), 'the emulator refused the group reads');
      await assignmentRows();
      const notes = api
        .logLines()
        .slice(logged)
        .filter((l) => /Security group names: not permitted/.test(l));
      assert.equal(notes.length, 1, 'logged once');
      assert.deepEqual(
        prompts.notices.slice(noticed).filter((n) => n.level !== 'info'),
        [],
        'no warning or error shown',
      );
    } finally {
      await signInAgainWith(emulatorSessions(api));
    }
  });

  it('with gdap.resolveGroupNames off the scope is not asked for, no group is read and ids are shown', async () => {
    const config = vscode.workspace.getConfiguration('gdap');
    const seen: string[][] = [];
    api.setSessionSource(emulatorSessions(api, seen));
    // The harness turns group names on in user settings (the emulator grants the scope); the
    // extension's own default is off. Restore exactly what was there.
    const previous = config.inspect<boolean>('resolveGroupNames')?.globalValue;
    assert.equal(previous, true, 'the harness runs with gdap.resolveGroupNames on');
    await config.update('resolveGroupNames', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor(
        () => api.tree.settings().resolveGroupNames === false && api.authState() === 'signedIn',
        'the setting applied and sign-in redone',
      );
      await waitFor(() => seen.length > 0, 'a Graph session asked for after the change');
      const before = (await emulatorRequests()).length;
      const rows = await assignmentRows();
      for (const row of rows) {
        assert.equal(labelOf(row), `Security group ${groupIdOf(row)}`);
      }
      assert.deepEqual(
        (await emulatorRequests()).slice(before).filter((r) => r.path.startsWith('/v1.0/groups/')),
        [],
        'no group read',
      );
      assert.ok(
        seen.every((scopes) => !scopes.some((x) => x.endsWith('/GroupMember.Read.All'))),
        'GroupMember.Read.All not asked for',
      );
    } finally {
      await config.update('resolveGroupNames', previous, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.tree.settings().resolveGroupNames === true && api.authState() === 'signedIn', 'the setting restored');
      await treeIdle(api.tree);
    }
  });

  it('ignores hostile workspace values for every sign-in, cloud and safety setting', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder, so a workspace settings file can be written');
    const hostile: Record<string, unknown> = {
      'gdap.auth.clientId': '11111111-2222-3333-4444-555555555555',
      'gdap.auth.tenantId': 'evil.example',
      'gdap.cloud': 'usgov',
      'gdap.auth.useDeviceCode': true,
      'gdap.readOnly': true,
      'gdap.confirmation': 'typeName',
      'gdap.resolveGroupNames': false,
      'gdap.expiryWarningDays': 1,
      'gdap.cache.enabled': false,
    };
    const before = api.tree.settings();
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(hostile)));
    try {
      // VS Code has read the file (a window-scoped probe key in it becomes visible)…
      const probe = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
      await vscode.workspace.fs.writeFile(probe, Buffer.from(JSON.stringify({ ...hostile, 'editor.tabSize': 7 })));
      await waitFor(
        () => vscode.workspace.getConfiguration('editor').get<number>('tabSize') === 7,
        'VS Code to load the workspace settings file',
      );
      // …and the extension still uses only the user's values for every gdap.* setting.
      const after = api.tree.settings();
      assert.deepEqual(after, before);
      assert.equal(after.cloud, 'global');
      assert.equal(after.useDeviceCode, false);
      assert.equal(after.readOnly, false);
      assert.notEqual(after.clientId, hostile['gdap.auth.clientId']);
      assert.notEqual(after.tenantId, hostile['gdap.auth.tenantId']);
      assert.equal(api.authState(), 'signedIn', 'no sign-in restart was triggered');
    } finally {
      await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    }
  });
});
