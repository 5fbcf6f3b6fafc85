// Types of server.mjs for the TypeScript harness (test/e2e/harness).
export interface InstallLayout {
  dir: string;
  version: string;
  legacy: boolean;
  nodeBinDir: string | null;
  node: string;
  entry: string;
  marker: string;
}
export interface ServerDirs {
  root: string;
  config: string;
  data: string;
  cache: string;
  tmp: string;
  userData: string;
  extensions: string;
  workspace: string;
}
export interface RunningCodeServer {
  url: string;
  port: number;
  pid: number;
  mode: 'suite' | 'ui';
  dirs: ServerDirs;
  layout: InstallLayout;
  log(): string;
  stop(): Promise<void>;
}
export function startCodeServer(options: {
  mode: 'suite' | 'ui';
  env?: Record<string, string>;
  vsix?: string;
  rootDir?: string;
  timeoutMs?: number;
  quiet?: boolean;
  settings?: Record<string, unknown>;
  args?: string[];
  extraVsix?: string[];
}): Promise<RunningCodeServer>;
export function installExtension(options: { layout: InstallLayout; dirs: ServerDirs; vsix: string; env?: Record<string, string> }): string;
