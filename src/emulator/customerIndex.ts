import type { RelationshipRecord } from './model';

/**
 * Relationships by lower-cased customer tenant id (`$filter=customer/tenantId eq '…'` compares
 * case-insensitively). The store keeps it current wherever a relationship's customer is set or it goes away.
 */
export class CustomerIndex {
  private readonly map = new Map<string, RelationshipRecord[]>();

  public clear(): void {
    this.map.clear();
  }

  public of(tenantId: string): readonly RelationshipRecord[] {
    return this.map.get(tenantId.toLowerCase()) ?? [];
  }

  public add(rel: RelationshipRecord): void {
    const key = rel.customer?.tenantId?.toLowerCase();
    if (key === undefined) {
      return;
    }
    const list = this.map.get(key);
    if (list === undefined) {
      this.map.set(key, [rel]);
    } else {
      list.push(rel);
    }
  }

  public remove(rel: RelationshipRecord): void {
    const key = rel.customer?.tenantId?.toLowerCase();
    const list = key === undefined ? undefined : this.map.get(key);
    if (key === undefined || list === undefined) {
      return;
    }
    const rest = list.filter((r) => r !== rel);
    if (rest.length === 0) {
      this.map.delete(key);
    } else {
      this.map.set(key, rest);
    }
  }
}
