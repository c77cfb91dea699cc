import type { Batch } from './batch.js';
import type { Entry } from './entry.js';

/**
 * Builds a {@link Batch} over entries that already hold at most one entry per UID.
 *
 * The array is taken as is, not copied: the caller hands it over and must not change it
 * afterwards. `byKind()` and `bySource()` group lazily on first call and cache the result,
 * so a processor that never groups pays nothing for it.
 *
 * @param entries - the entries of the batch, in batch order, one per UID.
 * @returns a read-only batch over `entries`.
 * @example
 * ```ts
 * import { createBatch, type Entry } from 'tattler';
 *
 * declare const podEntry: Entry, nodeEntry: Entry;
 * const batch = createBatch([podEntry, nodeEntry]);
 * batch.byKind().get('Pod'); // [podEntry]
 * ```
 *
 * Gotchas: `createBatch` does not deduplicate; `batchByUid` does that before calling it.
 */
export function createBatch(entries: readonly Entry[]): Batch {
  let kinds: ReadonlyMap<string, readonly Entry[]> | undefined;
  let sources: ReadonlyMap<string, readonly Entry[]> | undefined;
  return {
    entries,
    size: entries.length,
    byKind: () => (kinds ??= groupBy(entries, (entry) => entry.kind)),
    bySource: () => (sources ??= groupBy(entries, (entry) => entry.source)),
  };
}

function groupBy(
  entries: readonly Entry[],
  keyOf: (entry: Entry) => string,
): ReadonlyMap<string, readonly Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  return groups;
}
