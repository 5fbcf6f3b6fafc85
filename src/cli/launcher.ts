import * as path from 'node:path';
import { runWithCodeCache } from './codeCache';
import { capYoungGeneration, type YoungGenerationCap } from './youngGeneration';

// `gdap` (dist/cli.js): runs the command line's bundle, dist/cliMain.js, through V8's code cache
// (src/cli/codeCache.ts), with V8's young generation held to a command line's size
// (src/cli/youngGeneration.ts). Kept this small on purpose: everything it imports is compiled on every start.
let young: YoungGenerationCap | undefined;
const outcome = runWithCodeCache(path.join(__dirname, 'cliMain.js'), process.env, {
  // A cache is written under the flags the run started with; later runs refuse any other.
  beforeCacheWrite: () => young?.restore(),
});
// Not with Node's own compile cache (Node 22.1+): it is written after every listener has run.
if (outcome !== 'native') {
  young = capYoungGeneration();
}
