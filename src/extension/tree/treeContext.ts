import type { RelationshipDisplayState } from '../../core/actions/relationshipFacts';
import type { GdapSettings } from '../settings';
import type { InventoryStore } from './inventoryStore';
import type { GdapNode } from './node';

export type StatusFilter = 'all' | RelationshipDisplayState;

export interface TreeFilter {
  readonly text: string;
  readonly status: StatusFilter;
}

export const NO_FILTER: TreeFilter = { text: '', status: 'all' };

/** What every node needs: data, settings, the filter, the clock, and the node registry. */
export interface TreeContext {
  readonly store: InventoryStore;
  settings(): GdapSettings;
  filter(): TreeFilter;
  now(): Date;
  /**
   * One node object per id for the life of the tree, so a precise refresh (`fire(node)`) finds the
   * element VS Code knows; `update` refreshes its data.
   */
  intern<T extends GdapNode>(id: string, create: () => T, update: (existing: T) => void): T;
  /** Loads in the view's progress bar. */
  withProgress<T>(task: () => Promise<T>): Promise<T>;
}
