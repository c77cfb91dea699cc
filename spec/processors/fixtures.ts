import type { Batch, Change, Entry } from '../../lib/index.js';

/** An entry for a Pod with one secret-looking env value, as redaction would leave it. */
export function podEntry(name: string, change: Change = 'added'): Entry {
  return {
    kind: 'Pod',
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    resourceVersion: '7',
    change,
    source: 'apiserver.watch',
    observedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    object: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7' },
    },
  };
}

/** A batch of the given entries, in order. */
export function batchOf(entries: readonly Entry[]): Batch {
  const group = (key: (entry: Entry) => string): ReadonlyMap<string, readonly Entry[]> => {
    const groups = new Map<string, Entry[]>();
    for (const entry of entries) groups.set(key(entry), [...(groups.get(key(entry)) ?? []), entry]);
    return groups;
  };
  return {
    entries,
    size: entries.length,
    byKind: () => group((entry) => entry.kind),
    bySource: () => group((entry) => entry.source),
  };
}
