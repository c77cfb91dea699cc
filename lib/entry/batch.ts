import type { Entry } from './entry.js';

/**
 * What `batchByUid` emits: at most one entry per object UID, the newest seen in the window.
 *
 * `entries` keeps arrival order of each UID's first appearance in the window. `byKind` and
 * `bySource` group the same entries without copying them.
 */
export interface Batch {
  readonly entries: readonly Entry[];
  /** The number of entries, which is also the number of distinct UIDs. */
  readonly size: number;
  /** Entries grouped by `entry.kind`, each group in batch order. */
  byKind(): ReadonlyMap<string, readonly Entry[]>;
  /** Entries grouped by `entry.source`, each group in batch order. */
  bySource(): ReadonlyMap<string, readonly Entry[]>;
}
