import type { KubernetesObject } from '@kubernetes/client-node';
import type { Change, Entry, EntrySource } from '../entry/entry.js';

/**
 * One entry as the shipped processors write it: the identifying fields first, then the object.
 *
 * `observedAt` is an ISO 8601 string (UTC), so that the line reads well and sorts as text.
 * `namespace` is `null` for cluster-scoped objects such as Nodes, so every line has the same
 * keys.
 */
export interface EntryRecord {
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly change: Change;
  readonly source: EntrySource;
  readonly observedAt: string;
  readonly object: KubernetesObject;
}

/**
 * Turns an {@link Entry} into the {@link EntryRecord} that the stdout, file and webhook
 * processors write.
 *
 * @param entry - the entry to describe; it is not copied, so `object` is shared.
 * @returns a plain record ready for `JSON.stringify`.
 * @example
 * ```ts
 * import { toEntryRecord } from 'tattler';
 *
 * const line = JSON.stringify(toEntryRecord(entry));
 * ```
 */
export function toEntryRecord(entry: Entry): EntryRecord {
  return {
    kind: entry.kind,
    namespace: entry.namespace ?? null,
    name: entry.name,
    uid: entry.uid,
    resourceVersion: entry.resourceVersion,
    change: entry.change,
    source: entry.source,
    observedAt: new Date(entry.observedAt).toISOString(),
    object: entry.object,
  };
}

/**
 * Serialises entries as NDJSON: one JSON document per entry, each ending in a newline.
 *
 * @param entries - the entries, in the order to write them.
 * @returns the text; the empty string for no entries.
 * @example
 * ```ts
 * import { toNdjson } from 'tattler';
 *
 * process.stdout.write(toNdjson(batch.entries));
 * ```
 *
 * Gotchas: JSON cannot hold `undefined`, so object fields set to `undefined` disappear.
 */
export function toNdjson(entries: readonly Entry[]): string {
  let text = '';
  for (const entry of entries) text += `${JSON.stringify(toEntryRecord(entry))}\n`;
  return text;
}
