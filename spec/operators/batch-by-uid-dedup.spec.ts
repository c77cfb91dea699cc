import fc from 'fast-check';
import { from, map } from 'rxjs';
import { batchByUid, type Batch, type Entry } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { entryArbitrary, newScheduler, replaces, show, values } from './batch-by-uid.fixtures.js';

describe('batchByUid: one entry per UID', () => {
  it('should keep the newest entry of a UID in the place of its first appearance', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b-A----', values);
      const expected = '  ------x---';
      const output = source.pipe(batchByUid({ timeSpan: 5, maxSize: 10 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@2,b@1' });
    });
  });

  it('should count distinct UIDs, not entries, towards maxSize', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-aAaAb-', values);
      const expected = '  -----x-';
      const output = source.pipe(batchByUid({ timeSpan: 50, maxSize: 2 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@2,b@1' });
    });
  });

  it('should keep a deleted entry over a later entry that is not provably newer', () => {
    const deleted = makeEntry('a', '7', 'deleted');
    const cases = {
      x: deleted,
      o: makeEntry('a', '6'),
      s: makeEntry('a', '7', 'snapshot'),
      q: makeEntry('a', 'opaque-9'),
      n: makeEntry('a', '10'),
    };
    newScheduler().run(({ hot, expectObservable }) => {
      const stale = hot('-xosq---', cases).pipe(batchByUid({ timeSpan: 5, maxSize: 10 }));
      const newer = hot('-xn-----', cases).pipe(batchByUid({ timeSpan: 5, maxSize: 10 }));
      const expected = '  ------y-';
      expectObservable(stale.pipe(map((batch) => batch.entries))).toBe(expected, {
        y: [deleted],
      });
      expectObservable(newer.pipe(map((batch) => batch.entries))).toBe(expected, {
        y: [cases.n],
      });
    });
  });

  it('should compare integer resourceVersions by value, not as text', () => {
    const deleted = makeEntry('a', '99', 'deleted');
    const newer = makeEntry('a', '100');
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-xn---', { x: deleted, n: newer });
      const output = source.pipe(
        batchByUid({ timeSpan: 3, maxSize: 10 }),
        map((batch) => batch.entries),
      );
      expectObservable(output).toBe('----y-', { y: [newer] });
    });
  });
});

/** Splits the input where maxSize distinct UIDs were reached and folds each window by UID. */
function expectedBatches(entries: readonly Entry[], maxSize: number): Entry[][] {
  const batches: Entry[][] = [];
  let window = new Map<string, Entry>();
  for (const entry of entries) {
    const current = window.get(entry.uid);
    if (current === undefined || replaces(entry, current)) window.set(entry.uid, entry);
    if (window.size === maxSize) {
      batches.push([...window.values()]);
      window = new Map();
    }
  }
  if (window.size > 0) batches.push([...window.values()]);
  return batches;
}

describe('batchByUid: one entry per UID (properties)', () => {
  it('should emit exactly the newest entry of every UID of each window, once, never empty', () => {
    fc.assert(
      fc.property(
        fc.array(entryArbitrary, { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (generated, maxSize) => {
          const entries = generated.map((entry, index) => ({ ...entry, observedAt: index }));
          const batches: Batch[] = [];
          from(entries)
            .pipe(batchByUid({ timeSpan: 1000, maxSize }))
            .subscribe((batch) => batches.push(batch));
          for (const batch of batches) {
            expect(batch.size).toBeGreaterThan(0);
            expect(batch.size).toBe(batch.entries.length);
            expect(new Set(batch.entries.map((entry) => entry.uid)).size).toBe(batch.size);
          }
          const arrivals = (batch: readonly Entry[]) => batch.map((entry) => entry.observedAt);
          const actual = batches.map((batch) => arrivals(batch.entries));
          expect(actual).toEqual(expectedBatches(entries, maxSize).map(arrivals));
        },
      ),
    );
  });
});
