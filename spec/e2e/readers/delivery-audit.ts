/**
 * Checks on what a reader delivered, for the end-to-end tests that must catch lost, repeated
 * or reordered entries: each one answers a list of findings, empty when all is well.
 *
 * They work on a {@link Recorded} log of readers whose targets each read one namespace (or a
 * cluster-scoped kind): an entry belongs to the target of its kind and namespace.
 */
import type { Entry, ReaderTarget } from '../../../lib/index.js';
import type { Recorded } from './harness.js';

/** One write a test made, with the resourceVersion the API server gave it. */
export interface Write {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly change: 'added' | 'modified' | 'deleted';
  /**
   * The write's resourceVersion lies in `[low, high]`: one value when the server answered
   * with the object, a range when it answered with a `Status` (a ConfigMap's deletion).
   */
  readonly low: number;
  readonly high: number;
}

/** A list or relist of one target: from the position the reader had before it, to its own. */
interface Relist {
  readonly target: string;
  /** Index in the log of its (first) `list-started`. */
  readonly start: number;
  /** The last resourceVersion the reader had reported for the target before; 0 if none. */
  readonly from: number;
  readonly to: number;
}

const targetOf = (ref: Pick<ReaderTarget, 'kind' | 'namespace'>): string =>
  `${ref.kind}/${ref.namespace ?? ''}`;

/**
 * Walks the log keeping, per target, the position a watch must start from: the
 * resourceVersion of the last watch entry, bookmark or list end; a relist forgets it.
 */
function walk(
  log: readonly Recorded[],
  visit: (item: Recorded, index: number, position: string | undefined) => void,
): void {
  const positions = new Map<string, string | undefined>();
  log.forEach((item, index) => {
    if (item.type === 'sync') return;
    const target = targetOf(item.type === 'entry' ? item.entry : item.event.target);
    visit(item, index, positions.get(target));
    if (item.type === 'entry') {
      if (item.entry.source === 'apiserver.watch')
        positions.set(target, item.entry.resourceVersion);
      return;
    }
    const { event } = item;
    if (event.type === 'list-started') positions.set(target, undefined);
    const moves = event.type === 'list-finished' || event.type === 'bookmark';
    if (moves && event.resourceVersion !== '') positions.set(target, event.resourceVersion);
  });
}

/**
 * The watches that did not start from the newest resourceVersion their target had seen (from
 * events, bookmarks and lists): each one either skips changes or repeats them.
 */
export function misplacedWatches(log: readonly Recorded[]): string[] {
  const found: string[] = [];
  walk(log, (item, _index, position) => {
    if (item.type !== 'event' || item.event.type !== 'watch-started') return;
    const { resourceVersion, target } = item.event;
    // A streaming list starts with no resourceVersion; it is a list, not a re-watch.
    if (resourceVersion === undefined || resourceVersion === position) return;
    found.push(`${targetOf(target)} watched from ${resourceVersion}, had seen ${position}`);
  });
  return found;
}

/** The entries delivered more than once, as `name uid@resourceVersion:change`. */
export function repeatedEntries(entries: readonly Entry[]): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const entry of entries) {
    const key = `${entry.uid}@${entry.resourceVersion}:${entry.change}`;
    if (seen.has(key)) twice.push(`${entry.name} ${key}`);
    seen.add(key);
  }
  return twice;
}

/**
 * The entries whose resourceVersion, as an integer, is not above the previous entry of the
 * same UID. A relist's `deleted` entry may repeat the last resourceVersion: it is all the
 * reader knows of the object.
 */
export function backwardEntries(entries: readonly Entry[]): string[] {
  const last = new Map<string, number>();
  const found: string[] = [];
  for (const entry of entries) {
    const rv = Number(entry.resourceVersion);
    const previous = last.get(entry.uid);
    const sweep = entry.change === 'deleted' && entry.source === 'apiserver.list';
    if (previous !== undefined && (rv < previous || (rv === previous && !sweep))) {
      found.push(`${entry.name} ${entry.uid}: ${entry.change}@${rv} after @${previous}`);
    }
    last.set(entry.uid, rv);
  }
  return found;
}

function relistsOf(log: readonly Recorded[]): Relist[] {
  const open = new Map<string, { start: number; from: number }>();
  const relists: Relist[] = [];
  walk(log, (item, index, position) => {
    if (item.type !== 'event') return;
    const { event } = item;
    const target = targetOf(event.target);
    if (event.type === 'list-started' && !open.has(target)) {
      open.set(target, { start: index, from: Number(position ?? 0) });
    }
    const started = open.get(target);
    if (event.type === 'list-finished' && started !== undefined) {
      relists.push({ target, ...started, to: Number(event.resourceVersion) });
      open.delete(target);
    }
  });
  return relists;
}

/** What {@link auditWrites} found. */
export interface WriteAudit {
  /** Writes neither delivered as an entry nor covered by a list. */
  readonly missing: string[];
  /** Writes a list covered, after which the object's newer state never arrived. */
  readonly unrepaired: string[];
}

/**
 * Accounts for every write: it must arrive as a watch entry with its own change and
 * resourceVersion, unless it falls between the position the reader had before a list of its
 * target and that list's resourceVersion (the server forgot it, 410), in which case an entry
 * of the object must follow the list's start with that resourceVersion or later, or `deleted`
 * (or the reader never saw the object, which is gone from `truth`).
 *
 * @param log what the reader emitted
 * @param writes every write the test made
 * @param truth the UIDs of a fresh list, taken after the reader caught up
 * @returns the writes that were lost
 */
export function auditWrites(
  log: readonly Recorded[],
  writes: readonly Write[],
  truth: ReadonlySet<string>,
): WriteAudit {
  const relists = relistsOf(log);
  const byUid = new Map<string, Array<{ entry: Entry; index: number }>>();
  log.forEach((item, index) => {
    if (item.type !== 'entry') return;
    const seen = byUid.get(item.entry.uid) ?? [];
    seen.push({ entry: item.entry, index });
    byUid.set(item.entry.uid, seen);
  });

  const missing: string[] = [];
  const unrepaired: string[] = [];
  for (const write of writes) {
    const seen = byUid.get(write.uid) ?? [];
    const at = (entry: Entry): boolean => {
      const rv = Number(entry.resourceVersion);
      return rv >= write.low && rv <= write.high;
    };
    const delivered = seen.some(
      ({ entry }) =>
        entry.source === 'apiserver.watch' && entry.change === write.change && at(entry),
    );
    if (delivered) continue;
    const what = `${write.change} ${write.kind} ${write.name} ${write.uid}@${write.low}`;
    const covering = relists.filter(
      (r) => r.target === targetOf(write) && r.from < write.high && write.low <= r.to,
    );
    if (covering.length === 0) {
      missing.push(what);
      continue;
    }
    const after = (start: number): boolean =>
      seen.some(
        ({ entry, index }) =>
          index > start &&
          (entry.change === 'deleted' || Number(entry.resourceVersion) >= write.low),
      );
    const neverSeen = seen.length === 0 && !truth.has(write.uid);
    if (neverSeen || covering.some((relist) => after(relist.start))) continue;
    const ranges = covering.map((r) => `${r.from}..${r.to}`).join(', ');
    unrepaired.push(`${what}, covered by the list ${ranges}`);
  }
  return { missing, unrepaired };
}
