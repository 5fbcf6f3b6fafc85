import * as path from 'node:path';
import { runWithCodeCache } from './codeCache';

// `gdap` (dist/cli.js): runs the command line's bundle, dist/cliMain.js, through V8's code cache
// (src/cli/codeCache.ts). Kept this small on purpose: everything it imports is compiled on every start.
runWithCodeCache(path.join(__dirname, 'cliMain.js'));
