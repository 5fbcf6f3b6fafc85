// @ts-check
// Pinned versions and cache locations of the real-VS-Code test harness (see test/README.md).
// Everything is installed outside the repository clone, keyed by version, so later runs and CI
// reuse it.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = process.env.GDAP_CODE_SERVER_VERSION ?? '4.139.1';
// code-server 4.139 needs Node 22+; the npm registry ships Node as a package whose platform
// dependency carries the binary, so no download outside npm is needed.
export const NODE_PACKAGE_VERSION = '24.21.0';

export function cacheRoot() {
  if (process.env.GDAP_VSCODE_CACHE) {
    return process.env.GDAP_VSCODE_CACHE;
  }
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.length > 0 ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'gdap-explorer');
}

export function installDir(version = CODE_SERVER_VERSION) {
  return join(cacheRoot(), `code-server-${version}`);
}

/** True for the 1.100-based line, which runs on the machine's Node 20 and needs no smoke-test flag. */
export function isLegacyLine(version = CODE_SERVER_VERSION) {
  const [major, minor] = version.split('.').map(Number);
  return major === 4 && minor < 101;
}

export const CHROMIUM = process.env.GDAP_CHROMIUM ?? '/usr/bin/chromium';
