// The grant side in the real extension host against the emulator: the New Relationship form (validation on
// every step, Back), create → lock → approval link (copy, e-mail draft) → the customer approves through the
// emulator's control API → the poller's notification → planned assignments granted → roles changed →
// history; drafts deleted, groups assigned, admin center links. Prompts are answered through the test API.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { byName } from '../../src/core/actions/inventory';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapNode } from '../../src/extension/tree/node';
import { BACK, type Back, type InputStep, type PickStep, type SearchStep, type StepUi } from '../../src/extension/ui/multiStep';
import type { ConfirmRequest, NotifyLevel, PickItem, PickOptions, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch, emulatorInfo, emulatorRequests, emulatorState, resetEmulator } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, treeIdle, waitFor as waitForWhat } from './harness/vscodeHelpers';

/** Polls until `probe` gives a value (20 s by default); the failure names the test's line through the stack. */
function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  return waitForWhat(probe, new Error().stack?.split('\n')[2]?.trim() ?? 'condition', timeoutMs);
}

const READER = 'f2ef992c-3afb-46b9-b7cf-a126ee74c451';
const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const GA = '62e90394-69f5-4237-9190-012177145e10';

type StepCall =
  | { readonly kind: 'input'; readonly step: InputStep }
  | { readonly kind: 'pick'; readonly step: PickStep<unknown> }
  | { readonly kind: 'pickMany'; readonly step: PickStep<unknown> };
/** One scripted answer to a form step: it may assert what it was shown. */
type StepAnswer = (call: StepCall) => unknown;

/** Scripted answers for every prompt, the form's steps included; records what the user was told. */
class OnboardingPrompts implements StepUi {
  readonly steps: StepUi = this;
  readonly stepScript: StepAnswer[] = [];
  readonly stepCalls: StepCall[] = [];
  readonly confirms: ConfirmRequest[] = [];
  confirmAnswer = true;
  readonly notices: { level: NotifyLevel; message: string; actions: string[] }[] = [];
  /** Chooses a notification's action (default none); may first act (e.g. on the emulator). */
  onNotify: (message: string, actions: string[]) => string | undefined | Promise<string | undefined> = () => undefined;
  /** The search step (group by name); undefined makes the form fall back to the list of known names. */
  search?: <T>(step: SearchStep<T>) => Promise<T | Back | undefined>;
  pickAnswer: (items: readonly PickItem<unknown>[]) => unknown = (items) => items[0]?.value;
  pickManyAnswer: (items: readonly PickItem<unknown>[]) => unknown[] | undefined = () => undefined;
  readonly picks: { title: string; items: readonly PickItem<unknown>[] }[] = [];

  private next(call: StepCall): unknown {
    this.stepCalls.push(call);
    const answer = this.stepScript.shift();
    if (answer === undefined) {
      throw new Error(`no scripted answer for step ${call.step.step} (${call.kind})`);
    }
    return answer(call);
  }
  input(step: InputStep): Promise<string | Back | undefined> {
    return Promise.resolve(this.next({ kind: 'input', step }) as string | Back | undefined);
  }
  pick<T>(step: PickStep<T>): Promise<T | Back | undefined> {
    return Promise.resolve(this.next({ kind: 'pick', step }) as T | Back | undefined);
  }
  pickMany<T>(step: PickStep<T>): Promise<T[] | Back | undefined>;
  pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined>;
  pickMany<T>(a: PickStep<T> | readonly PickItem<T>[], options?: PickOptions): Promise<T[] | Back | undefined> {
    if (Array.isArray(a)) {
      this.picks.push({ title: options?.title ?? '', items: a as readonly PickItem<unknown>[] });
      return Promise.resolve(this.pickManyAnswer(a as readonly PickItem<unknown>[]) as T[] | undefined);
    }
    return Promise.resolve(this.next({ kind: 'pickMany', step: a as PickStep<unknown> }) as T[] | Back | undefined);
  }
  confirm(request: ConfirmRequest): Promise<boolean> {
    this.confirms.push(request);
    return Promise.resolve(this.confirmAnswer);
  }
  pickOne<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    this.picks.push({ title: options.title, items });
    return Promise.resolve(this.pickAnswer(items as readonly PickItem<unknown>[]) as T | undefined);
  }
  input2(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(level: NotifyLevel, message: string, ...actions: string[]): Promise<string | undefined> {
    this.notices.push({ level, message, actions });
    return Promise.resolve(this.onNotify(message, actions));
  }
}

/** The PromptLayer face of the scripted prompts (its `pick` and `input` differ from the form's). */
function promptLayerOf(p: OnboardingPrompts): PromptLayer {
  return {
    steps: p,
    confirm: (r) => p.confirm(r),
    pick: (items, options) => p.pickOne(items, options),
    pickMany: (items, options) => p.pickMany(items, options),
    input: () => p.input2(),
    notify: (level, message, ...actions) => p.notify(level, message, ...actions),
  };
}

type AnyNode = GdapNode & Record<string, unknown>;

function labelOf(node: GdapNode): string {
  const l = node.getTreeItem().label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}
type Rel = { id: string; status: string; displayName: string };

const valueOf = (call: StepCall, label: RegExp): unknown => {
  if (call.kind === 'input') {
    throw new Error('an input step has no items');
  }
  const item = call.step.items.find((i) => label.test(i.label));
  if (item === undefined) {
    throw new Error(`no item ${String(label)} among ${call.step.items.map((i) => i.label).join(', ')}`);
  }
  return item.value;
};

describe('Onboarding in the extension', function () {
  let api: GdapExplorerApi;
  const prompts = new OnboardingPrompts();
  const opened: string[] = [];
  let customer: { tenantId: string; displayName: string };
  let groups: { id: string; displayName: string }[];
  const NAME = 'Onboarding test relationship';

  before(async () => {
    assert.ok(emulatorInfo(), 'the runner starts an emulator');
    api = await activateExtension<GdapExplorerApi>();
    await resetEmulator({ preset: 'demo' });
    api.setPromptLayer(promptLayerOf(prompts));
    api.setExternalOpener((uri) => {
      opened.push(uri);
      return Promise.resolve(true);
    });
    await signInWithEmulator(api);
    await api.tree.refresh();
    await treeIdle(api.tree);
    const state = await emulatorState();
    const customers = state.customers as { tenantId: string; displayName: string }[];
    customer = customers[0];
    groups = state.securityGroups as { id: string; displayName: string }[];
  });

  after(() => {
    api?.setPromptLayer(undefined);
    api?.setExternalOpener(undefined);
  });

  afterEach(() => {
    prompts.stepScript.length = 0;
    prompts.onNotify = () => undefined;
    prompts.confirmAnswer = true;
  });

  async function children(node?: GdapNode): Promise<AnyNode[]> {
    return (await api.tree.getChildren(node)) as AnyNode[];
  }

  /** The tree node of a relationship, wherever it is (under its customer or among pending invitations). */
  async function relationshipNode(id: string): Promise<AnyNode> {
    await api.tree.refresh();
    await treeIdle(api.tree);
    for (const top of await children()) {
      for (const n of await children(top)) {
        if (n.kind === 'relationship' && (n.relationship as Rel).id === id) {
          return n;
        }
      }
    }
    throw new Error(`relationship ${id} is not in the tree`);
  }

  async function emulatorRelationship(name: string): Promise<Rel | undefined> {
    return (await emulatorState()).relationships.find((r) => r.displayName === name) as Rel | undefined;
  }

  it('New Relationship: every step validates, Back keeps answers, then create → lock → approval link copied', async () => {
    const existing = (await emulatorState()).relationships[0].displayName as string;
    const group = groups[0];
    prompts.stepScript.push(
      (c) => {
        assert.equal(c.kind, 'input');
        const step = (c as { step: InputStep }).step;
        assert.equal(step.step, 1);
        assert.match(step.validate('x'.repeat(51)) ?? '', /51 characters; shorten it to at most 50/);
        assert.match(step.validate(existing.toUpperCase()) ?? '', /already exists; choose another name/);
        assert.match(step.validate('  ') ?? '', /Enter a name/);
        assert.equal(step.validate(NAME), undefined);
        return NAME;
      },
      (c) => {
        assert.equal(c.kind, 'pick', 'step 2 is the customer');
        assert.ok(
          (c as { step: PickStep<unknown> }).step.items.some((i) => /Any customer/.test(i.label)),
          '"any customer" is offered',
        );
        return BACK;
      },
      (c) => {
        assert.equal((c as { step: InputStep }).step.value, NAME, 'Back shows the name given before');
        return NAME;
      },
      (c) => valueOf(c, new RegExp(customer.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))),
      (c) => {
        const step = (c as { step: InputStep }).step;
        assert.equal(step.value, 'P730D', 'the duration defaults to two years');
        assert.match(step.validate('P3Y') ?? '', /between P1D and P2Y/);
        assert.match(step.validate('two years') ?? '', /ISO-8601/);
        assert.equal(step.validate('P1Y'), undefined);
        return 'P730D';
      },
      (c) => {
        const step = (c as { step: PickStep<unknown> }).step;
        assert.equal(c.kind, 'pickMany');
        assert.match(step.items.find((i) => i.value === GA)?.description ?? '', /Privileged · blocks auto-extend/);
        assert.match(step.items.find((i) => i.value === HELPDESK)?.description ?? '', /Privileged/);
        assert.match(step.validate?.([]) ?? '', /at least one role/);
        return [READER, HELPDESK, GA];
      },
      (c) => {
        const step = (c as { step: PickStep<unknown> }).step;
        assert.match(step.validate?.([true]) ?? '', /not available with Global Administrator/, 'auto-extend with GA is refused');
        return BACK;
      },
      () => [READER, HELPDESK],
      (c) => {
        assert.equal((c as { step: PickStep<unknown> }).step.validate?.([true]), undefined, 'without GA auto-extend is allowed');
        return false;
      },
      (c) => valueOf(c, /Plan a group assignment/),
      (c) => {
        if (c.kind === 'pick') {
          // With group names resolved the group is chosen from a list first; "Enter a group id…" leads to the box.
          prompts.stepScript.unshift((box) => {
            assert.equal(box.kind, 'input');
            assert.match((box as { step: InputStep }).step.validate('not-a-guid') ?? '', /object id \(a GUID\)/);
            return group.id;
          });
          return valueOf(c, /Enter a group id/);
        }
        assert.match((c as { step: InputStep }).step.validate('not-a-guid') ?? '', /object id \(a GUID\)/);
        return group.id;
      },
      (c) => {
        const step = (c as { step: PickStep<unknown> }).step;
        assert.deepEqual(
          step.items.map((i) => i.value),
          [READER, HELPDESK],
          'only the roles of the relationship are offered',
        );
        assert.match(step.validate?.([GA]) ?? '', /only roles the relationship holds/);
        return [READER];
      },
      (c) => {
        assert.ok(
          (c as { step: PickStep<unknown> }).step.items.some((i) => /Remove/.test(i.label)),
          'the planned group is listed',
        );
        return valueOf(c, /Continue/);
      },
      (c) => {
        assert.match((c as { step: PickStep<unknown> }).step.items[0].description ?? '', /730 days · no auto-extend · 1 planned group/);
        return valueOf(c, /Create and lock for approval/);
      },
    );
    let copied = '';
    prompts.onNotify = (message, actions) => (/waiting for the customer's approval/.test(message) ? (copied = actions[0]) : undefined);
    const confirmsBefore = prompts.confirms.length;
    const requestsBefore = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.newRelationship');
    // After the create and after the lock only this customer's relationships are read again, not the tree.
    const sent = (await emulatorRequests()).slice(requestsBefore);
    const fromCreate = sent.slice(
      sent.findIndex((r) => r.method === 'POST' && r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships'),
    );
    const lists = fromCreate.filter((r) => r.method === 'GET' && r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships');
    assert.ok(lists.length >= 2, `the customer read after the create and after the lock: ${lists.length}`);
    for (const r of lists) {
      assert.ok(
        (new URLSearchParams(r.query ?? '').get('$filter') ?? '').includes(`customer/tenantId eq '${customer.tenantId}'`),
        `an unfiltered list was read: ${r.query ?? ''}\n${fromCreate.map((x) => `${x.time} ${x.method} ${x.path}?${x.query ?? ''} ${x.status}`).join('\n')}`,
      );
    }
    assert.equal(fromCreate.filter((r) => r.path === '/v1.0/tenantRelationships/delegatedAdminCustomers').length, 0, 'no customers list');
    const asked = prompts.confirms.slice(confirmsBefore);
    assert.equal(
      asked.length,
      1,
      `one confirmation: the create, which names the lock (no second modal); told: ${JSON.stringify(prompts.notices)}`,
    );
    assert.equal(asked[0].message, `Create the GDAP relationship "${NAME}" with ${customer.displayName}?`);
    assert.match(asked[0].detail, /locked for approval/);
    assert.match(asked[0].detail, /1 group assignment is kept/);
    const created = await waitFor(async () => {
      const r = await emulatorRelationship(NAME);
      return r?.status === 'approvalPending' ? r : undefined;
    });
    await waitFor(() => copied === 'Copy Approval Link');
    const link = await waitFor(async () => {
      const text = await vscode.env.clipboard.readText();
      return text.includes(created.id) ? text : undefined;
    });
    assert.match(link, /^https:\/\/admin\.cloud\.microsoft\/\?#\/partners\/invitation\/granularAdminRelationships\//);
    const planned = api.storedState()['gdap.plannedAssignments.v1'] as Record<string, { groupId: string; roleDefinitionIds: string[] }[]>;
    assert.deepEqual(planned[created.id], [{ groupId: group.id.toLowerCase(), roleDefinitionIds: [READER] }]);
  });

  it('a pending invitation shows its age and when it lapses; Draft Invitation E-mail builds a mailto: with the link', async () => {
    const created = (await emulatorRelationship(NAME)) as Rel;
    const node = await relationshipNode(created.id);
    const description = String(node.getTreeItem().description);
    assert.match(description, /sent today · lapses in (89|90) days/);
    opened.length = 0;
    await vscode.commands.executeCommand('gdap.draftInvitationEmail', node);
    assert.equal(opened.length, 1);
    const uri = opened[0];
    assert.match(uri, /^mailto:\?subject=[^&]+&body=/);
    const body = decodeURIComponent(uri.split('&body=')[1]);
    assert.ok(body.includes(`granularAdminRelationships/${created.id}`), 'the body carries the approval link');
    assert.match(decodeURIComponent(uri.split('subject=')[1].split('&')[0]), new RegExp(NAME));
  });

  it('the customer approves: the poller says so and grants the planned assignment on request', async () => {
    const created = (await emulatorRelationship(NAME)) as Rel;
    await relationshipNode(created.id); // the poller watches what the tree shows waiting
    await emulatorFetch(`/_emulator/relationships/${created.id}/approve`, { method: 'POST' });
    await waitFor(async () => ((await emulatorRelationship(NAME))?.status === 'active' ? true : undefined));
    let offered: string[] = [];
    prompts.onNotify = (message, actions) => {
      if (/The customer approved/.test(message)) {
        offered = actions;
        return 'Grant Planned Assignments';
      }
      return undefined;
    };
    const sentBefore = (await emulatorRequests()).length;
    await api.pollApprovals();
    await waitFor(() => (offered.length > 0 ? true : undefined));
    assert.deepEqual(offered, ['Grant Planned Assignments']);
    // Only the approved relationship's customer was read again, not the whole inventory.
    const approved = (await emulatorRelationship(NAME)) as Rel & { customer?: { tenantId?: string } };
    const tenantId = approved.customer?.tenantId ?? assert.fail('the approved relationship has a customer');
    const sent = (await emulatorRequests()).slice(sentBefore).filter((r) => r.method === 'GET' || r.path.endsWith('$batch'));
    const lists = sent.filter((r) => r.method === 'GET' && r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships');
    assert.ok(lists.length >= 1, sent.map((r) => `${r.method} ${r.path}?${r.query ?? ''}`).join('\n'));
    for (const r of lists) {
      assert.ok(
        (new URLSearchParams(r.query ?? '').get('$filter') ?? '').includes(`customer/tenantId eq '${tenantId}'`),
        `an unfiltered list was read: ${r.query ?? ''}`,
      );
    }
    assert.equal(
      sent.filter((r) => r.path === '/v1.0/tenantRelationships/delegatedAdminCustomers').length,
      0,
      'the customers list was not read',
    );
    // The tree shows it under its customer, active, and no longer among the invitations.
    const tops = await children();
    const holder = tops.find(
      (n) => n.kind === 'customer' && (n as unknown as { tenantId: string }).tenantId.toLowerCase() === tenantId.toLowerCase(),
    );
    assert.ok(holder !== undefined, 'the customer is in the tree');
    const shown = (await children(holder)).find((n) => n.kind === 'relationship' && (n.relationship as Rel).id === created.id);
    assert.equal((shown?.relationship as Rel | undefined)?.status, 'active');
    for (const pending of tops.filter((n) => n.kind === 'pendingGroup')) {
      assert.ok(!(await children(pending)).some((n) => n.kind === 'relationship' && (n.relationship as Rel).id === created.id));
    }
    const assigned = await waitFor(async () => {
      const list = (await emulatorState()).accessAssignments[created.id] ?? [];
      return list.find((a) => a.status === 'active');
    });
    assert.ok(assigned);
    await waitFor(() => {
      const planned = (api.storedState()['gdap.plannedAssignments.v1'] ?? {}) as Record<string, unknown>;
      return planned[created.id] === undefined ? true : undefined;
    });
  });

  it('an invitation for any customer approved by a customer the tree did not show: that customer is read and added in order', async () => {
    const waiting = (await emulatorState()).relationships.find(
      (r) => r.status === 'approvalPending' && (r as { customer?: { tenantId?: string } | null }).customer?.tenantId === undefined,
    ) as Rel | undefined;
    assert.ok(waiting !== undefined, 'the demo data has an invitation for any customer');
    await relationshipNode(waiting.id); // the poller watches what the tree shows waiting
    const known = new Set(api.tree.store.current?.customers.map((c) => c.tenantId.toLowerCase()));
    await emulatorFetch(`/_emulator/relationships/${waiting.id}/approve`, { method: 'POST' });
    const approved = (await waitFor(async () => {
      const r = (await emulatorState()).relationships.find((x) => x.id === waiting.id) as
        (Rel & { customer?: { tenantId: string } }) | undefined;
      return r?.status === 'active' ? r : undefined;
    })) as Rel & { customer: { tenantId: string; displayName: string } };
    const tenantId = approved.customer.tenantId;
    assert.ok(!known.has(tenantId.toLowerCase()), 'the approving customer was not in the tree (it had no relationship)');
    let told = '';
    prompts.onNotify = (message) => {
      if (/The customer approved/.test(message)) {
        told = message;
      }
      return undefined;
    };
    const sentBefore = (await emulatorRequests()).length;
    await api.pollApprovals();
    await waitFor(() => (told !== '' ? true : undefined));
    assert.match(told, new RegExp(waiting.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    const sent = (await emulatorRequests()).slice(sentBefore);
    assert.equal(
      sent.filter((r) => r.path === '/v1.0/tenantRelationships/delegatedAdminCustomers').length,
      0,
      'the customers list was not read',
    );
    for (const r of sent.filter((x) => x.method === 'GET' && x.path === '/v1.0/tenantRelationships/delegatedAdminRelationships')) {
      assert.ok(
        (new URLSearchParams(r.query ?? '').get('$filter') ?? '').includes(tenantId),
        `an unfiltered list was read: ${r.query ?? ''}`,
      );
    }
    const inventory = api.tree.store.current ?? assert.fail('no inventory');
    const added = inventory.customers.find((c) => c.tenantId.toLowerCase() === tenantId.toLowerCase());
    assert.ok(
      added?.relationships.some((r) => r.id === waiting.id && r.status === 'active'),
      'shown under its customer, active',
    );
    assert.ok(!inventory.pendingRelationships.some((r) => r.id === waiting.id), 'no longer among the invitations');
    for (let i = 1; i < inventory.customers.length; i++) {
      assert.ok(byName(inventory.customers[i - 1], inventory.customers[i]) <= 0, `customers in order at ${i}`);
    }
    prompts.onNotify = () => undefined;
  });

  it('Change Roles on the active assignment: PATCH, the operation followed, the tree shows the new roles; History lists it', async () => {
    const created = (await emulatorRelationship(NAME)) as Rel;
    const rel = await relationshipNode(created.id);
    const assignment = await waitFor(async () => (await children(rel)).find((n) => n.kind === 'assignment'));
    prompts.pickManyAnswer = (items) => {
      assert.deepEqual(
        items.map((i) => i.value),
        [READER, HELPDESK],
      );
      return [HELPDESK];
    };
    const before = prompts.confirms.length;
    await vscode.commands.executeCommand('gdap.changeRoles', assignment);
    assert.match(prompts.confirms[before]?.detail ?? '', /Roles added: Helpdesk Administrator\nRoles removed: Global Reader/);
    const state = await emulatorState();
    const a = (state.accessAssignments[created.id] ?? []).find((x) => x.status === 'active') as unknown as {
      accessDetails: { unifiedRoles: { roleDefinitionId: string }[] };
    };
    assert.deepEqual(
      a.accessDetails.unifiedRoles.map((r) => r.roleDefinitionId),
      [HELPDESK],
    );
    const history = (await children(await relationshipNode(created.id))).find((n) => n.kind === 'history');
    assert.ok(history, 'a History node under the relationship');
    assert.equal(history.getTreeItem().collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const labels = (await children(history)).map((n) => labelOf(n));
    assert.ok(labels.includes('Lock for approval'), labels.join(', '));
    assert.ok(labels.includes('Access assignment update'), labels.join(', '));
  });

  it('a draft for any customer: Lock for Approval is not asked, Delete Draft… removes it after confirmation', async () => {
    const draft = 'Onboarding draft';
    prompts.stepScript.push(
      () => draft,
      (c) => valueOf(c, /Any customer/),
      () => 'P90D',
      () => [READER],
      () => false,
      (c) => valueOf(c, /Continue/),
      (c) => valueOf(c, /Create as a draft/),
    );
    await vscode.commands.executeCommand('gdap.newRelationship');
    const r = await waitFor(() => emulatorRelationship(draft));
    assert.equal(r.status, 'created', 'a draft is not locked');
    const node = await relationshipNode(r.id);
    assert.match(node.getTreeItem().contextValue ?? '', /status\.created/);
    const before = prompts.confirms.length;
    const requestsBefore = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.deleteDraft', node);
    assert.equal(prompts.confirms[before]?.message, `Delete the draft relationship "${draft}"?`);
    await waitFor(async () => ((await emulatorRelationship(draft)) === undefined ? true : undefined));
    // Gone from the tree at once, without reading the inventory again.
    assert.equal(api.tree.store.findRelationship(r.id), undefined, 'the deleted draft is no longer in the inventory');
    const shown = (await children()).filter((n) => n.kind === 'pendingGroup');
    for (const group of shown) {
      assert.ok(!(await children(group)).some((n) => (n.relationship as Rel | undefined)?.id === r.id), 'not among the invitations');
    }
    const lists = (await emulatorRequests())
      .slice(requestsBefore)
      .filter(
        (x) =>
          x.method === 'GET' &&
          (x.path === '/v1.0/tenantRelationships/delegatedAdminRelationships' ||
            x.path === '/v1.0/tenantRelationships/delegatedAdminCustomers'),
      );
    assert.deepEqual(
      lists.map((x) => `${x.path}?${x.query ?? ''}`),
      [],
      'no relationships or customers list was read after the delete',
    );
  });

  it("Add Access Assignment…: only the relationship's roles, a group by id, active after pending", async () => {
    const created = (await emulatorRelationship(NAME)) as Rel;
    const rel = await relationshipNode(created.id);
    const group = groups[1];
    prompts.stepScript.push(
      (c) => (c.kind === 'pick' ? (prompts.stepScript.unshift(() => group.id), valueOf(c, /Enter a group id/)) : group.id),
      (c) => {
        const step = (c as { step: PickStep<unknown> }).step;
        assert.match(step.validate?.([GA]) ?? '', /only roles the relationship holds/, 'a role the relationship lacks is refused');
        return [READER];
      },
    );
    const assignmentsBefore = (await children(rel)).filter((n) => n.kind === 'assignment').length;
    const requestsBefore = (await emulatorRequests()).length;
    await vscode.commands.executeCommand('gdap.addAccessAssignment', rel);
    const a = await waitFor(async () =>
      ((await emulatorState()).accessAssignments[created.id] ?? []).find(
        (x) =>
          (x.accessContainer as { accessContainerId: string }).accessContainerId.toLowerCase() === group.id.toLowerCase() &&
          x.status === 'active',
      ),
    );
    assert.ok(a);
    // Only the relationship's row is reloaded: its assignments read again when shown, no list of relationships.
    const shown = await waitFor(async () => {
      const rows = (await children(rel)).filter((n) => n.kind === 'assignment');
      return rows.length === assignmentsBefore + 1 ? rows : undefined;
    });
    assert.equal(shown.length, assignmentsBefore + 1, 'the new assignment is under the relationship');
    const sent = (await emulatorRequests()).slice(requestsBefore);
    assert.deepEqual(
      sent.filter((r) => r.method === 'GET' && r.path === '/v1.0/tenantRelationships/delegatedAdminRelationships').map((r) => r.query),
      [],
      'the tree was not reloaded',
    );
  });

  it("Open Admin Center…: the customer's service management links offered, the chosen one opened", async () => {
    const node = (await children()).find((n) => n.kind === 'customer' && n.tenantId === customer.tenantId);
    assert.ok(node);
    opened.length = 0;
    prompts.pickAnswer = (items) => items[0]?.value;
    await vscode.commands.executeCommand('gdap.openAdminCenter', node);
    const offered = prompts.picks[prompts.picks.length - 1];
    assert.equal(offered.title, 'Open Admin Center');
    assert.ok(offered.items.length > 0);
    assert.equal(opened.length, 1);
    assert.match(opened[0], /^https:\/\//);
  });
  it('Add Access Assignment… searches the security group by name in the partner tenant; the assignment is created for it', async () => {
    const created = (await emulatorRelationship(NAME)) as Rel;
    const rel = await relationshipNode(created.id);
    const group = groups[2];
    const seen: string[] = [];
    prompts.search = async <T>(step: SearchStep<T>): Promise<T | Back | undefined> => {
      const signal = new AbortController().signal;
      const short = await step.search('G', signal);
      assert.match(short[0]?.refused ?? '', /at least 2 letters/);
      const typedId = await step.search(group.id.toUpperCase(), signal);
      assert.equal((typedId[0]?.value as { id: string } | undefined)?.id, group.id.toLowerCase(), 'a typed GUID stays a choice');
      const found = await step.search(group.displayName.slice(0, 6).toLowerCase(), signal);
      seen.push(...found.map((i) => i.label));
      const item = found.find((i) => i.label === group.displayName);
      assert.ok(item?.value !== undefined, `"${group.displayName}" among ${seen.join(', ')}`);
      return item.value;
    };
    prompts.stepScript.push(() => [READER]);
    const confirmsBefore = prompts.confirms.length;
    try {
      await vscode.commands.executeCommand('gdap.addAccessAssignment', rel);
    } finally {
      prompts.search = undefined;
    }
    const searches = (await emulatorRequests()).filter(
      (r) => r.path === '/v1.0/groups' && /startswith/i.test(decodeURIComponent(r.query ?? '')),
    );
    assert.ok(searches.length >= 1, 'the search went to Microsoft Graph (the emulator)');
    assert.match(
      JSON.stringify(prompts.confirms.slice(confirmsBefore)),
      new RegExp(group.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    const a = await waitFor(async () =>
      ((await emulatorState()).accessAssignments[created.id] ?? []).find(
        (x) =>
          (x.accessContainer as { accessContainerId: string }).accessContainerId.toLowerCase() === group.id.toLowerCase() &&
          x.status === 'active',
      ),
    );
    assert.ok(a);
  });

  it('New Relationship… with the lock failing: the report says the draft exists and offers Lock for Approval, which locks it', async () => {
    const name = 'Onboarding lock fails';
    await emulatorFetch('/_emulator/failNext', {
      method: 'POST',
      body: { method: 'POST', pathPattern: '/requests$', status: 500, count: 20 },
    });
    prompts.stepScript.push(
      () => name,
      (c) => valueOf(c, /Any customer/),
      () => 'P90D',
      () => [READER],
      () => false,
      (c) => valueOf(c, /Continue/),
      (c) => valueOf(c, /Create and lock for approval/),
    );
    let told = '';
    prompts.onNotify = async (message, actions) => {
      if (/was created but locking it for approval failed/.test(message)) {
        told = message;
        assert.ok(actions.includes('Lock for Approval'), `offered: ${actions.join(', ')}`);
        // The service is back before the user chooses to try again.
        await emulatorFetch('/_emulator/failNext', { method: 'POST', body: { clear: true } });
        return 'Lock for Approval';
      }
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('gdap.newRelationship');
    } finally {
      await emulatorFetch('/_emulator/failNext', { method: 'POST', body: { clear: true } });
    }
    assert.match(told, new RegExp(`"${name}" was created but locking it for approval failed`));
    assert.match(told, /still a draft/);
    await waitFor(async () => ((await emulatorRelationship(name))?.status === 'approvalPending' ? true : undefined));
  });
});
