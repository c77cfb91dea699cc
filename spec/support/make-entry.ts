import type { Change, Entry } from '../../lib/index.js';

/** Test helper: an entry for `uid` with just enough fields to batch, route and log. */
export function makeEntry(
  uid: string,
  resourceVersion = '1',
  change: Change = 'modified',
  kind = 'Pod',
): Entry {
  const name = `${kind.toLowerCase()}-${uid}`;
  return {
    object: { metadata: { uid, name, namespace: 'default', resourceVersion } },
    kind,
    uid,
    resourceVersion,
    namespace: 'default',
    name,
    change,
    source: 'apiserver.watch',
    observedAt: 0,
  };
}
