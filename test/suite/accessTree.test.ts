// Access in the tree, in the real extension host against the emulator: the "No GDAP" group (Partner Center
// customers without any GDAP relationship), the DAP state on customer rows, a Partner Center failure as one
// message inside the group, the setting turned off, and Check Access's findings in the view badge's tooltip.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import type { ConfirmRequest, NotifyLevel, PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorInfo, emulatorRequests, emulatorState, resetEmulator } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, manifestContributes, treeIdle, waitFor } from './harness/vscodeHelpers';

class Prompts implements PromptLayer {
  readonly confirms: ConfirmRequest[] = [];
  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(true);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(items: readonly PickItem<T>[]): Promise<T[] | undefined> {
    return Promise.resolve(items.map((i) => i.value));
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(_level: NotifyLevel, _message: string): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  saveAs(): Promise<vscode.Uri | undefined> {
    return Promise.resolve(undefined);
  }
}

type AnyNode = GdapNode & { tenantId?: string };
type PcCustomer = { id: string; companyName: string | null; allowDelegatedAccess: boolean };

const PC_PATH = /^\/partnercenter\//;

/** The first level once the Partner Center reads behind it are done (they never hold up a paint). */
async function settledRoots(api: GdapExplorerApi): Promise<AnyNode[]> {
  const enabled = vscode.workspace.getConfiguration('gdap').get<boolean>('partnerCenter.enabled') !== false;
  // A paint starts the Partner Center read once the inventory is in; a reload in flight restarts it.
  await waitFor(
    async () => {
      await api.tree.getChildren();
      await treeIdle(api.tree);
      await api.tree.partnerCenterSettled();
      const kind = api.tree.partnerCenterState.kind;
      return !api.tree.loading && (!enabled || kind === 'loaded' || kind === 'failed');
    },
    'the tree and its Partner Center reads settled',
    30_000,
  );
  return await api.tree.getChildren();
}

function itemOf(api: GdapExplorerApi, node: GdapNode): vscode.TreeItem {
  return api.tree.getTreeItem(node);
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function tooltipText(api: GdapExplorerApi, node: GdapNode): string {
  const tip = api.tree.resolveTreeItem(new vscode.TreeItem(''), node).tooltip;
  return typeof tip === 'string' ? tip : (tip?.value ?? '');
}

/** The explorer's context-menu commands whose `viewItem` regex accepts this contextValue. */
function menuCommandsFor(contextValue: string): string[] {
  const menus = (manifestContributes().menus as Record<string, { command: string; when?: string }[]>)['view/item/context'];
  return menus
    .filter((m) => (m.when ?? '').includes('view == gdap.explorer'))
    .filter((m) => {
      const re = /viewItem =~ \/(.+?)\/(?: |$)/.exec(m.when ?? '')?.[1];
      return re !== undefined && new RegExp(re).test(contextValue);
    })
    .map((m) => m.command);
}

async function setPartnerCenter(enabled: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('gdap').update('partnerCenter.enabled', enabled, vscode.ConfigurationTarget.Global);
}

describe('Access in the tree: No GDAP group, DAP state and the badge', function () {
  let api: GdapExplorerApi;
  const prompts = new Prompts();

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator');
    api = await activateExtension<GdapExplorerApi>();
    await resetEmulator({ preset: 'demo' });
    api.setPromptLayer(prompts);
    await signInWithEmulator(api);
    await api.tree.refresh();
    await treeIdle(api.tree);
  });

  after(async () => {
    await setPartnerCenter(undefined);
    api?.setPromptLayer(undefined);
  });

  it('lists the Partner Center customers without GDAP under a collapsed "No GDAP" group, last on the first level', async () => {
    const roots = await settledRoots(api);
    const group = roots.at(-1);
    assert.equal(group?.kind, 'noGdapGroup', 'the group is the last row');
    const state = await emulatorState();
    const inTree = new Set((api.tree.store.current?.customers ?? []).map((c) => c.tenantId.toLowerCase()));
    const expected = (state.partnerCenterCustomers as PcCustomer[]).filter((p) => !inTree.has(p.id.toLowerCase()));
    assert.ok(expected.length > 0, 'the demo data has Partner Center customers without GDAP');
    const item = itemOf(api, group);
    assert.equal(labelOf(item), 'No GDAP');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal(item.description, expected.length === 1 ? '1 customer' : `${expected.length} customers`);
    const children = (await api.tree.getChildren(group)) as AnyNode[];
    assert.deepEqual(children.map((c) => c.tenantId).sort(), expected.map((p) => p.id).sort());
    for (const child of children) {
      assert.equal(child.kind, 'noGdapCustomer');
      assert.equal(api.tree.getParent(child), group);
      const ci = itemOf(api, child);
      const pcCustomer = expected.find((p) => p.id === child.tenantId);
      assert.equal(labelOf(ci), pcCustomer?.companyName ?? child.tenantId);
      assert.match(ci.accessibilityInformation?.label ?? '', /^Customer .+: no GDAP relationship/);
      assert.ok(tooltipText(api, child).includes(child.tenantId ?? '?'), 'the tooltip names the tenant id');
      const menu = menuCommandsFor(ci.contextValue ?? '');
      assert.ok(menu.includes('gdap.newRelationship'), `New Relationship is offered (${ci.contextValue})`);
      assert.equal(menu.includes('gdap.removeDap'), !/;dap\.off(;|$)/.test(ci.contextValue ?? ''), 'Remove DAP unless DAP is off');
      assert.ok(!menu.includes('gdap.terminateRelationship'));
    }
    // First-level customers are unchanged: every one of them is still there, before the group.
    assert.equal(roots.filter((n) => n.kind === 'customer').length, api.tree.store.current?.customers.length);
  });

  it("shows each customer's DAP state as Partner Center has it, on the row and to a screen reader", async () => {
    await settledRoots(api);
    const state = await emulatorState();
    const pcs = new Map((state.partnerCenterCustomers as PcCustomer[]).map((p) => [p.id.toLowerCase(), p.allowDelegatedAccess]));
    const group = ((await api.tree.getChildren()) as AnyNode[]).find((n) => n.kind === 'noGdapGroup');
    assert.ok(group);
    const nodes = [
      ...((await api.tree.getChildren()) as AnyNode[]).filter((n) => n.kind === 'customer'),
      ...((await api.tree.getChildren(group)) as AnyNode[]),
    ];
    let on = 0;
    let off = 0;
    for (const node of nodes) {
      const expected = pcs.get((node.tenantId ?? '').toLowerCase());
      const item = itemOf(api, node);
      if (expected === undefined) {
        assert.equal(api.tree.store.dapState(node.tenantId ?? ''), undefined, 'no state for a tenant Partner Center does not list');
        continue;
      }
      assert.equal(api.tree.store.dapState(node.tenantId ?? ''), expected, `DAP state of ${labelOf(item)}`);
      assert.equal(/DAP on/.test(String(item.description)), expected, `"DAP on" on the row of ${labelOf(item)}`);
      assert.match(item.accessibilityInformation?.label ?? '', expected ? /legacy DAP on/ : /legacy DAP off/);
      assert.match(item.contextValue ?? '', expected ? /;dap\.on(;|$)/ : /;dap\.off(;|$)/);
      assert.match(tooltipText(api, node), expected ? /Legacy DAP: on/ : /Legacy DAP: off/);
      if (expected) {
        on += 1;
      } else {
        off += 1;
      }
    }
    assert.ok(on > 0 && off > 0, `both states are shown (${on} on, ${off} off)`);
    // Each customer's state is read once per session: a repaint sends nothing.
    const before = (await emulatorRequests()).length;
    await settledRoots(api);
    const reads = (await emulatorRequests()).slice(before).filter((r) => PC_PATH.test(r.path));
    assert.deepEqual(reads, [], 'no Partner Center request for a repaint');
  });

  it('the filter applies to the No GDAP customers', async () => {
    const group = (await settledRoots(api)).find((n) => n.kind === 'noGdapGroup');
    assert.ok(group);
    const all = (await api.tree.getChildren(group)) as AnyNode[];
    const target = labelOf(itemOf(api, all[0]));
    try {
      api.tree.setFilter({ text: target, status: 'all' });
      const filteredGroup = ((await api.tree.getChildren()) as AnyNode[]).find((n) => n.kind === 'noGdapGroup');
      assert.ok(filteredGroup, 'the group stays while one of its customers matches');
      const shown = (await api.tree.getChildren(filteredGroup)) as AnyNode[];
      assert.ok(shown.length >= 1 && shown.length <= all.length);
      assert.ok(shown.every((n) => labelOf(itemOf(api, n)).toLowerCase().includes(target.toLowerCase())));
      api.tree.setFilter({ text: 'no customer is called this', status: 'all' });
      assert.equal(
        ((await api.tree.getChildren()) as AnyNode[]).find((n) => n.kind === 'noGdapGroup'),
        undefined,
      );
      api.tree.setFilter({ text: '', status: 'active' });
      assert.equal(
        ((await api.tree.getChildren()) as AnyNode[]).find((n) => n.kind === 'noGdapGroup'),
        undefined,
        'a status filter is about relationships: none of these has one',
      );
    } finally {
      api.tree.setFilter({ text: '', status: 'all' });
    }
  });

  it('Remove DAP from a No GDAP customer: the name must be typed, then the row says DAP is off', async () => {
    const group = (await settledRoots(api)).find((n) => n.kind === 'noGdapGroup');
    assert.ok(group);
    const children = (await api.tree.getChildren(group)) as AnyNode[];
    const target = children.find((n) => api.tree.store.dapState(n.tenantId ?? '') === true);
    assert.ok(target?.tenantId, 'a customer without GDAP that still has DAP');
    const before = prompts.confirms.length;
    await vscode.commands.executeCommand('gdap.removeDap', target);
    const asked = prompts.confirms.at(-1);
    assert.equal(prompts.confirms.length, before + 1);
    assert.equal(asked?.typeToConfirm, labelOf(itemOf(api, target)), 'no GDAP remains: the name must be typed');
    const after = await emulatorState();
    assert.equal((after.partnerCenterCustomers as PcCustomer[]).find((p) => p.id === target.tenantId)?.allowDelegatedAccess, false);
    const item = itemOf(api, target);
    assert.doesNotMatch(String(item.description), /DAP on/);
    assert.match(item.contextValue ?? '', /;dap\.off(;|$)/);
    assert.ok(!menuCommandsFor(item.contextValue ?? '').includes('gdap.removeDap'), 'Remove DAP is no longer offered');
  });

  it('a Partner Center failure is one message inside the group that says what to do; the tree stays', async () => {
    let roots = await settledRoots(api);
    const customersBefore = roots.filter((n) => n.kind === 'customer').length;
    let group = roots.find((n) => n.kind === 'noGdapGroup');
    assert.ok(group);
    await emulatorFetch('/_emulator/failNext', {
      method: 'POST',
      body: { method: 'GET', pathPattern: '^/partnercenter/v1/customers/?$', status: 403, count: 1 },
    });
    await api.tree.refresh(group);
    roots = await settledRoots(api);
    group = roots.find((n) => n.kind === 'noGdapGroup');
    assert.ok(group, 'the group stays, to say what happened');
    assert.equal(roots.filter((n) => n.kind === 'customer').length, customersBefore, 'the customers are all still shown');
    const children = await api.tree.getChildren(group);
    assert.equal(children.length, 1);
    assert.equal(children[0].kind, 'message');
    assert.match(labelOf(itemOf(api, children[0])), /Partner Center refused access: the account needs a Partner Center role/);
    assert.equal(itemOf(api, children[0]).command?.command, 'gdap.refresh', 'choosing it retries');

    // Choosing the message retries: the list is read again.
    const retry = itemOf(api, children[0]).command;
    assert.ok(retry);
    await vscode.commands.executeCommand(retry.command, ...((retry.arguments ?? []) as unknown[]));
    const retried = (await settledRoots(api)).find((n) => n.kind === 'noGdapGroup');
    assert.ok(retried);
    assert.equal((await api.tree.getChildren(retried))[0]?.kind, 'noGdapCustomer');
  });

  it('with gdap.partnerCenter.enabled off there is no group and no Partner Center request', async () => {
    await setPartnerCenter(false);
    try {
      await waitFor(
        () => vscode.workspace.getConfiguration('gdap').inspect('partnerCenter.enabled')?.globalValue === false,
        'the setting is off',
      );
      const before = (await emulatorRequests()).length;
      await api.tree.refresh();
      const roots = await settledRoots(api);
      assert.equal(
        roots.find((n) => n.kind === 'noGdapGroup'),
        undefined,
      );
      assert.equal(api.tree.partnerCenterState.kind, 'idle');
      const sent = (await emulatorRequests()).slice(before);
      assert.ok(
        sent.some((r) => /delegatedAdminRelationships/.test(r.path)),
        'the refresh itself was sent',
      );
      assert.deepEqual(
        sent.filter((r) => PC_PATH.test(r.path)).map((r) => `${r.method} ${r.path}`),
        [],
        'nothing was sent to Partner Center',
      );
    } finally {
      await setPartnerCenter(undefined);
    }
    const back = (await settledRoots(api)).find((n) => n.kind === 'noGdapGroup');
    assert.ok(back, 'turned on again, the group is back');
  });

  it("Check Access adds its findings count to the expiry radar's badge tooltip", async () => {
    await settledRoots(api);
    const radarOnly = await waitFor(() => api.treeView.badge, 'the expiry radar shows its badge (demo data ends soon)');
    // Its own line first (an earlier check in this window may have added a line after it).
    const radarLine = radarOnly.tooltip.split('\n')[0];
    assert.match(radarLine, /end(s)? within \d+ days without auto-extend/);
    await vscode.commands.executeCommand('gdap.checkAccess');
    const diagnostics = vscode.languages
      .getDiagnostics()
      .filter(([uri]) => uri.scheme === 'gdap-access')
      .flatMap(([, ds]) => ds);
    assert.ok(diagnostics.length > 1, 'the demo data has findings');
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
    const line = `${diagnostics.length} access findings (${errors} errors) — see Problems`;
    const badge = await waitFor(
      () => (api.treeView.badge?.tooltip.includes(line) === true ? api.treeView.badge : undefined),
      `the badge tooltip says "${line}"`,
    );
    assert.equal(badge.value, radarOnly.value, "the number stays the radar's");
    const [first, second] = badge.tooltip.split('\n');
    assert.equal(first, radarLine, "the radar's own line first");
    assert.equal(second, line);
    assert.equal(badge.tooltip.split('\n').length, 2, 'one line per feature, not one per check');
  });
});
