// The extension in German: code-server started with `--locale de`. VS Code makes a language the
// display language only when a language pack for it is installed, and Microsoft's German pack cannot
// be fetched offline; so the test installs test/fixtures/languagePackDe, a pack with no translations
// of its own. The workbench's texts stay English; the extension's come from its own bundles
// (l10n/bundle.l10n.de.json, package.nls.de.json). Screenshots of each step are kept in
// test/artifacts/e2e/ (de-*.png).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorOf, readSince, settled } from './harness/emulator';
import { activeTargetOf, customersOf, relationshipsOf } from './harness/targets';
import {
  allowConsent,
  BUDGET,
  clearNotifications,
  clickModalButton,
  contextMenuToModal,
  contextMenuItems,
  eventually,
  expandRow,
  openViewContainer,
  runCommand,
  treeRow,
  waitForNotification,
  waitForRowDescription,
  waitForTreeRow,
} from './harness/ui';
import { REPO_ROOT, useWorkbench } from './harness/workbench';

describe('GDAP Explorer in German (--locale de)', function () {
  this.timeout(120_000);
  const packDir = mkdtempSync(join(tmpdir(), 'gdap-langpack-'));
  const pack = join(packDir, 'language-pack-de.vsix');
  before(function () {
    this.timeout(120_000);
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    execFileSync(process.execPath, [vsce, 'package', '--allow-missing-repository', '--skip-license', '--out', pack], {
      cwd: join(REPO_ROOT, 'test', 'fixtures', 'languagePackDe'),
      stdio: 'ignore',
      timeout: 110_000,
    });
  });
  after(() => rmSync(packDir, { recursive: true, force: true }));
  const wb = useWorkbench({ serverArgs: ['--locale', 'de'], extraVsix: [pack] });
  const used = new Set<string>();

  it('the view, its welcome and the tree speak German', async () => {
    const { page } = wb();
    await openViewContainer(page, 'GDAP');
    // The view's name from package.nls.de.json.
    await page.locator('.part.sidebar').getByText('Delegierter Administrator', { exact: false }).first().waitFor();
    const signIn = page.getByRole('button', { name: 'Beim Emulator anmelden' });
    await signIn.waitFor();
    await wb().screenshot('de-welcome');
    await signIn.click();
    await allowConsent(page);
    await allowConsent(page, 5_000);
    const state = await emulatorOf(wb()).state();
    const first = customersOf(state)[0];
    await waitForTreeRow(page, first.name, 30_000);
    // "3 Beziehungen" / "1 Beziehung", with German digit grouping.
    await treeRow(page, first.name)
      .first()
      .locator('.label-description', { hasText: /\d+ Beziehung/ })
      .waitFor();
    // The DAP pass that follows the load re-renders the rows; act once the emulator is quiet.
    await settled(emulatorOf(wb()));
    const target = activeTargetOf(state, new Set());
    await expandRow(page, target.customer);
    await waitForRowDescription(page, target.relationship.displayName, /^aktiv · /);
    // The screen reader's name says the same in German.
    const aria = await treeRow(page, target.relationship.displayName).first().getAttribute('aria-label');
    assert.match(aria ?? '', /^Beziehung .+: (aktiv|Warnung: läuft bald ab)/);
    await wb().screenshot('de-tree');
  });

  it('the context menu, the confirmation modal and the report are German', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    const target = activeTargetOf(await emu.state(), used);
    await expandRow(page, target.customer);
    const items = await contextMenuItems(page, target.relationship.displayName);
    assert.ok(items.includes('Beziehung beenden…'), `German menu items: ${items.join(', ')}`);
    assert.ok(items.includes('ID kopieren'), `German menu items: ${items.join(', ')}`);
    assert.ok(!items.includes('Terminate Relationship…'));
    const text = await contextMenuToModal(
      page,
      target.relationship.displayName,
      'Beziehung beenden…',
      /GDAP-Beziehung/,
      await readSince(emu, `/delegatedAdminRelationships/${target.relationship.id}`),
    );
    assert.ok(text.includes(target.relationship.displayName));
    await wb().screenshot('de-modal');
    await clickModalButton(page, 'Beenden');
    const report = await waitForNotification(page, /erledigt/, 60_000);
    assert.match(report, /Beziehung beenden/);
    await wb().screenshot('de-report');
    await waitForRowDescription(page, target.relationship.displayName, /^beendet/, 60_000);
    await eventually(
      async () => relationshipsOf(await emu.state()).find((r) => r.id === target.relationship.id)?.status === 'terminated',
      'emulator terminated',
    );
  });

  // The doctor's findings come from core as codes with parameters (src/core/insight/findingMessages.ts):
  // each one starts like this in German, like this in English.
  const GERMAN_FINDING =
    /Die Beziehung „|Die Einladung „|Die Zugriffszuweisung |aktive Beziehungen, die dieselben Rollen|ist das ältere DAP noch aktiviert|ist ein Partner Center-Kunde ohne aktive GDAP-Beziehung/;
  const ENGLISH_FINDING =
    /Relationship "|Invitation "|Access assignment |active relationships granting the same roles|still has legacy DAP enabled|is a Partner Center customer with no active GDAP relationship/;

  it('Check Access: the summary and the findings in the Problems panel are German', async () => {
    const { page } = wb();
    await clearNotifications(page);
    await runCommand(page, 'GDAP: Zugriff prüfen');
    const summary = await waitForNotification(page, /Zugriffsprüfung/, BUDGET.network);
    assert.match(summary, /Befunde? \(\d+ Fehler, \d+ Warnungen, \d+ Hinweise\)/, summary);
    // The command focuses the Problems panel itself when there are findings.
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: GERMAN_FINDING }).first().waitFor({ state: 'visible', timeout: BUDGET.action });
    const texts = await rows.allInnerTexts();
    const english = texts.filter((t) => ENGLISH_FINDING.test(t));
    assert.deepEqual(english, [], 'no finding reads in English');
    await wb().screenshot('de-check-access');
  });

  it('an error from core (Microsoft Graph refuses the list) is a German notification', async () => {
    const { page } = wb();
    const emu = emulatorOf(wb());
    await clearNotifications(page);
    await emu.fetch('/_emulator/failNext', {
      method: 'POST',
      body: { method: 'GET', pathPattern: 'delegatedAdminRelationships$', status: 403, count: 1 },
    });
    try {
      await runCommand(page, 'GDAP: Aktualisieren');
      const toast = await waitForNotification(page, /GDAP-Beziehungen werden geladen/, BUDGET.network);
      // errorMapping's message for a Graph 403, from the German bundle; never the English one.
      assert.match(toast, /Zugriff von Microsoft Graph verweigert \(HTTP 403\)/, toast);
      assert.doesNotMatch(toast, /Access denied/, toast);
      await wb().screenshot('de-error');
    } finally {
      await emu.fetch('/_emulator/failNext', { method: 'POST', body: { clear: true } });
    }
  });
});
