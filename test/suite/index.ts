// Entry of the in-host suite: the same `run()` contract as @vscode/test-electron, so one bundle runs
// through code-server (scripts/vscode/runSuite.mjs) and through test-electron (npm run test:electron).
import { runMocha } from './harness/runMocha';
import { suiteFiles } from './harness/suiteFiles';

export function run(): Promise<void> {
  return runMocha(suiteFiles());
}
