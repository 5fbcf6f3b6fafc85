// The manifest and the code cannot drift (docs/architecture.md §2.13), the settings that steer sign-in are
// application-scoped, and activation is lean.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import { COMMANDS } from '../../src/extension/constants';
import { activateExtension, getExtension, manifestContributes, registeredCommands } from './harness/vscodeHelpers';

interface Contributes {
  commands: { command: string; title: string; category?: string; icon?: string }[];
  menus: Record<string, { command: string; when?: string; group?: string }[]>;
  configuration: { properties: Record<string, { scope?: string; default?: unknown }> };
  views: Record<string, { id: string }[]>;
  viewsWelcome: { view: string; when: string }[];
}

describe('manifest and registration', () => {
  let api: GdapExplorerApi;
  const contributes = (): Contributes => manifestContributes() as unknown as Contributes;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
  });

  it('registers every declared command and declares every registered gdap.* command', async () => {
    const declared = contributes()
      .commands.map((c) => c.command)
      .sort();
    // VS Code itself adds `<view id>.*` commands (focus, reset location) for each view.
    const registered = (await registeredCommands('gdap.')).filter((c) => !c.startsWith('gdap.explorer.') && !c.startsWith('gdap.renewal.'));
    assert.deepEqual(registered, declared);
    assert.deepEqual([...api.registeredCommands].sort(), declared);
    assert.deepEqual(Object.values(COMMANDS).sort(), declared);
  });

  it('gives every command the GDAP category and a codicon; prompting titles end in …', () => {
    for (const c of contributes().commands) {
      assert.equal(c.category, 'GDAP', c.command);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, c.command);
    }
    const byId = new Map(contributes().commands.map((c) => [c.command, c.title]));
    for (const id of [COMMANDS.terminateRelationship, COMMANDS.removeAccessAssignment, COMMANDS.removeDap, COMMANDS.filter]) {
      assert.match(byId.get(id) ?? '', /…$/, id);
    }
  });

  it('menus only name declared commands; destructive items are last, state-gated and hidden in read-only mode', () => {
    const declared = new Set(contributes().commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(contributes().menus)) {
      for (const item of items) {
        assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
      }
    }
    const context = contributes().menus['view/item/context'];
    const destructive = [COMMANDS.terminateRelationship, COMMANDS.removeAccessAssignment, COMMANDS.removeDap, COMMANDS.deleteDraft];
    for (const item of context) {
      if (destructive.includes(item.command as (typeof destructive)[number])) {
        assert.match(item.group ?? '', /^z_/, `${item.command} sorts last`);
        assert.match(item.when ?? '', /!gdap\.readOnly/);
        assert.match(item.when ?? '', /viewItem =~/);
      } else {
        assert.doesNotMatch(item.group ?? '', /^z_/);
      }
    }
    const terminate = context.find((i) => i.command === COMMANDS.terminateRelationship);
    assert.match(terminate?.when ?? '', /status\\\.active/);
  });

  it('declares the view, its container and the three welcome states', () => {
    assert.equal(contributes().views.gdap[0].id, 'gdap.explorer');
    const states = contributes()
      .viewsWelcome.map((w) => w.when)
      .join(' | ');
    for (const s of ['signedOut', 'noAppRegistration', 'signInFailed']) {
      assert.ok(states.includes(s), s);
    }
  });

  it('declares every gdap.* setting with "scope": "application"', () => {
    const props = contributes().configuration.properties;
    const keys = Object.keys(props).filter((k) => k.startsWith('gdap.'));
    for (const key of [
      'gdap.auth.clientId',
      'gdap.auth.tenantId',
      'gdap.cloud',
      'gdap.auth.useDeviceCode',
      'gdap.confirmation',
      'gdap.readOnly',
      'gdap.expiryWarningDays',
      'gdap.cache.enabled',
      'gdap.resolveGroupNames',
    ]) {
      assert.ok(keys.includes(key), `${key} is declared`);
    }
    for (const key of keys) {
      assert.equal(props[key]?.scope, 'application', key);
    }
    // Asking for GroupMember.Read.All without admin consent fails sign-in: opt in, never by default.
    assert.equal(props['gdap.resolveGroupNames']?.default, false);
  });

  it('declares limited support for untrusted workspaces with the sign-in settings restricted', () => {
    const caps = (
      getExtension().packageJSON as { capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations: string[] } } }
    ).capabilities;
    assert.equal(caps.untrustedWorkspaces.supported, 'limited');
    for (const key of ['gdap.auth.clientId', 'gdap.auth.tenantId', 'gdap.cloud', 'gdap.auth.useDeviceCode']) {
      assert.ok(caps.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    }
  });

  it('activates without "*" and reports its activation time', function () {
    const pkg = getExtension().packageJSON as { activationEvents?: string[] };
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    assert.equal(typeof api.activationMs, 'number');
    this.test!.title += ` (${api.activationMs.toFixed(1)} ms on VS Code ${vscode.version})`;
    assert.ok(api.activationMs < 2000, `activation took ${api.activationMs} ms`);
  });
});
