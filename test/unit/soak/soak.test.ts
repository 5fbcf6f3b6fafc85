import * as assert from 'node:assert/strict';
import { formatReport, runSoak } from '../../../scripts/soak/soak';

// The small soak of `npm test`: the same run and invariants as `npm run soak` (scripts/soak), with
// 30 terminations, 30 assignment removals and 10 DAP removals under the same fault mix.
describe('soak (small): faults never lose, duplicate or leak an action', function () {
  this.timeout(30_000);

  it('keeps every invariant under 429/503/500/reset/lost/timeout/malformed faults', async () => {
    const report = await runSoak({
      terminate: 30,
      assignments: 30,
      dap: 10,
      customers: 80,
      seed: 7,
      faultSeed: 42,
      timeScale: 50,
      retryAfterSeconds: 0,
      baseDelayMs: 100,
      attemptTimeoutMs: 1000,
      deadlineMs: 25_000,
      renewal: 6,
    });
    const text = formatReport(report);
    assert.deepEqual(report.violations, [], text);
    // The run must actually have exercised the faults and the mutations it claims to check.
    assert.ok(report.mutations >= 70, text);
    assert.ok((report.faults.lost ?? 0) > 0 && (report.faults['429'] ?? 0) > 0, text);
    const done =
      (report.outcomes.terminate.done ?? 0) + (report.outcomes.removeAssignment.done ?? 0) + (report.outcomes.removeDap.done ?? 0);
    assert.ok(done >= 60, text);
    const renewalDone = Object.values(report.renewal?.outcomes ?? {}).reduce((sum, o) => sum + (o.done ?? 0), 0);
    assert.ok(renewalDone >= 20 && (report.renewal?.touches ?? 0) > 0, text);
    const templateDone = Object.values(report.templates?.outcomes ?? {}).reduce((sum, o) => sum + (o.done ?? 0), 0);
    assert.ok(templateDone >= 10, text);
  });
});
