// First run inside a real extension host: the getting-started walkthrough is contributed and every
// completion event and button names a real command, setting, view or context key; the settings carry
// Markdown descriptions in a deliberate order; and "GDAP: Check Sign-In" reports on the emulator
// sign-in — a working one, and the empty lists of a user outside Admin Agents.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GdapExplorerApi } from '../../src/extension/api';
import { COMMANDS, CONTEXT_KEYS, WALKTHROUGH_ID } from '../../src/extension/constants';
import type { NotifyLevel, PromptLayer } from '../../src/extension/ui/promptLayer';
import { emulatorFetch } from './harness/emulator';
import { signInWithEmulator } from './harness/emulatorSignIn';
import { activateExtension, getExtension, manifestContributes, registeredCommands, waitFor } from './harness/vscodeHelpers';

interface Step {
  id: string;
  title: string;
  description: string;
  completionEvents?: string[];
  when?: string;
  media: { markdown?: string; svg?: string; image?: string; altText?: string };
}

interface Setting {
  markdownDescription?: string;
  description?: string;
  order?: number;
  enum?: unknown[];
  enumDescriptions?: string[];
}

/** Notifications answered with nothing (no "Sign In and Check"); records what was said. */
class QuietPrompts implements PromptLayer {
  readonly notices: { level: NotifyLevel; message: string }[] = [];
  confirm(): Promise<boolean> {
    return Promise.resolve(false);
  }
  pick<T>(): Promise<T | undefined> {
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

/** Every value of the `gdap.authState` context key (AuthState). */
const AUTH_STATES = ['checking', 'signedOut', 'noAppRegistration', 'signInFailed', 'signedIn'];

describe('first run: walkthrough, settings and Check Sign-In', () => {
  let api: GdapExplorerApi;
  const walkthroughs = (): { id: string; steps: Step[] }[] => (manifestContributes().walkthroughs ?? []) as { id: string; steps: Step[] }[];
  const settings = (): Record<string, Setting> =>
    (manifestContributes().configuration as { properties: Record<string, Setting> }).properties;

  before(async () => {
    api = await activateExtension<GdapExplorerApi>();
  });

  it('contributes the walkthrough; every completion event and button names something real', async () => {
    const w = walkthroughs().find((x) => x.id === WALKTHROUGH_ID);
    assert.ok(w !== undefined, 'the getting-started walkthrough is contributed');
    const commands = new Set(await vscode.commands.getCommands(true));
    const declaredSettings = new Set(Object.keys(settings()));
    const views = new Set(
      Object.values(manifestContributes().views as Record<string, { id: string }[]>).flatMap((v) => v.map((x) => x.id)),
    );
    const contextKeys = new Set<string>(Object.values(CONTEXT_KEYS));
    const root = getExtension().extensionUri.fsPath;
    assert.ok(w.steps.length >= 5);
    for (const step of w.steps) {
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} completes as the user acts`);
      for (const event of step.completionEvents ?? []) {
        const [kind, ...rest] = event.split(':');
        const arg = rest.join(':');
        if (kind === 'onCommand') {
          assert.ok(commands.has(arg), `${step.id}: ${arg} is a registered command`);
        } else if (kind === 'onSettingChanged') {
          assert.ok(declaredSettings.has(arg), `${step.id}: ${arg} is a declared setting`);
        } else if (kind === 'onView') {
          assert.ok(views.has(arg), `${step.id}: ${arg} is a declared view`);
        } else if (kind === 'onContext') {
          // Clauses joined by && / ||, each `key`, `!key` or `key == value` / `key != value`.
          const clauses = arg.split(/&&|\|\|/).map((c) => c.trim());
          assert.ok(clauses.length > 0 && clauses.every((c) => c !== ''), `${step.id}: ${arg}`);
          for (const clause of clauses) {
            const m = /^!?([\w.]+)(?:\s*(==|!=)\s*([\w.]+))?$/.exec(clause);
            assert.ok(m !== null, `${step.id}: cannot read the clause "${clause}"`);
            assert.ok(contextKeys.has(m[1]), `${step.id}: context key ${m[1]} is one the extension sets`);
            if (m[1] === CONTEXT_KEYS.authState && m[3] !== undefined) {
              assert.ok(AUTH_STATES.includes(m[3]), `${step.id}: ${m[3]} is an auth state`);
            }
          }
        } else {
          assert.fail(`${step.id}: unexpected completion event ${event}`);
        }
      }
      for (const link of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(commands.has(link[1]), `${step.id}: button ${link[1]} runs a registered command`);
      }
      const media = step.media.markdown ?? step.media.svg ?? step.media.image;
      assert.ok(media !== undefined && media.startsWith('media/walkthrough/'), `${step.id}: media under media/walkthrough/`);
      const text = await fs.readFile(path.join(root, media), 'utf8');
      assert.ok(text.length > 100, `${step.id}: ${media} has content`);
      if (step.media.svg !== undefined || step.media.image !== undefined) {
        assert.ok((step.media.altText ?? '').length > 10, `${step.id}: image has alt text`);
      }
    }
    const ids = w.steps.map((s) => s.id);
    const emulatorStep = w.steps.find((s) => s.id === 'tryEmulator');
    assert.equal(emulatorStep?.when, 'gdap.emulator', 'the "try it without a tenant" step shows where an emulator is configured');
    assert.ok(ids.indexOf('registerApp') < ids.indexOf('configure') && ids.indexOf('configure') < ids.indexOf('signIn'));
    const register = w.steps.find((s) => s.id === 'registerApp');
    assert.deepEqual(register?.completionEvents, [`onCommand:${COMMANDS.openAppRegistrations}`]);
    assert.ok(w.steps.some((s) => (s.completionEvents ?? []).some((e) => e === 'onSettingChanged:gdap.auth.clientId')));
  });

  it('the walkthrough opens in the workbench', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, 0);
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${getExtension().id}#${WALKTHROUGH_ID}`, false);
    await waitFor(
      () =>
        vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => /Get started with GDAP Explorer|Walkthrough|Welcome/i.test(t.label))),
      'the walkthrough tab',
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('settings: Markdown descriptions, enum descriptions and a unique order starting with the sign-in settings', () => {
    const props = settings();
    const orders = Object.entries(props).map(([k, v]) => {
      assert.ok((v.markdownDescription ?? '').length > 20, `${k} has a markdownDescription`);
      assert.equal(v.description, undefined, `${k}: markdownDescription only`);
      if (v.enum !== undefined) {
        assert.equal(v.enumDescriptions?.length, v.enum.length, `${k}: one description per enum value`);
      }
      assert.equal(typeof v.order, 'number', k);
      return [v.order ?? 0, k] as const;
    });
    assert.equal(new Set(orders.map((o) => o[0])).size, orders.length, 'orders are unique');
    const first = [...orders].sort((a, b) => a[0] - b[0]).map((o) => o[1]);
    assert.deepEqual(first.slice(0, 3), ['gdap.auth.clientId', 'gdap.auth.tenantId', 'gdap.cloud']);
  });

  it('Check Sign-In and Open App Registrations are declared and registered', async () => {
    const registered = await registeredCommands();
    assert.ok(registered.includes(COMMANDS.checkSignIn));
    assert.ok(registered.includes(COMMANDS.openAppRegistrations));
    assert.ok(api.registeredCommands.includes(COMMANDS.checkSignIn));
  });

  describe('GDAP: Check Sign-In against the emulator', () => {
    const prompts = new QuietPrompts();
    before(() => api.setPromptLayer(prompts));
    after(async () => {
      api.setPromptLayer(undefined);
      await emulatorFetch('/_emulator/user', { method: 'POST', body: { adminAgents: true } });
      // A load of the tree while the user was outside Admin Agents read nothing: read it again, so the
      // suites that follow start from the emulator's inventory.
      await api.tree.refresh();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    async function report(): Promise<string> {
      const before = vscode.window.activeTextEditor?.document.uri.toString();
      await vscode.commands.executeCommand(COMMANDS.checkSignIn);
      const doc = await waitFor(() => {
        const d = vscode.window.activeTextEditor?.document;
        return d !== undefined && d.uri.toString() !== before && d.uri.path.endsWith('.md') ? d : undefined;
      }, 'the sign-in report');
      return doc.getText();
    }

    it('signed in with a working emulator sign-in: "Sign-in works", nothing to fix', async () => {
      await signInWithEmulator(api);
      const text = await report();
      assert.match(text, /^# GDAP Explorer: sign-in check/);
      assert.match(text, /Sign-in works/);
      assert.match(text, /GDAP customers? and Partner Center accepted the sign-in/);
      assert.doesNotMatch(text, /Fix:/);
      assert.doesNotMatch(text, /eyJ[\w-]{10,}/, 'no token in the report');
      assert.ok(api.logLines().some((l) => l.includes('Check sign-in: [ok] Sign-in works')));
    });

    it('a user outside Admin Agents (empty lists): the report says so and how to fix it', async () => {
      await emulatorFetch('/_emulator/user', { method: 'POST', body: { adminAgents: false } });
      const text = await report();
      assert.match(text, /No GDAP customers visible/);
      assert.match(text, /\*\*Fix:\*\* .*Admin Agents/);
      assert.doesNotMatch(text, /Sign-in works/);
    });
  });
});
