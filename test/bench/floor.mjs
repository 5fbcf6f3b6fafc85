// @ts-check
// The inventory's floor on this machine (`npm run bench`, scenarios 1, 2 and 6): a client that sends the
// same requests as `gdap inventory --assignments` against the emulator and does nothing else with the
// answers — no validation, no model, no sorting, no output. One token request (client credentials), the
// relationship pages one after the other (each page parsed only for its nextLink and the ids of its
// active and expiring relationships), the customers' pages beside them (parsed for their nextLink), and the
// assignment reads in `$batch` groups of 20 with 15 in flight, as the CLI sends them. Its time is what
// the machine, Node's HTTP and TLS and the emulator (on the same cores) cost before any client work: the
// part of the limit's ratio no client can remove here.
//
//   node test/bench/floor.mjs <emulator url> <ca file>   → {"ms":…,"pages":…,"batches":…} on stdout
import * as https from 'node:https';
import { readFileSync } from 'node:fs';

const [base, caFile] = process.argv.slice(2);
if (base === undefined || caFile === undefined) {
  console.error('usage: node test/bench/floor.mjs <emulator url> <ca file>');
  process.exit(2);
}
const TENANT = '00000000-0000-4000-8000-00000000e301';
const LANES = 15;
const GROUP = 20;
const agent = new https.Agent({ keepAlive: true, ca: readFileSync(caFile) });

/**
 * @param {string} method
 * @param {string} url
 * @param {Record<string, string>} headers
 * @param {string} [body]
 * @returns {Promise<string>}
 */
function send(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(new Error(`${method} ${url}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    if (body !== undefined) {
      req.write(body);
    }
    req.end();
  });
}

const token = JSON.parse(
  await send(
    'POST',
    `${base}/${TENANT}/oauth2/v2.0/token`,
    { 'content-type': 'application/x-www-form-urlencoded' },
    'grant_type=client_credentials&client_id=e0e0e0e0-0000-4000-8000-00000000c11a&client_secret=floor&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default',
  ),
).access_token;
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };

/** @type {string[]} */
const queue = [];
let listed = false;
/** @type {Array<() => void>} */
const waiting = [];
const wake = () => waiting.splice(0).forEach((w) => w());
let batches = 0;

async function lane() {
  for (;;) {
    if (queue.length >= GROUP || (listed && queue.length > 0)) {
      const ids = queue.splice(0, GROUP);
      const requests = ids.map((id, i) => ({
        id: String(i + 1),
        method: 'GET',
        url: `/tenantRelationships/delegatedAdminRelationships/${id}/accessAssignments?$top=300`,
      }));
      batches += 1;
      await send('POST', `${base}/v1.0/$batch`, { ...headers, 'content-type': 'application/json' }, JSON.stringify({ requests }));
    } else if (listed) {
      return;
    } else {
      await new Promise((resolve) => waiting.push(() => resolve(undefined)));
    }
  }
}

async function customers() {
  /** @type {string | undefined} */
  let url = `${base}/v1.0/tenantRelationships/delegatedAdminCustomers?$top=300`;
  while (url !== undefined) {
    url = JSON.parse(await send('GET', url, headers))['@odata.nextLink'];
  }
}

const lanes = Array.from({ length: LANES }, lane);
const customerPages = customers();
let pages = 0;
/** @type {string | undefined} */
let next = `${base}/v1.0/tenantRelationships/delegatedAdminRelationships?$top=300`;
while (next !== undefined) {
  const page = JSON.parse(await send('GET', next, headers));
  pages += 1;
  next = page['@odata.nextLink'];
  for (const r of page.value) {
    if (r.status === 'active' || r.status === 'expiring') {
      queue.push(r.id);
    }
  }
  wake();
}
listed = true;
wake();
await Promise.all([...lanes, customerPages]);
agent.destroy();
console.log(JSON.stringify({ ms: Math.round(performance.now()), pages, batches }));
