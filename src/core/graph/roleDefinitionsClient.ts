import { z } from 'zod';
import { systemClock, type Clock } from '../http/clock';
import { errorFromResponse } from '../http/errorMapping';
import { gdapErrorOf } from '../http/gdapError';
import { msg } from '../messages';
import { resolveRetryPolicy } from '../http/retryPolicy';
import type { ServiceClientOptions } from '../http/serviceClientOptions';
import { ThrottleGate } from '../http/throttleGate';
import { liveRoleCatalog, type LiveRoleCatalog, type LiveRoleDefinition } from '../roles/roleLookup';
import { createGraphPipeline, type GraphPipeline } from './graphPipeline';
import { parseOrThrow } from './normalise';
import type { CallOptions } from './gdapApi';

/** The delegated scope that lets the partner read its directory's role definitions (docs/api-notes.md §15). */
export const ROLE_DEFINITIONS_SCOPE = 'RoleManagement.Read.Directory';

// Only what the merge needs; anything else the service adds is ignored (docs/architecture.md §2.2).
const roleDefinitionSchema = z
  .object({
    id: z.string(),
    templateId: z.string().nullish(),
    displayName: z.string().nullish(),
    isPrivileged: z.boolean().nullish(),
    isBuiltIn: z.boolean().nullish(),
  })
  .passthrough();

const pageSchema = z.object({ value: z.array(z.unknown()), '@odata.nextLink': z.string().optional() }).passthrough();

const MAX_PAGES = 50;

/**
 * `GET /roleManagement/directory/roleDefinitions?$select=id,templateId,displayName,isPrivileged,isBuiltIn`
 * (docs/api-notes.md §15): names and the privileged flag of every role the partner tenant's directory knows,
 * including roles newer than the static catalog. Read once per client and kept (the list changes a few times a
 * year); a failed read is not kept, so the next call tries again. Throws only `GdapError` (kind `forbidden`
 * without the `RoleManagement.Read.Directory` consent).
 */
export class RoleDefinitionsClient {
  private readonly pipeline: GraphPipeline;
  private readonly base: string;
  private readonly clock: Clock;
  private cached: Promise<LiveRoleCatalog> | undefined;

  constructor(options: ServiceClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.base = options.endpoints.graphBaseUrl.replace(/\/+$/, '');
    this.pipeline = createGraphPipeline({
      endpoints: options.endpoints,
      tokens: options.tokens,
      transport: options.transport,
      policy: resolveRetryPolicy(options.retry),
      clock: this.clock,
      gate: options.throttleGate ?? new ThrottleGate(this.clock),
      log: options.log,
      timeoutMs: options.timeoutMs,
    });
  }

  /** The live catalog, read on first use and cached. */
  catalog(options: CallOptions = {}): Promise<LiveRoleCatalog> {
    this.cached ??= this.list(options).then(liveRoleCatalog);
    this.cached.catch(() => (this.cached = undefined));
    return this.cached;
  }

  /** Every role definition, following nextLink on the Graph origin only. */
  async list(options: CallOptions = {}): Promise<LiveRoleDefinition[]> {
    const out: LiveRoleDefinition[] = [];
    let url: string | undefined =
      `${this.base}/roleManagement/directory/roleDefinitions?$select=id,templateId,displayName,isPrivileged,isBuiltIn`;
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES) {
        throw gdapErrorOf('invalidResponse', msg('Microsoft Graph kept returning more pages of role definitions; stopped.'));
      }
      const { response, clientRequestId } = await this.pipeline.send({
        method: 'GET',
        url,
        headers: { Accept: 'application/json' },
        signal: options.signal,
      });
      if (response.status !== 200) {
        throw errorFromResponse(response, { service: 'graph', method: 'GET', url, clientRequestId, ambiguous: false }, this.clock.now());
      }
      let body: unknown;
      try {
        body = JSON.parse(response.body) as unknown;
      } catch (e) {
        throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent {0} that is not valid JSON.', msg('role definitions')), {
          status: 200,
          cause: e,
        });
      }
      const parsed = parseOrThrow(pageSchema, body, msg('role definitions'));
      for (const raw of parsed.value) {
        const item = roleDefinitionSchema.safeParse(raw);
        if (!item.success) {
          continue; // One odd entry must not hide the names of all the others.
        }
        // Built-in roles: the id is the template id; custom roles carry their own templateId.
        const templateId = item.data.templateId ?? item.data.id;
        out.push({ templateId, displayName: item.data.displayName ?? null, isPrivileged: item.data.isPrivileged ?? null });
      }
      url = parsed['@odata.nextLink'] === undefined ? undefined : this.sameOrigin(parsed['@odata.nextLink']);
    }
    return out;
  }

  private sameOrigin(link: string): string {
    let next: URL;
    try {
      next = new URL(link, `${this.base}/`);
    } catch {
      throw gdapErrorOf('invalidResponse', msg('Microsoft Graph sent an invalid {0}.', 'nextLink'));
    }
    if (next.origin !== new URL(this.base).origin) {
      throw gdapErrorOf(
        'invalidResponse',
        msg('Microsoft Graph sent a {0} to another host ({1}); it was not followed.', 'nextLink', next.host),
      );
    }
    return next.href;
  }
}
