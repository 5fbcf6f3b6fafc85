// Entry of the sealed in-host run (scripts/vscode/runSuite.mjs runs it after the suite, in a fresh
// code-server WITHOUT GDAP_EXPLORER_TEST_API): the same `run()` contract as test/suite/index.ts.
// Its test file is not named *.test.ts, so the main suite (which runs with the variable) skips it.
import { runMocha } from '../harness/runMocha';

export function run(): Promise<void> {
  return runMocha([
    {
      name: 'test/suite/sealed/exports.sealed.ts',
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha needs synchronous loading inside its require events
      load: (): void => void require('./exports.sealed'),
    },
  ]);
}
