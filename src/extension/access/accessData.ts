import { loadInventory, type Inventory } from '../../core/actions/inventory';
import type { CoreClients } from '../../core/coreClients';
import { RoleDefinitionsClient } from '../../core/graph/roleDefinitionsClient';
import { redact } from '../../core/http/redact';
import { createHttpTransport } from '../../core/http/transport';
import { assignmentGroupIds, type GroupDirectory, type InsightContext } from '../../core/insight/accessRows';
import type { LiveRoleCatalog } from '../../core/roles/roleLookup';
import type { CommandDeps } from '../commands/commandDeps';
import { liveRolesEnabled } from './accessSettings';

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
  const roles = liveRolesEnabled() ? await liveRoles(deps, signal) : undefined;
  return { inventory, context: { groups, ...(roles !== undefined ? { roles } : {}) } };
}

/** One live catalog per set of clients (a sign-in): the list changes a few times a year. */
const catalogs = new WeakMap<CoreClients, Promise<LiveRoleCatalog>>();

/**
 * The directory's role definitions (`gdap.roles.live`); undefined, with a log line, when they cannot be
 * read (no `RoleManagement.Read.Directory` consent): the built-in catalog then names the roles. A failed
 * read is not kept, so the next use tries again.
 */
async function liveRoles(deps: CommandDeps, signal?: AbortSignal): Promise<LiveRoleCatalog | undefined> {
  const clients = deps.clients();
  let pending = catalogs.get(clients);
  if (pending === undefined) {
    const endpoints = deps.endpoints();
    const transport = createHttpTransport({ endpoints });
    pending = new RoleDefinitionsClient({ endpoints, tokens: deps.auth, transport })
      .catalog(signal !== undefined ? { signal } : {})
      .finally(() => transport.close());
    catalogs.set(clients, pending);
  }
  try {
    return await pending;
  } catch (e) {
    catalogs.delete(clients);
    deps.log.warn(
      `Live role catalog (gdap.roles.live): ${redact(e instanceof Error ? e.message : String(e)).split('\n')[0]} — roles are named from the built-in list.`,
    );
    return undefined;
  }
}
