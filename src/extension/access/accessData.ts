import { loadInventory, type Inventory } from '../../core/actions/inventory';
import { assignmentGroupIds, type GroupDirectory, type InsightContext } from '../../core/insight/accessRows';
import type { CommandDeps } from '../commands/commandDeps';

/*
 * What the Access Matrix and Check Access read: the inventory WITH access assignments (the tree loads
 * them lazily, per relationship) and, when `gdap.resolveGroupNames` is on, the security groups' names
 * and which of them are gone. One read serves both until the next refresh.
 */

export interface AccessData {
  readonly inventory: Inventory;
  readonly context: InsightContext;
}

export async function loadAccessData(deps: CommandDeps, signal?: AbortSignal): Promise<AccessData> {
  const graph = deps.clients().graph;
  const inventory = await loadInventory(graph, {
    includeAssignments: true,
    ...(signal !== undefined ? { signal } : {}),
    source: 'access',
  });
  const ids = assignmentGroupIds(inventory);
  let groups: GroupDirectory = {};
  if (deps.settings().resolveGroupNames && ids.length > 0 && graph.getGroupNames !== undefined) {
    const notFound = new Set<string>();
    const names = await graph.getGroupNames(ids, {
      ...(signal !== undefined ? { signal } : {}),
      onUnresolved: (id, error) => {
        if (error.kind === 'notFound') {
          notFound.add(id);
        }
      },
    });
    groups = { names, notFound };
  }
  return { inventory, context: { groups } };
}
