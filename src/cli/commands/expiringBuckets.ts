import { expiryBuckets } from '../../core/actions/expiryBuckets';
import { loadInventory } from '../../core/actions/inventory';
import { EXIT_OK, type ExitCode } from '../exitCodes';
import { inventoryRelationships } from '../inventoryOutput';
import type { CommandContext } from '../run';

/**
 * `gdap expiring --bucket`: relationships that will stop granting access by themselves, in the buckets
 * ends within 1, 7, 30 days and ended in the last 30 days, each with its `reason` (docs/renewal.md).
 * Reads every relationship (not only active ones): the ended bucket needs the expired ones.
 */
export async function runExpiringBuckets(ctx: CommandContext, days: number): Promise<ExitCode> {
  await ctx.auth.tokens.getToken('graph', { signal: ctx.io.signal });
  const now = new Date();
  const inventory = await loadInventory(ctx.clients.graph, {
    includeAssignments: false,
    signal: ctx.io.signal,
    now,
    source: ctx.endpoints.emulator !== undefined ? 'emulator' : `graph:${ctx.endpoints.cloud}`,
  });
  const buckets = expiryBuckets(inventoryRelationships(inventory), now, days);
  ctx.io.stdout.write(`${JSON.stringify({ generatedAt: inventory.generatedAt, source: inventory.source, days, buckets }, null, 2)}\n`);
  return EXIT_OK;
}
