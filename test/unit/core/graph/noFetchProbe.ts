// Run in a child process by graphPipeline.test.ts: one Graph read through the whole pipeline (the Graph
// SDK, our middleware, the transport), then prints whether Node's fetch implementation was loaded.
import { GdapClient } from '../../../../src/core/graph/gdapClient';
import { createHttpTransport } from '../../../../src/core/http/transport';
import { emulatorEndpoints, exampleJson, FakeTokens, startTestServer } from '../helpers/testServer';

async function main(): Promise<void> {
  const server = await startTestServer(() => ({ status: 200, body: exampleJson('delegatedadminrelationship-get.response.json') }));
  const transport = createHttpTransport({ endpoints: emulatorEndpoints(server) });
  try {
    const client = new GdapClient({ endpoints: emulatorEndpoints(server), tokens: new FakeTokens(), transport });
    const relationship = await client.getRelationship('rel-1');
    // Node's list of the built-in modules loaded so far (not in its typings).
    const loaded = (process as unknown as { moduleLoadList: string[] }).moduleLoadList.filter((m) => m.includes('undici'));
    process.stdout.write(`${JSON.stringify({ id: relationship.id, requests: server.requests.length, loaded })}\n`);
  } finally {
    transport.close();
    await server.close();
  }
}

void main();
