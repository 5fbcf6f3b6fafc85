// Types of emulator.mjs for the TypeScript harness (test/e2e/harness).
export interface RunningEmulatorProcess {
  url: string;
  caFile: string;
  pid: number;
  env: { GDAP_EMULATOR_URL: string; GDAP_EMULATOR_CA: string };
  stop(): Promise<void>;
}
export function startEmulatorProcess(options?: {
  args?: string[];
  repoRoot?: string;
  timeoutMs?: number;
  required?: boolean;
}): Promise<RunningEmulatorProcess | null>;
