// `npm run soak`: the full-size fault-injection soak (≤ 3 minutes). Exits non-zero on any violation.
import { formatReport, runSoak } from './soak';

const HARD_LIMIT_MS = 175_000;

async function main(): Promise<number> {
  const small = process.argv.includes('--small');
  // Emergency stop: whatever happens, the process ends before the 3-minute bound.
  const stop = setTimeout(() => {
    console.error('soak: hard time limit reached; stopping.');
    process.exit(2);
  }, HARD_LIMIT_MS);
  stop.unref();
  const report = await runSoak(
    small
      ? { terminate: 30, assignments: 30, dap: 10, customers: 80, deadlineMs: 25_000, renewal: 6 }
      : { terminate: 200, assignments: 200, dap: 50, customers: 300, deadlineMs: 150_000, renewal: 40 },
  );
  console.log(formatReport(report));
  return report.violations.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`soak: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
