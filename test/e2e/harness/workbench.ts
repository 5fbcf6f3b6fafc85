// Starts what a UI scenario drives: an emulator, a code-server (UI mode, the packaged VSIX installed
// into a fresh extensions folder, GDAP_EMULATOR_URL/GDAP_EMULATOR_CA in its environment) and Debian
// Chromium on the workbench. Everything is stopped by PID in close(), which useWorkbench() calls from
// an after hook; a failed test leaves a screenshot and the server log in test/artifacts/e2e/.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RunningCodeServer } from '../../../scripts/vscode/server.mjs' with { 'resolution-mode': 'import' };
import type { RunningEmulatorProcess } from '../../../scripts/vscode/emulator.mjs' with { 'resolution-mode': 'import' };
import { emulatorRequests, type EmulatorInfo } from '../../suite/harness/emulator';
import { activityBarItem, BUDGET } from './ui';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface WorkbenchOptions {
  /** 'required' (default) fails when the emulator cannot start; 'optional' runs without; 'none' starts none. */
  emulator?: 'required' | 'optional' | 'none';
  /** Emulator arguments (default: --port 0 --time-scale 20 --seed 1 --preset demo). */
  emulatorArgs?: string[];
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for the extension host). */
  env?: Record<string, string>;
  /** The VSIX to install (default: $GDAP_E2E_VSIX or dist/gdap-explorer.vsix). */
  vsix?: string;
  /** Extra code-server arguments, e.g. ['--locale', 'de'] for the display language. */
  serverArgs?: string[];
  /** Further VSIX files to install next to the extension (e.g. a language pack). */
  extraVsix?: string[];
  /** Viewport size. */
  viewport?: { width: number; height: number };
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: RunningCodeServer;
  /** The emulator this workbench's extension talks to (null when none was started). */
  emulator: RunningEmulatorProcess | null;
  /** The emulator as the helpers of test/suite/harness/emulator.ts take it. */
  emulatorInfo(): EmulatorInfo;
  /** Saves a screenshot into test/artifacts/e2e/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Reloads the window (the extension host restarts; emulator state is kept). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export function artifactPath(name: string): string {
  const safe = name
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 150);
  return join(REPO_ROOT, 'test', 'artifacts', 'e2e', safe);
}

/** The title of the extension's view container (package.nls.json "container.title"). */
export const CONTAINER_TITLE = 'GDAP';

/**
 * Waits until the workbench is interactive for the scenarios: the workbench is rendered and the
 * extension's view container has its activity bar entry. The first activity bar entry (Explorer, built
 * in) shows long before the extension host has scanned the installed VSIX and registered its
 * contributions; on a loaded machine that gap alone exceeded a scenario's whole action budget. One
 * deadline covers both waits.
 */
export async function waitForWorkbench(page: Page, timeoutMs = BUDGET.startup): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await activityBarItem(page, CONTAINER_TITLE).waitFor({ state: 'visible', timeout: Math.max(1_000, deadline - Date.now()) });
}

export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  // The launcher modules are plain ESM (.mjs), shared with the runners and the demo.
  const [{ startCodeServer }, { startEmulatorProcess }, { launchBrowser, workbenchUrl, artifactsDir }] = await Promise.all([
    import('../../../scripts/vscode/server.mjs'),
    import('../../../scripts/vscode/emulator.mjs'),
    import('../../../scripts/vscode/browser.mjs'),
  ]);
  const vsix = options.vsix ?? process.env.GDAP_E2E_VSIX ?? join(REPO_ROOT, 'dist', 'gdap-explorer.vsix');
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} is missing: run npm run package (npm run test:e2e does)`);
  }
  artifactsDir(REPO_ROOT, 'e2e');
  const mode = options.emulator ?? 'required';
  let emulator: RunningEmulatorProcess | null = null;
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    if (mode !== 'none') {
      emulator = await startEmulatorProcess({
        repoRoot: REPO_ROOT,
        args: options.emulatorArgs ?? ['--port', '0', '--time-scale', '20', '--seed', '1', '--preset', 'demo'],
        required: mode === 'required',
      });
    }
    server = await startCodeServer({
      mode: 'ui',
      vsix,
      env: { ...(emulator?.env ?? {}), ...(options.env ?? {}) },
      settings: options.settings,
      args: options.serverArgs,
      extraVsix: options.extraVsix,
      quiet: process.env.GDAP_VERBOSE !== '1',
    });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    page.setDefaultTimeout(BUDGET.action);
    const url = workbenchUrl(server);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: BUDGET.startup });
    await waitForWorkbench(page);
    const s = server;
    const b = browser;
    const wb: Workbench = {
      page,
      browser: b,
      server: s,
      emulator,
      emulatorInfo: (): EmulatorInfo => {
        if (!emulator) {
          throw new Error('this workbench runs without an emulator');
        }
        return { url: emulator.url, caFile: emulator.caFile };
      },
      screenshot: async (name: string): Promise<string> => {
        const path = artifactPath(`${name}.png`);
        await page.screenshot({ path, timeout: 10_000 });
        return path;
      },
      reload: async (): Promise<void> => {
        await page.reload({ waitUntil: 'domcontentloaded' });
        await waitForWorkbench(page);
      },
      close: async (): Promise<void> => {
        await b.close().catch(() => undefined);
        await s.stop();
        await emulator?.stop();
      },
    };
    return wb;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    if (server) {
      writeFileSync(artifactPath('startup-code-server.log'), server.log());
      await server.stop();
    }
    await emulator?.stop();
    throw e;
  }
}

/**
 * Mocha hooks for one scenario file: a workbench started before the first test and stopped after the
 * last; after each failed test a screenshot and the server log are saved. Returns a getter.
 *
 *   const wb = useWorkbench();
 *   it('shows the view', async () => { await openViewContainer(wb().page, 'GDAP'); });
 */
export function useWorkbench(options: WorkbenchOptions = {}): () => Workbench {
  let current: Workbench | undefined;
  before(async function () {
    // code-server start + page load + the extension's registration, each bounded by BUDGET.startup.
    this.timeout(2 * BUDGET.startup);
    current = await startWorkbench(options);
  });
  afterEach(async function () {
    const test = this.currentTest;
    if (current && test && test.state === 'failed') {
      const name = test.fullTitle();
      try {
        const shot = await current.screenshot(name);
        console.log(`      screenshot: ${shot}`);
      } catch (e) {
        console.log(`      (no screenshot: ${e instanceof Error ? e.message : String(e)})`);
      }
      writeFileSync(artifactPath(`${name}.code-server.log`), current.server.log());
      if (current.emulator) {
        // What reached the emulator last: tells "the product never acted" from "it acted and the UI did not show it".
        const recent = await emulatorRequests(current.emulatorInfo()).then(
          (all) => all.slice(-200),
          (e: unknown) => [{ error: e instanceof Error ? e.message : String(e) }],
        );
        writeFileSync(artifactPath(`${name}.emulator-requests.json`), JSON.stringify(recent, null, 1));
      }
    }
  });
  after(async function () {
    this.timeout(30_000);
    await current?.close();
    current = undefined;
  });
  return (): Workbench => {
    if (!current) {
      throw new Error('the workbench is not running (did its before hook fail?)');
    }
    return current;
  };
}
