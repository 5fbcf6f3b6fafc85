import { GdapError, gdapErrorOf, isGdapError } from '../http/gdapError';
import { msg } from '../messages';
import { BATCH_DONE, type BatchOutcome, type BatchRead, type BatchStep, runBatchedReads } from './batchEngine';
import type { BatchItemResult, BatchResults, CallOptions, StreamedReadOptions } from './gdapApi';
import type { GraphPager } from './graphPager';
import type { GraphRequester } from './graphRequester';
import type { AccessAssignment, Relationship } from './models';
import { normaliseAccessAssignment, normaliseRelationship, parseCollection } from './normalise';
import { assertOpaqueId } from './preconditions';

export interface BatchSettings {
  /** `$batch` requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Sub-requests per `$batch`, ≤ 20. Default 20. */
  readonly batchSize?: number;
}

/**
 * Reads one page (or the single resource) of `key` from a sub-response body and says what comes next
 * (a nextLink URL) or undefined when the key is complete. May throw GdapError (a malformed body): that
 * fails this key only.
 */
export type PageReader = (key: string, body: unknown) => string | undefined;

function missingAnswer(): GdapError {
  return gdapErrorOf('invalidResponse', msg('Microsoft Graph sent no answer for this item.'));
}

/** One key's result: the engine's outcome joined with the value its page reader collected. */
function resultOf<T>(outcome: BatchOutcome | undefined, value: T | undefined): BatchItemResult<T> {
  if (outcome !== undefined && !outcome.ok) {
    return { ok: false, error: outcome.error };
  }
  return outcome !== undefined && value !== undefined ? { ok: true, value } : { ok: false, error: missingAnswer() };
}

/** Joins the engine's per-key outcomes with the values the page readers collected: one result per key, in `keys` order. */
export function assembleResults<T>(
  keys: readonly string[],
  outcomes: ReadonlyMap<string, BatchOutcome>,
  valueOf: (key: string) => T | undefined,
): BatchResults<T> {
  const out: BatchResults<T> = new Map();
  for (const key of keys) {
    out.set(key, resultOf(outcomes.get(key), valueOf(key)));
  }
  return out;
}

/**
 * The batched reads of the Graph client (docs/api-notes.md §9.3): many independent GETs through the
 * request engine, each key's result its own (value or error) and every requested key present.
 */
export class GraphBatchReads {
  constructor(
    private readonly requester: GraphRequester,
    private readonly pager: GraphPager,
    private readonly settings: BatchSettings,
  ) {}

  /** The engine's step for one sub-response: a page reader's verdict, its nextLink kept on the Graph root. */
  private step(read: PageReader, key: string, body: unknown): BatchStep {
    try {
      const next = read(key, body);
      if (next === undefined) {
        return BATCH_DONE;
      }
      const rel = this.requester.relative(this.requester.checkServiceUrl(next, 'nextLink'));
      if (rel === undefined) {
        const message = msg('Microsoft Graph sent a nextLink outside the API root; it was not followed.');
        return { kind: 'failed', error: gdapErrorOf('invalidResponse', message) };
      }
      return { kind: 'next', read: { key, url: rel } };
    } catch (e) {
      // A malformed page fails its own key only.
      const error = isGdapError(e) ? e : new GdapError({ kind: 'invalidResponse', message: String(e), cause: e });
      return { kind: 'failed', error };
    }
  }

  /**
   * Runs `reads` through the engine; resolves with one outcome per key, rejects only when cancelled or
   * the source throws. `onSettled` is told each key's outcome as soon as it is final.
   */
  run(
    reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
    read: PageReader,
    signal?: AbortSignal,
    onSettled?: (key: string, outcome: BatchOutcome) => void,
  ): Promise<Map<string, BatchOutcome>> {
    return runBatchedReads(
      reads,
      (key, response) => this.step(read, key, response.body),
      {
        postBatch: (body, s) => this.requester.postBatch(body, s),
        clock: this.requester.clock,
        policy: this.requester.policy,
        gate: this.requester.gate,
        log: this.requester.log,
        concurrency: this.settings.concurrency,
        batchSize: this.settings.batchSize,
        onSettled,
      },
      signal,
    );
  }

  private assignmentsRead(relationshipId: string): BatchRead {
    const url = this.pager.withTop(`${this.requester.relationshipUrl(relationshipId)}/accessAssignments`);
    return { key: relationshipId, url: this.requester.relative(url) ?? '' };
  }

  async listAccessAssignmentsForMany(
    relationshipIds: readonly string[],
    options: CallOptions = {},
  ): Promise<BatchResults<AccessAssignment[]>> {
    relationshipIds.forEach((id) => assertOpaqueId(id, 'The relationship id'));
    const unique = [...new Set(relationshipIds)];
    const collected = new Map<string, AccessAssignment[]>(unique.map((id) => [id, []]));
    return this.assignmentsOf(
      unique,
      collected,
      unique.map((id) => this.assignmentsRead(id)),
      options,
    );
  }

  async listAccessAssignmentsForManyStreamed(
    relationshipIds: AsyncIterable<readonly string[]>,
    options: StreamedReadOptions<AccessAssignment[]> = {},
  ): Promise<BatchResults<AccessAssignment[]>> {
    const unique: string[] = [];
    const requested = new Set<string>();
    const collected = new Map<string, AccessAssignment[]>();
    const reads = async function* (self: GraphBatchReads): AsyncGenerator<BatchRead[]> {
      for await (const group of relationshipIds) {
        const fresh: BatchRead[] = [];
        for (const id of group) {
          assertOpaqueId(id, 'The relationship id');
          // Read once, however often the source names it (a page that shifted lists it again).
          if (!requested.has(id)) {
            requested.add(id);
            collected.set(id, []);
            unique.push(id);
            fresh.push(self.assignmentsRead(id));
          }
        }
        yield fresh;
      }
    };
    return this.assignmentsOf(unique, collected, reads(this), options);
  }

  /** `ids` and `collected` may still be filled while the reads stream in; both are complete when the engine ends. */
  private async assignmentsOf(
    ids: readonly string[],
    collected: Map<string, AccessAssignment[]>,
    reads: readonly BatchRead[] | AsyncIterable<readonly BatchRead[]>,
    options: StreamedReadOptions<AccessAssignment[]>,
  ): Promise<BatchResults<AccessAssignment[]>> {
    const { onResult } = options;
    /** Keys whose value went to `onResult` only (`retainDelivered: false`): left out of the returned map. */
    const handedOver = new Set<string>();
    const settled =
      onResult === undefined
        ? undefined
        : (key: string, outcome: BatchOutcome): void => {
            const result = resultOf(outcome, collected.get(key));
            onResult(key, result);
            if (result.ok && options.retainDelivered === false) {
              collected.delete(key);
              handedOver.add(key);
            }
          };
    const outcomes = await this.run(
      reads,
      (key, body) => {
        const page = parseCollection(body, msg('access assignments'));
        collected.get(key)?.push(...page.value.map((raw) => normaliseAccessAssignment(raw, key)));
        return page['@odata.nextLink'];
      },
      options.signal,
      settled,
    );
    return assembleResults(handedOver.size === 0 ? ids : ids.filter((id) => !handedOver.has(id)), outcomes, (id) => collected.get(id));
  }

  async getRelationshipsMany(ids: readonly string[], options: CallOptions = {}): Promise<BatchResults<Relationship>> {
    ids.forEach((id) => assertOpaqueId(id, 'The relationship id'));
    const unique = [...new Set(ids)];
    const values = new Map<string, Relationship>();
    const outcomes = await this.run(
      unique.map((id) => ({ key: id, url: this.requester.relative(this.requester.relationshipUrl(id)) ?? '' })),
      (key, body) => {
        values.set(key, normaliseRelationship(body));
        return undefined;
      },
      options.signal,
    );
    return assembleResults(unique, outcomes, (id) => values.get(id));
  }

  async getAccessAssignmentsMany(
    targets: readonly { relationshipId: string; assignmentId: string }[],
    options: CallOptions = {},
  ): Promise<BatchResults<AccessAssignment>> {
    for (const t of targets) {
      assertOpaqueId(t.relationshipId, 'The relationship id');
      assertOpaqueId(t.assignmentId, 'The access assignment id');
    }
    const byKey = new Map(targets.map((t) => [`${t.relationshipId}/${t.assignmentId}`, t]));
    const values = new Map<string, AccessAssignment>();
    const outcomes = await this.run(
      [...byKey].map(([key, t]) => ({
        key,
        url: this.requester.relative(this.requester.assignmentUrl(t.relationshipId, t.assignmentId)) ?? '',
      })),
      (key, body) => {
        values.set(key, normaliseAccessAssignment(body, byKey.get(key)?.relationshipId ?? ''));
        return undefined;
      },
      options.signal,
    );
    return assembleResults([...byKey.keys()], outcomes, (key) => values.get(key));
  }
}
