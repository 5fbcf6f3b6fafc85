// @ts-check
// Launches Debian's Chromium through playwright-core (no browser download: the executable is the
// system one). A fresh profile per launch; headless unless GDAP_HEADED=1 and a display exists.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './config.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * @param {{ headed?: boolean }} [options]
 * @returns {Promise<import('playwright-core').Browser>}
 */
export async function launchBrowser({ headed = process.env.GDAP_HEADED === '1' && !!process.env.DISPLAY } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing; run node scripts/vscode/install.mjs (installs Debian's chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: !headed,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/**
 * The workbench URL for a server, opening `folder`, optionally with a test `payload`.
 *
 * @param {import('./server.mjs').RunningCodeServer} server
 * @param {{ folder?: string; payload?: Array<[string, string]> }} [options]
 * @returns {string}
 */
export function workbenchUrl(server, { folder = server.dirs.workspace, payload } = {}) {
  const u = new URL(server.url);
  u.searchParams.set('folder', folder);
  if (payload) {
    u.searchParams.set('payload', JSON.stringify(payload));
  }
  return u.toString();
}

/**
 * @param {string} repoRoot
 * @param {...string} parts
 * @returns {string}
 */
export function artifactsDir(repoRoot, ...parts) {
  const dir = join(repoRoot, 'test', 'artifacts', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
