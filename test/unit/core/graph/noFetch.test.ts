import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

describe('Graph pipeline: no fetch Response', function () {
  // A child Node process (the probe compiles TypeScript on the fly).
  this.timeout(60_000);

  it("a Graph read through the SDK and our middleware never loads Node's fetch implementation", () => {
    // Building a fetch Response per request loaded undici on the first request (≈ 40 ms of the CLI's
    // start-up) and copied every header and body once more; `send` reads the response from the request
    // state, so nothing needs one (src/core/graph/graphPipeline.ts).
    const root = path.resolve(__dirname, '../../../..');
    const out = execFileSync(process.execPath, ['-r', './test/unit/register.cjs', 'test/unit/core/graph/noFetchProbe.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const probe = JSON.parse(out) as { id: string; requests: number; loaded: string[] };
    assert.equal(probe.requests, 1, 'the read went out once');
    assert.match(probe.id, /^5d027261-/, 'the answer came back through the pipeline');
    assert.deepEqual(probe.loaded, []);
  });
});
