// @ts-check
// `npm run demo`: builds and packages the extension, starts the emulator (demo preset) and a
// code-server with the packaged extension installed and pointed at it, prints the URL (and opens a
// browser where one exists), and stops both on Ctrl-C.
//   npm run demo -- --screenshot media/screenshot-tree.png   signs in, expands the tree, saves a
//                                                            screenshot and exits
//   npm run demo -- --no-package                              reuse dist/gdap-explorer.vsix
//   npm run demo -- --no-open                                 do not open a browser
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, workbenchUrl } from './vscode/browser.mjs';
import { startEmulatorProcess } from './vscode/emulator.mjs';
import { ensureInstalled } from './vscode/install.mjs';
import { stopAll } from './vscode/lifecycle.mjs';
import { startCodeServer } from './vscode/server.mjs';

const repoRoot = resolve(fileURLToPath(import.meta.url), '..', '..');
const argv = process.argv.slice(2);
const flag = (/** @type {string} */ name) => argv.includes(name);
const option = (/** @type {string} */ name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const DEMO_LIFETIME_MS = 12 * 60 * 60_000;

/** @param {string} msg */
function say(msg) {
  console.log(`[demo] ${msg}`);
}

/** @param {string} url */
function openBrowser(url) {
  if (flag('--no-open') || !process.env.DISPLAY) {
    return;
  }
  const which = spawnSync('sh', ['-c', 'command -v xdg-open'], { encoding: 'utf8' });
  if (which.status === 0) {
    spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();
  }
}

/**
 * @param {import('./vscode/server.mjs').RunningCodeServer} server
 * @param {string} file
 * @returns {Promise<void>}
 */
async function takeScreenshot(server, file) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(30_000);
    await page.goto(workbenchUrl(server), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor();
    const item = page.locator('.activitybar a.action-label[aria-label^="GDAP"]');
    await item.waitFor();
    await item.click();
    // Signed out: the welcome view's button; the emulator's provider asks for consent once per scope.
    const signIn = page
      .locator('.part.sidebar')
      .getByRole('button', { name: /sign in/i })
      .first();
    const signedOut = await signIn.waitFor({ state: 'visible', timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    if (signedOut) {
      await signIn.click();
    }
    for (let i = 0; i < 2; i++) {
      const consent = page
        .locator('.monaco-dialog-box[role=dialog]')
        .filter({ hasText: /wants to sign in/ })
        .first();
      try {
        await consent.waitFor({ state: 'visible', timeout: i === 0 ? 15_000 : 5_000 });
        await consent.getByRole('button', { name: 'Allow', exact: true }).click();
        await consent.waitFor({ state: 'hidden' });
      } catch {
        break;
      }
    }
    const rows = page.locator('.part.sidebar .monaco-list-row[role=treeitem]');
    await rows.nth(3).waitFor({ timeout: 60_000 });
    // Widen the side bar so labels and descriptions are readable.
    const box = await page.locator('.part.sidebar').boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 380, box.y + box.height / 2, { steps: 10 });
      await page.mouse.up();
    }
    // Expand the first customer and its first relationship to show roles and assignments.
    for (const level of ['1', '2']) {
      const row = page.locator(`.part.sidebar .monaco-list-row[role=treeitem][aria-level="${level}"][aria-expanded="false"]`).first();
      if (await row.isVisible().catch(() => false)) {
        await row.locator('.monaco-tl-twistie').click();
        await page.waitForTimeout(1500);
      }
    }
    await page.mouse.move(900, 700);
    await page.waitForTimeout(1000);
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    say(`screenshot saved to ${file}`);
  } catch (e) {
    const failure = join(repoRoot, 'test', 'artifacts', 'demo-failure.png');
    mkdirSync(dirname(failure), { recursive: true });
    await browser
      .contexts()[0]
      ?.pages()[0]
      ?.screenshot({ path: failure })
      .catch(() => undefined);
    say(`the screenshot flow failed; what the page showed: ${failure}`);
    throw e;
  } finally {
    await browser.close();
  }
}

async function main() {
  ensureInstalled();
  const vsix = join(repoRoot, 'dist', 'gdap-explorer.vsix');
  if (!flag('--no-package')) {
    say('building and packaging (npm run package)');
    const p = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    if (p.status !== 0) {
      throw new Error('npm run package failed');
    }
  }
  if (!existsSync(vsix)) {
    throw new Error(`${vsix} is missing`);
  }
  const emulator = await startEmulatorProcess({
    repoRoot,
    args: ['--port', '0', '--preset', 'demo', '--seed', '1'],
    required: true,
    timeoutMs: DEMO_LIFETIME_MS,
  });
  if (!emulator) {
    // `required: true` makes the start throw instead; this only narrows the type.
    throw new Error('the emulator did not start');
  }
  say(`emulator ${emulator.url} (pid ${emulator.pid})`);
  const server = await startCodeServer({ mode: 'ui', vsix, env: emulator.env, timeoutMs: DEMO_LIFETIME_MS });
  const url = workbenchUrl(server);
  say(`code-server (pid ${server.pid}) with GDAP Explorer installed from the VSIX`);
  const shot = option('--screenshot');
  if (shot) {
    try {
      await takeScreenshot(server, resolve(process.cwd(), shot));
    } finally {
      await server.stop();
      await emulator.stop();
    }
    return;
  }
  console.log(
    `\n  Open ${url}\n  Open the GDAP view in the activity bar and sign in (the emulator's accounts need no password).\n  Ctrl-C stops the emulator and code-server.\n`,
  );
  openBrowser(url);
  await /** @type {Promise<void>} */ (
    new Promise((resolveStop) => {
      const stop = () => resolveStop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      setTimeout(stop, DEMO_LIFETIME_MS).unref();
    })
  );
  say('stopping');
  await server.stop();
  await emulator.stop();
}

try {
  await main();
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  await stopAll();
}
