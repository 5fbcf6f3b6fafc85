import type {
  BatchItemResult,
  CallOptions,
  CreateRelationshipInput,
  UpdateRelationshipInput,
  UpdateResult,
  WaitOptions,
} from '../../../../src/core/graph/gdapApi';
import type { Relationship, RelationshipOperation, RelationshipRequest, RequestAction } from '../../../../src/core/graph/models';
import type { Clock } from '../../../../src/core/http/clock';
import { GdapError } from '../../../../src/core/http/gdapError';
import { GLOBAL_ADMINISTRATOR_ROLE_ID } from '../../../../src/core/roles/roleCatalog';
import { faultError, notFound } from './fakeFaults';
import { FakeGdap } from './fakeGdap';

export const GA = GLOBAL_ADMINISTRATOR_ROLE_ID;
export const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';

/** A clock whose sleeps advance time at once: waits and polls take no real time. */
export function virtualClock(start = Date.parse('2026-06-01T00:00:00Z')): Clock & { slept: number } {
  const clock = {
    slept: 0,
    at: start,
    now: (): number => clock.at,
    sleep: async (ms: number): Promise<void> => {
      clock.at += ms;
      clock.slept += ms;
      await Promise.resolve();
    },
  };
  return clock;
}

/**
 * The fake Graph service with what the renewal mutations need: PATCH of `autoExtendDuration` (200) and of
 * `accessDetails` minus Global Administrator (an operation the client follows; `gaRemoval` says how it ends),
 * creating relationships (unique display names) and locking them for approval, operations, and a
 * concurrent change between read and write (`touchBeforeNextPatch`).
 */
export class RenewalFakeGdap extends FakeGdap {
  readonly operations = new Map<string, RelationshipOperation[]>();
  /** `succeeds`: the client returns the succeeded operation; `fails`: a failed one; `running`: the client's wait times out while it runs. */
  gaRemoval: 'succeeds' | 'fails' | 'running' = 'succeeds';
  /** Reads of a relationship before a running removal finishes. */
  runningReads = 2;
  private seq = 0;
  private touchIds = new Set<string>();

  touchBeforeNextPatch(id: string): void {
    this.touchIds.add(id);
  }

  /** Another writer changes the relationship (new ETag, same content). */
  touch(id: string): void {
    const r = this.relationships.get(id);
    if (r !== undefined) {
      this.relationships.set(id, { ...r, etag: this.nextEtag() });
    }
  }

  /** Applies a change, with the fault queued under `method` (thrown before or after applying). */
  private patch<T>(method: string, apply: () => T): Promise<T> {
    this.requestCount += 1;
    return Promise.resolve().then(() => {
      const fault = this.faults.take(method);
      if (fault !== undefined && !fault.applied) {
        throw faultError(fault);
      }
      const value = apply();
      if (fault !== undefined) {
        throw faultError(fault);
      }
      return value;
    });
  }

  override getRelationship(id: string, options?: CallOptions): Promise<Relationship> {
    this.progressRemoval(id);
    return super.getRelationship(id, options);
  }

  private progressRemoval(id: string): void {
    const running = (this.operations.get(id) ?? []).find((o) => o.status === 'running');
    if (running === undefined) {
      return;
    }
    this.runningReads -= 1;
    if (this.runningReads < 0) {
      const r = this.relationships.get(id);
      if (r !== undefined) {
        this.relationships.set(id, { ...r, roleDefinitionIds: r.roleDefinitionIds.filter((x) => x !== GA), etag: this.nextEtag() });
      }
      this.operations.set(
        id,
        (this.operations.get(id) ?? []).map((o) => (o === running ? { ...o, status: 'succeeded' } : o)),
      );
    }
  }

  override getRelationshipsMany(ids: readonly string[], options?: CallOptions): Promise<Map<string, BatchItemResult<Relationship>>> {
    for (const id of ids) {
      this.progressRemoval(id);
    }
    return super.getRelationshipsMany(ids, options);
  }

  override updateRelationship(
    id: string,
    etag: string,
    input: UpdateRelationshipInput,
    _options?: WaitOptions,
  ): Promise<UpdateResult<Relationship>> {
    this.calls.push({ method: 'updateRelationship', args: [id, etag, input] });
    if (this.touchIds.delete(id)) {
      this.touch(id);
    }
    return this.patch('patch', () => {
      const r = this.relationships.get(id);
      if (r === undefined) {
        throw notFound(`Relationship ${id}`);
      }
      if (r.etag !== etag) {
        throw new GdapError({ kind: 'preconditionFailed', status: 412, message: 'The ETag does not match.' });
      }
      if (input.autoExtendDuration !== undefined) {
        if (input.autoExtendDuration === 'P180D' && r.roleDefinitionIds.includes(GA)) {
          throw new GdapError({ kind: 'conflict', status: 400, message: 'Global Administrator blocks auto-extend.' });
        }
        const next = { ...r, autoExtendDuration: input.autoExtendDuration, etag: this.nextEtag() };
        this.relationships.set(id, next);
        return { kind: 'updated', value: next } as const;
      }
      const roles = input.roleDefinitionIds ?? r.roleDefinitionIds;
      if (!r.roleDefinitionIds.includes(GA) || roles.includes(GA)) {
        throw new GdapError({ kind: 'conflict', status: 400, message: 'Only removing Global Administrator is allowed.' });
      }
      this.seq += 1;
      const op: RelationshipOperation = {
        id: `op-${this.seq}`,
        relationshipId: id,
        operationType: 'unknownFutureValue',
        status: this.gaRemoval === 'succeeds' ? 'succeeded' : this.gaRemoval === 'fails' ? 'failed' : 'running',
        data: null,
        rawData: null,
        createdDateTime: null,
        lastModifiedDateTime: null,
        etag: null,
      };
      this.operations.set(id, [...(this.operations.get(id) ?? []), op]);
      if (this.gaRemoval === 'succeeds') {
        this.relationships.set(id, { ...r, roleDefinitionIds: roles, etag: this.nextEtag() });
      }
      if (this.gaRemoval === 'running') {
        // The client gave up following the operation: the outcome is unknown to the caller.
        throw new GdapError({ kind: 'timeout', message: 'The change is still being applied; stopped waiting.' });
      }
      return { kind: 'operation', operation: op } as const;
    });
  }

  override listOperations(relationshipId: string): Promise<RelationshipOperation[]> {
    this.calls.push({ method: 'listOperations', args: [relationshipId] });
    this.requestCount += 1;
    return Promise.resolve([...(this.operations.get(relationshipId) ?? [])]);
  }

  override waitForRelationship(id: string, done: (r: Relationship) => boolean): Promise<Relationship> {
    this.calls.push({ method: 'waitForRelationship', args: [id] });
    return (async () => {
      for (let i = 0; i < 20; i += 1) {
        const r = await this.getRelationship(id);
        if (done(r)) {
          return r;
        }
      }
      throw new GdapError({ kind: 'timeout', message: 'Still waiting.' });
    })();
  }

  override createRelationship(input: CreateRelationshipInput): Promise<Relationship> {
    this.calls.push({ method: 'createRelationship', args: [input] });
    return this.patch('createRelationship', () => {
      if ([...this.relationships.values()].some((r) => r.displayName.toLowerCase() === input.displayName.toLowerCase())) {
        throw new GdapError({ kind: 'conflict', status: 400, message: 'The display name is taken.' });
      }
      this.seq += 1;
      return this.addRelationship({
        id: `new-${this.seq}`,
        displayName: input.displayName,
        status: 'created',
        duration: input.duration,
        roleDefinitionIds: [...input.roleDefinitionIds],
        autoExtendDuration: input.autoExtendDuration ?? 'PT0S',
        customer:
          input.customer !== undefined ? { tenantId: input.customer.tenantId, displayName: input.customer.displayName ?? null } : null,
        endDateTime: null,
        activatedDateTime: null,
      });
    });
  }

  override createRequest(relationshipId: string, action: RequestAction, options?: CallOptions): Promise<RelationshipRequest> {
    if (action !== 'lockForApproval') {
      return super.createRequest(relationshipId, action, options);
    }
    this.calls.push({ method: 'createRequest', args: [relationshipId, action] });
    return this.patch('lockForApproval', () => {
      const r = this.relationships.get(relationshipId);
      if (r === undefined) {
        throw notFound(`Relationship ${relationshipId}`);
      }
      if (r.status !== 'created') {
        throw new GdapError({ kind: 'conflict', status: 400, message: `Cannot lock a relationship in status ${r.status}.` });
      }
      this.relationships.set(relationshipId, { ...r, status: 'approvalPending', etag: this.nextEtag() });
      this.seq += 1;
      return {
        id: `lock-${this.seq}`,
        relationshipId,
        action,
        status: 'succeeded',
        createdDateTime: null,
        lastModifiedDateTime: null,
        etag: null,
      };
    });
  }
}
