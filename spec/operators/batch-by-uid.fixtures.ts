import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { CHANGES, type Batch, type Entry } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';

export const a = makeEntry('a', '1');
export const a2 = makeEntry('a', '2');
export const b = makeEntry('b', '1');
export const c = makeEntry('c', '1');
export const d = makeEntry('d', '1');
/** The entries marbles name; `A` is a newer version of `a`. */
export const values = { a, A: a2, b, c, d };

/** A batch as its UIDs and resourceVersions, for readable marble expectations. */
export const show = (batch: Batch): string =>
  batch.entries.map((entry) => `${entry.uid}@${entry.resourceVersion}`).join(',');

export function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The rule under test, written independently: may `next` replace the pending `current`? */
export function replaces(next: Entry, current: Entry): boolean {
  if (current.change !== 'deleted') return true;
  const integer = /^\d+$/;
  if (!integer.test(next.resourceVersion) || !integer.test(current.resourceVersion)) return false;
  return BigInt(next.resourceVersion) > BigInt(current.resourceVersion);
}

/** Entries over a few UIDs, with integer and opaque resourceVersions and every change. */
export const entryArbitrary = fc
  .record({
    uid: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    resourceVersion: fc.oneof(
      fc.integer({ min: 0, max: 30 }).map(String),
      fc.constantFrom('', 'x1', '007', '18446744073709551617'),
    ),
    change: fc.constantFrom(...CHANGES),
  })
  .map(({ uid, resourceVersion, change }) => makeEntry(uid, resourceVersion, change));
