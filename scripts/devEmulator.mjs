// @ts-check
// The emulator for F5 (.vscode/launch.json): `node dist/emulator.js` on a fixed port, with its CA
// certificate copied to a fixed path, so the launch configurations can name both in `env`
// (GDAP_EMULATOR_URL, GDAP_EMULATOR_CA). The emulator makes a new CA in a new temporary folder on every
// start; the copy is what stays put. Runs until stopped (Ctrl-C, or VS Code ending the task).
//
//   node scripts/devEmulator.mjs [emulator options]   default: --preset demo --seed 1
//   env GDAP_DEV_EMULATOR_PORT (default 47443); the CA copy is out/dev-emulator/ca.pem
//
// Its last start-up line, "[dev-emulator] ready …", is what the VS Code task waits for.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.GDAP_DEV_EMULATOR_PORT ?? '47443';
const script = join(repoRoot, 'dist', 'emulator.js');
const caCopy = join(repoRoot, 'out', 'dev-emulator', 'ca.pem');
const extra = process.argv.slice(2);
const args = [script, '--host', '127.0.0.1', '--port', port, ...(extra.length > 0 ? extra : ['--preset', 'demo', '--seed', '1'])];
// The watch build may still be writing dist/ when this starts.
const BUILD_WAIT_MS = 120_000;

/** @param {string} msg */
function say(msg) {
  console.log(`[dev-emulator] ${msg}`);
}

say(`starting node ${args.map((a) => (a === script ? 'dist/emulator.js' : a)).join(' ')}`);
const deadline = Date.now() + BUILD_WAIT_MS;
while (!existsSync(script)) {
  if (Date.now() > deadline) {
    console.error(`[dev-emulator] ${script} is missing: run npm run build (or the "watch" task) first`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 500));
}

const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(sig, () => child.kill('SIGTERM'));
}
child.on('exit', (code, signal) => {
  say(`emulator exited (${code ?? signal})`);
  process.exit(code ?? 0);
});

let pending = '';
let ready = false;
child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
  process.stdout.write(chunk);
  if (ready) {
    return;
  }
  pending += String(chunk);
  const url = /listening on (https?:\/\/\S+)/.exec(pending)?.[1];
  const ca = /^ca-file:\s*(.+)$/m.exec(pending)?.[1]?.trim();
  if (url !== undefined && ca !== undefined) {
    ready = true;
    mkdirSync(dirname(caCopy), { recursive: true });
    copyFileSync(ca, caCopy);
    say(`ready GDAP_EMULATOR_URL=${url} GDAP_EMULATOR_CA=${caCopy}`);
  }
});
