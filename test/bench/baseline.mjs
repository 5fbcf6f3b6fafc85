// @ts-check
// The baseline: what a partner writes with the official Graph SDK (@microsoft/microsoft-graph-client).
// Client.init with an auth provider, PageIterator at the service's default page size (no $top), one
// request per relationship for its access assignments, everything sequential. It trusts the emulator CA
// through NODE_EXTRA_CA_CERTS (set by the runner), as a partner's script would trust a test CA.
//
//   node test/bench/baseline.mjs inventory <emulatorUrl>
//   node test/bench/baseline.mjs terminate <emulatorUrl> <idsFile> <pollMs>
//
// Prints one JSON summary line on stdout.
import { readFileSync } from 'node:fs';
import { Client, PageIterator } from '@microsoft/microsoft-graph-client';

const [mode, baseUrl, idsFile, pollArg] = process.argv.slice(2);
const origin = new URL(baseUrl);

async function getToken() {
  // client_credentials against the emulator's Entra v2.0 token endpoint.
  const res = await fetch(`${origin.origin}/organizations/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: '11111111-2222-3333-4444-555555555555',
      client_secret: 'partner-script-secret',
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  if (!res.ok) {
    throw new Error(`token endpoint answered ${res.status}`);
  }
  return (await res.json()).access_token;
}

const token = await getToken();
const client = Client.init({
  authProvider: (done) => done(null, token),
  baseUrl: origin.origin,
  defaultVersion: 'v1.0',
  // The SDK attaches the token only to Graph hosts and these custom hosts (https only).
  customHosts: new Set([origin.hostname]),
});

/**
 * @param {string} path
 * @returns {Promise<Array<{ id: string; status: string }>>}
 */
async function listAll(path) {
  /** @type {Array<{ id: string; status: string }>} */
  const out = [];
  const first = await client.api(path).get();
  const it = new PageIterator(client, first, (item) => {
    out.push(item);
    return true;
  });
  await it.iterate();
  return out;
}

const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

if (mode === 'inventory') {
  const customers = await listAll('/tenantRelationships/delegatedAdminCustomers');
  const relationships = await listAll('/tenantRelationships/delegatedAdminRelationships');
  let assignments = 0;
  let failed = 0;
  const active = relationships.filter((r) => r.status === 'active' || r.status === 'expiring');
  for (const r of active) {
    try {
      const list = await listAll(`/tenantRelationships/delegatedAdminRelationships/${r.id}/accessAssignments`);
      assignments += list.length;
    } catch {
      failed += 1;
    }
  }
  console.log(
    JSON.stringify({
      customers: customers.length,
      relationships: relationships.length,
      activeRelationships: active.length,
      assignments,
      failed,
    }),
  );
} else if (mode === 'terminate') {
  const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
  const pollMs = Number(pollArg);
  let terminated = 0;
  let failed = 0;
  for (const id of ids) {
    try {
      await client.api(`/tenantRelationships/delegatedAdminRelationships/${id}/requests`).post({ action: 'terminate' });
      for (let i = 0; i < 10_000; i++) {
        await sleep(pollMs);
        const r = await client.api(`/tenantRelationships/delegatedAdminRelationships/${id}`).get();
        if (r.status === 'terminated') {
          terminated += 1;
          break;
        }
      }
    } catch {
      failed += 1;
    }
  }
  console.log(JSON.stringify({ terminated, failed }));
} else {
  console.error('usage: baseline.mjs inventory|terminate <url> [idsFile pollMs]');
  process.exit(2);
}
