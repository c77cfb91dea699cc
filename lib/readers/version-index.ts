import type { Entry } from '../entry/entry.js';

/** What the index keeps per object: enough to compare versions and describe a deletion. */
export interface IndexedObject {
  readonly uid: string;
  readonly resourceVersion: string;
  readonly name: string;
  readonly namespace: string | undefined;
}

interface Slot extends IndexedObject {
  /** The relist in which the object was last seen. */
  seenIn: number;
}

/**
 * The resourceVersion of every object a reader has delivered, keyed by UID, without the
 * objects themselves.
 *
 * A reader keeps one per watch so that a relist (after `410 Gone`, or a periodic one) can
 * tell what changed while it was away: {@link VersionIndex.observe} says whether a listed
 * object is new or has another resourceVersion, and {@link VersionIndex.sweep} answers the
 * objects the relist did not see, which were deleted meanwhile. Every operation is O(1) but
 * the sweep, which is O(objects), so a relist stays linear.
 *
 * @example
 * ```ts
 * import { VersionIndex, type Entry } from 'tattler';
 *
 * declare const listed: Entry[]; // the entries of a relist
 * const index = new VersionIndex();
 * index.apply(entry); // from the watch
 * index.beginRelist();
 * const changed = listed.filter((e) => index.observe(e));
 * const deleted = index.sweep();
 * ```
 *
 * Gotchas: observing outside a relist still records the object, but `sweep` only removes
 * objects missed since the last `beginRelist`.
 */
export class VersionIndex {
  private readonly slots = new Map<string, Slot>();
  private relist = 0;

  /** The number of objects indexed. */
  get size(): number {
    return this.slots.size;
  }

  /** The indexed version of an object, if any. */
  get(uid: string): IndexedObject | undefined {
    return this.slots.get(uid);
  }

  /** Records an entry from a watch: `deleted` forgets the object, anything else stores it. */
  apply(entry: Entry): void {
    if (entry.change === 'deleted') {
      this.slots.delete(entry.uid);
      return;
    }
    this.observe(entry);
  }

  /** Starts a relist: objects not observed from now until {@link sweep} count as deleted. */
  beginRelist(): void {
    this.relist += 1;
  }

  /**
   * Records a listed object and answers whether it changed: true for an object the index did
   * not hold or held at another resourceVersion.
   */
  observe(entry: Entry): boolean {
    const previous = this.slots.get(entry.uid);
    const changed = previous?.resourceVersion !== entry.resourceVersion;
    if (previous !== undefined && !changed) {
      previous.seenIn = this.relist;
      return false;
    }
    this.slots.set(entry.uid, {
      uid: entry.uid,
      resourceVersion: entry.resourceVersion,
      name: entry.name,
      namespace: entry.namespace,
      seenIn: this.relist,
    });
    return true;
  }

  /**
   * Marks an indexed object as seen in the current relist without changing its version: for
   * a listed object that could not be decoded, which exists all the same.
   */
  keep(uid: string): void {
    const slot = this.slots.get(uid);
    if (slot !== undefined) slot.seenIn = this.relist;
  }

  /** Forgets and answers the objects not observed since {@link beginRelist}. */
  sweep(): IndexedObject[] {
    const gone: IndexedObject[] = [];
    for (const slot of this.slots.values()) {
      if (slot.seenIn !== this.relist) gone.push(slot);
    }
    for (const slot of gone) this.slots.delete(slot.uid);
    return gone.map(({ uid, resourceVersion, name, namespace }) => ({
      uid,
      resourceVersion,
      name,
      namespace,
    }));
  }
}
