// Preloaded into the measured CLI process (`node -r ./test/bench/usage.cjs dist/cli.js …`): on exit it
// writes the process's own CPU time and peak RSS to stderr, so the bench reads them from the process
// itself (CPU time is steadier than wall time on a shared machine). Not part of the product.
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => {
  const u = process.resourceUsage();
  const line = { userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssMB: u.maxRSS / 1024 };
  writeSync(2, `\n[bench-usage] ${JSON.stringify(line)}\n`);
});
