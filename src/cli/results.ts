import type { ItemResult } from '../core/actions/actionTypes';

export interface ResultLine {
  readonly id: string;
  readonly outcome: ItemResult['outcome'];
  readonly status: string | null;
  readonly error: string | null;
}

/** The mutation output contract: `{"results": [{"id", "outcome", "status", "error"}]}`, in the order asked. */
export function formatResults(results: readonly ItemResult[], order: readonly string[]): string {
  const rank = new Map(order.map((id, i) => [id.toLowerCase(), i]));
  const sorted = [...results].sort(
    (a, b) => (rank.get(a.id.toLowerCase()) ?? order.length) - (rank.get(b.id.toLowerCase()) ?? order.length),
  );
  const lines: ResultLine[] = sorted.map((r) => ({ id: r.id, outcome: r.outcome, status: r.status ?? null, error: r.error ?? null }));
  return `${JSON.stringify({ results: lines }, null, 2)}\n`;
}
