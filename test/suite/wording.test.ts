// What a partner reads in the tree: the origin of relationships whose name is an id, customer tooltips
// that answer the first questions, why a security group shows as an id, and the emulator's own welcome.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import type { GdapTreeProvider } from '../../src/extension/tree/gdapTreeProvider';
import type { GdapNode } from '../../src/extension/tree/node';
import type { PickItem, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorSessions, settledSessionChanges, signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, getExtension, manifestContributes, treeIdle } from './harness/vscodeHelpers';

type AnyNode = GdapNode & Record<string, unknown>;

interface Relationship {
  readonly id: string;
  readonly displayName: string;
  readonly status: string;
}

/** Answers nothing and shows nothing: sign-out's notice would otherwise wait for a click. */
class QuietPrompts implements PromptLayer {
  confirm(): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(items: readonly PickItem<T>[]): Promise<T | undefined> {
    return Promise.resolve(items[0]?.value);
  }
  pickMany<T>(): Promise<T[] | undefined> {
    return Promise.resolve(undefined);
  }
  input(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  notify(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
}

/** The tooltip as VS Code gets it on hover: through the provider's resolveTreeItem. */
function tooltipOf(tree: GdapTreeProvider, node: GdapNode): vscode.TreeItem['tooltip'] {
  return tree.resolveTreeItem(node.getTreeItem(), node).tooltip;
}

/** Tooltip markdown with the escaping undone, as a reader sees it. */
function tooltipText(tree: GdapTreeProvider, node: GdapNode): string {
  const tip = tooltipOf(tree, node);
  assert.ok(tip instanceof vscode.MarkdownString, 'a markdown tooltip');
  return tip.value.replace(/\\(.)/g, '$1');
}

describe('wording: origin tags, tooltips and the emulator welcome', function () {
  let api: GdapExplorerApi;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
    api.setPromptLayer(new QuietPrompts());
    await signInWithEmulator(api);
  });

  after(() => api?.setPromptLayer(undefined));

  async function children(node?: GdapNode): Promise<AnyNode[]> {
    return (await api.tree.getChildren(node)) as AnyNode[];
  }

  async function customers(): Promise<AnyNode[]> {
    await api.tree.refresh();
    await treeIdle(api.tree);
    return (await children()).filter((n) => n.kind === 'customer');
  }

  /** The first customer and relationship node that satisfy `match`. */
  async function findRelationship(match: (r: Relationship) => boolean): Promise<{ customer: AnyNode; relationship: AnyNode }> {
    for (const customer of await customers()) {
      for (const rel of await children(customer)) {
        if (rel.kind === 'relationship' && match(rel.relationship as Relationship)) {
          return { customer, relationship: rel };
        }
      }
    }
    throw new Error('no such relationship in the emulator data');
  }

  it('a Microsoft-led transition relationship carries the origin tag; its raw name stays in the label and tooltip', async () => {
    const { relationship } = await findRelationship((r) => r.displayName.startsWith('MLT_'));
    const r = relationship.relationship as Relationship;
    const ti = relationship.getTreeItem();
    assert.equal(ti.label, r.displayName);
    assert.match(String(ti.description), /^Microsoft-led transition · /);
    const tip = tooltipText(api.tree, relationship);
    assert.ok(tip.includes(r.displayName), 'the raw name');
    assert.ok(tip.includes(r.id), 'the id');
    assert.match(tip, /- Origin: Microsoft-led transition/);

    const own = await findRelationship((x) => !/^(MLT|CIPP|LHSetup|Default)[_-]/i.test(x.displayName));
    assert.doesNotMatch(String(own.relationship.getTreeItem().description), /Microsoft-led|CIPP|Lighthouse|Microsoft default/);
    assert.doesNotMatch(tooltipText(api.tree, own.relationship), /Origin:/);
  });

  it("a customer's tooltip gives relationships by status, the next end, lapsing and the tenant id", async () => {
    const { customer } = await findRelationship((r) => r.status === 'active');
    const rels = (await children(customer)).map((n) => n.relationship as Relationship);
    const tip = tooltipText(api.tree, customer);
    const active = rels.filter((r) => r.status === 'active').length;
    assert.match(tip, new RegExp(`- Relationships: .*\\b${active} active\\b`));
    // A date in the display language's own form (e.g. 3 Sept 2027, Sep 3, 2027), then how far away it is.
    assert.match(tip, /- Next end: [^()\n]*\b\d{1,2}\b[^()\n]*\b\d{4} \((today|in \d+ days?), /);
    assert.match(tip, /- (⚠ Will lapse: .+ without auto-extend|Will lapse: none, every active relationship auto-extends)/);
    assert.ok(tip.includes(`- Tenant id: \`${(customer.customer as { tenantId: string }).tenantId}\``));
    assert.doesNotMatch(tip, /^- Tenant id.*\n- /m, 'the tenant id comes last, not first');
  });

  it("a customer's tooltip says where a pending invitation stands", async () => {
    const { customer, relationship } = await findRelationship((r) => r.status === 'approvalPending');
    const tip = tooltipText(api.tree, customer);
    assert.ok(
      tip.includes(`- Invitation ${(relationship.relationship as Relationship).displayName}: waiting for the customer's approval`),
      tip,
    );
  });

  it('an assignment whose group name cannot be read says why, once, with a trusted link to the setting', async () => {
    const signInAgain = async (drop?: (scope: string) => boolean): Promise<void> => {
      await vscode.commands.executeCommand('gdap.signOut');
      api.setSessionSource(emulatorSessions(api, [], drop));
      await settledSessionChanges(api, () => vscode.commands.executeCommand('gdap.signIn'));
      assert.equal(api.authState(), 'signedIn');
    };
    await signInAgain((x) => x.endsWith('/GroupMember.Read.All'));
    try {
      const { relationship } = await findRelationship((r) => r.status === 'active');
      await api.tree.refresh(relationship);
      const rows = (await children(relationship)).filter((k) => k.kind === 'assignment');
      assert.ok(rows.length > 0);
      const tip = tooltipOf(api.tree, rows[0]) as vscode.MarkdownString;
      assert.match(rows[0].getTreeItem().label as string, /^Security group [0-9a-f-]{36}$/);
      assert.equal(tip.value.match(/GroupMember\\?\.Read\\?\.All/g)?.length, 1, 'said once');
      assert.match(tip.value, /\[Open the setting\]\(command:workbench\.action\.openSettings\?%5B%22gdap\.resolveGroupNames%22%5D\)/);
      assert.deepEqual(tip.isTrusted, { enabledCommands: ['workbench.action.openSettings'] }, 'only that command is trusted');
    } finally {
      await signInAgain();
      await treeIdle(api.tree);
    }
    // With names readable, no note.
    const { relationship } = await findRelationship((r) => r.status === 'active');
    await api.tree.refresh(relationship);
    const named = (await children(relationship)).filter((k) => k.kind === 'assignment');
    assert.ok(named.length > 0);
    assert.doesNotMatch((tooltipOf(api.tree, named[0]) as vscode.MarkdownString).value, /Open the setting/);
  });

  it('in emulator mode the signed-out welcome offers "Sign in to the Emulator", otherwise "Sign in with Microsoft"', () => {
    assert.equal(api.emulator, true);
    const welcome = (manifestContributes().viewsWelcome as { view: string; contents: string; when: string }[]).filter((w) =>
      /gdap\.authState == signedOut/.test(w.when),
    );
    const nls = JSON.parse(readFileSync(path.join(getExtension().extensionPath, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const text = (w: { contents: string }): string => nls[w.contents.replace(/^%|%$/g, '')] ?? w.contents;
    const emulator = welcome.filter((w) => /(^|&& )gdap\.emulator\b/.test(w.when));
    const real = welcome.filter((w) => /!gdap\.emulator\b/.test(w.when));
    assert.equal(emulator.length, 1);
    assert.equal(real.length, 1);
    assert.match(text(emulator[0]), /\[Sign in to the Emulator\]\(command:gdap\.signIn\)/);
    assert.doesNotMatch(text(emulator[0]), /Sign in with Microsoft/);
    assert.match(text(real[0]), /\[Sign in with Microsoft\]\(command:gdap\.signIn\)/);
  });
});
