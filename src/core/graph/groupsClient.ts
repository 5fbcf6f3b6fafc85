import { gdapErrorOf, isGdapError } from '../http/gdapError';
import { msg } from '../messages';
import type { BatchOutcome } from './batchEngine';
import type { GraphBatchReads } from './batchReads';
import type { GroupNameOptions } from './gdapApi';
import { parseOrThrow } from './normalise';
import { isGuid } from './preconditions';
import { groupNameSchema } from './schemas';

/**
 * Display names of the partner tenant's security groups (access containers):
 * `GET /groups/{id}?$select=id,displayName` through the request engine. Names are a convenience:
 * every id is in the result, mapped to its name or to itself (reported through `onUnresolved`).
 */
export class GroupsClient {
  constructor(private readonly batch: GraphBatchReads) {}

  /** Reads names of GUID ids; a failure of the whole engine run (other than cancellation) fails each id alike. */
  private async readNames(ids: readonly string[], names: Map<string, string>, signal?: AbortSignal): Promise<Map<string, BatchOutcome>> {
    try {
      return await this.batch.run(
        ids.map((id) => ({ key: id, url: `/groups/${id}?$select=id,displayName` })),
        (key, body) => {
          const group = parseOrThrow(groupNameSchema, body, msg('a security group'));
          if (group.displayName !== null && group.displayName.trim() !== '') {
            names.set(key, group.displayName);
          }
          return undefined;
        },
        signal,
      );
    } catch (e) {
      const error = isGdapError(e) ? e : gdapErrorOf('network', msg('Security group names could not be read.'), { cause: e });
      if (error.kind === 'cancelled') {
        throw error;
      }
      return new Map(ids.map((id) => [id, { ok: false, error }]));
    }
  }

  async getGroupNames(ids: readonly string[], options: GroupNameOptions = {}): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    // Access container ids are directory object ids (GUIDs); anything else is shown as it is, unsent.
    const valid = unique.filter((id) => isGuid(id));
    const names = new Map<string, string>();
    const outcomes = valid.length > 0 ? await this.readNames(valid, names, options.signal) : new Map<string, BatchOutcome>();
    const out = new Map<string, string>();
    for (const id of unique) {
      const name = names.get(id);
      out.set(id, name ?? id);
      if (name !== undefined) {
        continue;
      }
      const outcome = outcomes.get(id);
      const error = !isGuid(id)
        ? gdapErrorOf('invalidInput', msg('The security group id is not a GUID; its name was not looked up.'))
        : outcome !== undefined && !outcome.ok
          ? outcome.error
          : gdapErrorOf('invalidResponse', msg('Microsoft Graph returned the group without a display name.'));
      options.onUnresolved?.(id, error);
    }
    return out;
  }
}
