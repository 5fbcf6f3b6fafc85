// Types of browser.mjs for the TypeScript harness (test/e2e/harness).
import type { Browser } from 'playwright-core';
import type { RunningCodeServer } from './server.mjs';
export const CHROMIUM_ARGS: string[];
export function launchBrowser(options?: { headed?: boolean }): Promise<Browser>;
export function workbenchUrl(server: RunningCodeServer, options?: { folder?: string; payload?: Array<[string, string]> }): string;
export function artifactsDir(repoRoot: string, ...parts: string[]): string;
