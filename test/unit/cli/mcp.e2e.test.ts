import * as assert from 'node:assert/strict';
import { promises as fs, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/server';
import { bundleCli } from './harness/bundledCli';

/*
 * `gdap mcp` end to end: the bundled CLI started by the MCP SDK's own client over stdio, against the
 * emulator started in-process, whose store the answers are checked against.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
const READ_TOOLS = ['gdap_access', 'gdap_check', 'gdap_expiring', 'gdap_impact', 'gdap_inventory', 'gdap_plan_template'];
const CHANGE_TOOLS = ['gdap_auto_extend', 'gdap_remove_assignment', 'gdap_terminate'];
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

interface Paged<T> {
  total: number;
  page: number;
  pages: number;
  note?: string;
  items: T[];
}

function textOf(r: unknown): string {
  const content = (r as CallToolResult).content;
  assert.equal(content[0]?.type, 'text');
  return (content[0] as { text: string }).text;
}

function json<T>(r: unknown): T {
  assert.notEqual((r as CallToolResult).isError, true, textOf(r));
  return JSON.parse(textOf(r)) as T;
}

describe('gdap mcp: the GDAP tools over MCP against the emulator', function () {
  this.timeout(60_000);
  let dir: string;
  let cli: string;
  let emu: RunningEmulator;
  const clients: Client[] = [];

  async function connect(
    args: string[],
    elicit?: (message: string) => { action: 'accept' | 'decline'; content?: Record<string, unknown> },
  ): Promise<Client> {
    const client = new Client({ name: 'gdap-test', version: '1.0.0' }, elicit !== undefined ? { capabilities: { elicitation: {} } } : {});
    if (elicit !== undefined) {
      client.setRequestHandler(ElicitRequestSchema, (request) => elicit(request.params.message));
    }
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp', '-q', '--journal', path.join(dir, 'journal.jsonl'), ...args],
      env: {
        PATH: process.env.PATH ?? '',
        XDG_STATE_HOME: path.join(dir, 'state'),
        GDAP_EMULATOR_URL: emu.url,
        GDAP_EMULATOR_CA: emu.caFile,
      },
      stderr: 'pipe',
      cwd: dir,
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  /** Changes sent to Graph: batched reads (POST $batch) and sign-in (POST …/token, device code) are not changes. */
  const mutatingRequests = (): number =>
    emu.requests().filter((r) => MUTATING.has(r.method) && !/\$batch|\/oauth2\/|\/token\b|devicecode/i.test(r.path)).length;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gdap-mcp-e2e-'));
    cli = await bundleCli(dir);
    emu = await startEmulator({ port: 0, preset: 'demo', seed: 11, timeScale: 200 });
  });

  after(async () => {
    for (const c of clients) {
      await c.close().catch(() => undefined);
    }
    await emu?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists only the read-only tools without --allow-changes, and refuses a changing call', async () => {
    const client = await connect([]);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), READ_TOOLS);
    // The schemas the server lists are the ones the extension's manifest declares to VS Code.
    const manifest = JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { languageModelTools: { name: string; inputSchema: unknown }[] };
    };
    const declared = new Map(manifest.contributes.languageModelTools.map((t) => [t.name, t.inputSchema]));
    assert.deepEqual([...declared.keys()].sort(), [...READ_TOOLS, ...CHANGE_TOOLS].sort());
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true, t.name);
      assert.deepEqual(t.inputSchema, declared.get(t.name), t.name);
    }
    const active = [...emu.store.relationships.values()].find((r) => r.status === 'active');
    assert.ok(active);
    const before = mutatingRequests();
    const refused = (await client.callTool({ name: 'gdap_terminate', arguments: { relationshipIds: [active.id] } })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /--allow-changes/);
    assert.equal(mutatingRequests(), before);
    assert.equal(emu.store.relationships.get(active.id)?.status, 'active');
  });

  it('answers every read-only tool from the emulator state', async () => {
    const client = await connect([]);
    const relationships = [...emu.store.relationships.values()];

    const all = json<{ relationships: Paged<{ relationshipId: string; customer: string; status: string }> }>(
      await client.callTool({ name: 'gdap_inventory', arguments: { query: '' } }),
    );
    assert.equal(all.relationships.total, relationships.length);
    assert.equal(all.relationships.pages, Math.ceil(relationships.length / 50));
    if (all.relationships.pages > 1) {
      assert.match(all.relationships.note ?? '', /page 2/);
    }
    const someCustomer = relationships.find((r) => r.customer?.displayName !== undefined)?.customer?.displayName as string;
    const byName = json<{ relationships: Paged<{ relationshipId: string }> }>(
      await client.callTool({ name: 'gdap_inventory', arguments: { query: someCustomer, status: 'active' } }),
    );
    const expected = relationships
      .filter(
        (r) =>
          r.status === 'active' &&
          (r.displayName.toLowerCase().includes(someCustomer.toLowerCase()) ||
            (emu.store.customers.get(r.customer?.tenantId ?? '')?.displayName ?? r.customer?.displayName ?? '')
              .toLowerCase()
              .includes(someCustomer.toLowerCase())),
      )
      .map((r) => r.id)
      .sort();
    assert.deepEqual(byName.relationships.items.map((x) => x.relationshipId).sort(), expected.slice(0, 50));

    const access = json<{ rows: Paged<{ relationshipId: string; groupId: string; roleDefinitionId: string; role: string }> }>(
      await client.callTool({ name: 'gdap_access', arguments: { role: 'Helpdesk Administrator' } }),
    );
    const helpdesk = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
    const grants = relationships
      .filter((r) => r.status === 'active' && r.customer?.tenantId !== undefined)
      .flatMap((r) =>
        r.assignments.filter((a) => a.status === 'active' && a.roles.includes(helpdesk)).map((a) => `${r.id}|${a.containerId}`),
      )
      .sort();
    assert.equal(access.rows.total, grants.length);
    assert.ok(access.rows.items.every((x) => x.role === 'Helpdesk Administrator'));

    const expiring = json<{ buckets: Record<string, { relationshipId: string; reason: string }[]> }>(
      await client.callTool({ name: 'gdap_expiring', arguments: { days: 30 } }),
    );
    assert.deepEqual(Object.keys(expiring.buckets), ['endsWithin1Day', 'endsWithin7Days', 'endsWithin30Days', 'endedInLast30Days']);
    for (const entry of Object.values(expiring.buckets).flat()) {
      const r = emu.store.relationships.get(entry.relationshipId);
      assert.ok(r, entry.relationshipId);
      assert.ok(['noAutoExtend', 'globalAdministrator'].includes(entry.reason));
    }

    const check = json<{ findings: Paged<{ severity: string; relationshipId: string | null }>; skipped: string }>(
      await client.callTool({ name: 'gdap_check', arguments: {} }),
    );
    assert.ok(check.findings.total > 0);
    for (const f of check.findings.items) {
      assert.ok(f.relationshipId === null || emu.store.relationships.has(f.relationshipId));
    }
    assert.match(check.skipped, /Partner Center/);

    const withAccess = relationships.find((r) => r.status === 'active' && r.assignments.some((a) => a.status === 'active'));
    assert.ok(withAccess);
    const impact = json<{ impact: { customerTenantId: string; lost: { groupId: string }[]; keptThrough: { groupId: string }[] }[] }>(
      await client.callTool({ name: 'gdap_impact', arguments: { action: 'terminate', relationshipIds: [withAccess.id] } }),
    );
    assert.equal(impact.impact.length, 1);
    assert.equal(impact.impact[0].customerTenantId, withAccess.customer?.tenantId);
    const groups = new Set(withAccess.assignments.filter((a) => a.status === 'active').map((a) => a.containerId));
    for (const g of [...impact.impact[0].lost, ...impact.impact[0].keptThrough]) {
      assert.ok(groups.has(g.groupId));
    }

    // Templates are read from the server's working directory only, and planned without sending anything.
    writeFileSync(
      path.join(dir, 'mcp.gdap.json'),
      JSON.stringify({
        version: 1,
        relationships: [{ name: 'MCP plan', customers: [withAccess.customer?.tenantId], roles: ['Directory Readers'], assignments: [] }],
      }),
    );
    const sentBefore = mutatingRequests();
    const template = (await client.callTool({ name: 'gdap_plan_template', arguments: { template: 'mcp.gdap.json' } })) as CallToolResult;
    assert.equal(template.isError, undefined, textOf(template));
    const planned = JSON.parse(textOf(template)) as { plan: { changes: { action: string; customerTenantId: string }[] } };
    assert.ok(planned.plan.changes.some((c) => c.action === 'create' && c.customerTenantId === withAccess.customer?.tenantId));
    assert.equal(mutatingRequests(), sentBefore, 'planning sent a change');
    for (const [name, refusal] of [
      ['x.json', /not a template/],
      ['../outside.gdap.json', /No template/],
    ] as const) {
      const refused = (await client.callTool({ name: 'gdap_plan_template', arguments: { template: name } })) as CallToolResult;
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), refusal);
    }
  });

  it('refuses invalid input and ids that are not in the inventory, naming what to do', async () => {
    const client = await connect([]);
    const bad = (await client.callTool({ name: 'gdap_inventory', arguments: { query: 'x', status: 'bogus' } })) as CallToolResult;
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /status/);
    const unknown = '00000000-0000-4000-8000-00000000dead';
    const missing = (await client.callTool({
      name: 'gdap_impact',
      arguments: { action: 'terminate', relationshipIds: [unknown] },
    })) as CallToolResult;
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), new RegExp(`Not in the inventory: ${unknown}`));
    const tooMany = (await client.callTool({
      name: 'gdap_impact',
      arguments: { action: 'terminate', relationshipIds: Array.from({ length: 11 }, () => unknown) },
    })) as CallToolResult;
    assert.equal(tooMany.isError, true);
    assert.match(textOf(tooMany), /At most 10/);
  });

  it('with --allow-changes: refuses without elicitation, sends nothing when declined, and journals an accepted change as mcp', async () => {
    const target = [...emu.store.relationships.values()].find((r) => r.status === 'active' && r.customer?.tenantId !== undefined);
    assert.ok(target);

    const plain = await connect(['--allow-changes']);
    const listed = (await plain.listTools()).tools;
    assert.deepEqual(listed.map((t) => t.name).sort(), [...CHANGE_TOOLS, ...READ_TOOLS].sort());
    const manifest = JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { languageModelTools: { name: string; inputSchema: unknown }[] };
    };
    for (const t of listed.filter((x) => CHANGE_TOOLS.includes(x.name))) {
      assert.equal(t.annotations?.destructiveHint, true, t.name);
      assert.deepEqual(t.inputSchema, manifest.contributes.languageModelTools.find((m) => m.name === t.name)?.inputSchema, t.name);
    }
    const before = mutatingRequests();
    const refused = (await plain.callTool({ name: 'gdap_terminate', arguments: { relationshipIds: [target.id] } })) as CallToolResult;
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /cannot ask the user to confirm/);
    assert.equal(mutatingRequests(), before);

    const asked: string[] = [];
    const declining = await connect(['--allow-changes'], (message) => {
      asked.push(message);
      return { action: 'decline' };
    });
    const declined = json<{ sent: boolean; outcome: string }>(
      await declining.callTool({ name: 'gdap_terminate', arguments: { relationshipIds: [target.id] } }),
    );
    assert.equal(declined.sent, false);
    assert.equal(declined.outcome, 'notConfirmed');
    assert.equal(asked.length, 1);
    assert.match(asked[0], new RegExp(`Terminate the GDAP relationship "${target.displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    assert.equal(mutatingRequests(), before);
    assert.equal(emu.store.relationships.get(target.id)?.status, 'active');

    const accepting = await connect(['--allow-changes'], () => ({ action: 'accept', content: { confirm: true } }));
    const done = json<{ sent: boolean; results: { id: string; outcome: string }[] }>(
      await accepting.callTool({ name: 'gdap_terminate', arguments: { relationshipIds: [target.id] } }),
    );
    assert.equal(done.sent, true);
    // The count that stayed put above does move when a change is sent.
    assert.ok(mutatingRequests() > before);
    assert.deepEqual(
      done.results.map((r) => [r.id, r.outcome]),
      [[target.id, 'done']],
    );
    assert.ok(['terminationRequested', 'terminating', 'terminated'].includes(emu.store.relationships.get(target.id)?.status ?? ''));
    const records = (await fs.readFile(path.join(dir, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; action: string; origin?: string; target: { relationshipId?: string } });
    const mine = records.filter((r) => r.target.relationshipId === target.id);
    assert.deepEqual(
      mine.map((r) => [r.type, r.action, r.origin]),
      [
        ['intent', 'terminateRelationship', 'mcp'],
        ['outcome', 'terminateRelationship', 'mcp'],
      ],
    );
  });
});
