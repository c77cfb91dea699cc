import fc from 'fast-check';
import { Subject, from, map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { CHANGES, batchByUid, type Batch, type Entry } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';

const a = makeEntry('a', '1');
const a2 = makeEntry('a', '2');
const b = makeEntry('b', '1');
const c = makeEntry('c', '1');
const d = makeEntry('d', '1');
const values = { a, A: a2, b, c, d };

/** A batch as its UIDs and resourceVersions, for readable marble expectations. */
const show = (batch: Batch): string =>
  batch.entries.map((entry) => `${entry.uid}@${entry.resourceVersion}`).join(',');

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('batchByUid', () => {
  it('should emit a batch when maxSize distinct UIDs are pending, before the time span', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d---------|', values);
      const subs = '       ^----------------!';
      const expected = '   -----x-------y---|';
      const output = source.pipe(batchByUid({ timeSpan: 6, maxSize: 3 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@1,b@1,c@1', y: 'd@1' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should emit a batch a time span after its first entry', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-a-b--------c------', values);
      const expected = '  ------x----------y-';
      const output = source.pipe(batchByUid({ timeSpan: 5, maxSize: 10 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@1,b@1', y: 'c@1' });
    });
  });

  it('should never emit an empty batch', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold<Entry>('----------------|');
      const output = source.pipe(batchByUid({ timeSpan: 3, maxSize: 2 }));
      expectObservable(output).toBe('----------------|');
    });
  });

  it('should start a new timer after a size-triggered flush', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-ab-c-------', values);
      const expected = '  --x------y--';
      const output = source.pipe(batchByUid({ timeSpan: 5, maxSize: 2 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@1,b@1', y: 'c@1' });
    });
  });

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

  it('should flush the pending batch when the source completes', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b|', values);
      const output = source.pipe(batchByUid({ timeSpan: 100, maxSize: 10 }), map(show));
      expectObservable(output).toBe('----(x|)', { x: 'a@1,b@1' });
    });
  });

  it('should emit the pending batch and then the error when the source errors', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b#', values, new Error('reader failed'));
      const output = source.pipe(batchByUid({ timeSpan: 100, maxSize: 10 }), map(show));
      expectObservable(output).toBe('----(x#)', { x: 'a@1,b@1' }, new Error('reader failed'));
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('should pass an error through alone when nothing is pending', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold<Entry>('---#');
      expectObservable(source.pipe(batchByUid({ timeSpan: 1, maxSize: 1 }))).toBe('---#');
    });
  });

  it('should discard the pending batch and stop its timer on early unsubscribe', () => {
    newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('-a--b----c--', values);
      const subs = '      ^----!------';
      const unsub = '     -----!------';
      const output = source.pipe(batchByUid({ timeSpan: 2, maxSize: 10 }), map(show));
      expectObservable(output, unsub).toBe('---x--------', { x: 'a@1' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should keep batching a source that never ends', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-----b-----c---', values);
      const subs = '       ^----------------';
      const expected = '   ---x-----y-----z-';
      const output = source.pipe(batchByUid({ timeSpan: 2, maxSize: 10 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@1', y: 'b@1', z: 'c@1' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should emit batches that group entries by kind and by source', () => {
    const pod = makeEntry('p', '1', 'added', 'Pod');
    const node = { ...makeEntry('n', '1', 'added', 'Node'), source: 'apiserver.list' };
    const batches: Batch[] = [];
    from([pod, node])
      .pipe(batchByUid({ timeSpan: 10, maxSize: 2 }))
      .subscribe((batch) => {
        batches.push(batch);
      });
    expect(batches).toHaveLength(1);
    const [batch] = batches as [Batch];
    expect(batch.size).toBe(2);
    expect(batch.byKind()).toEqual(
      new Map([
        ['Pod', [pod]],
        ['Node', [node]],
      ]),
    );
    expect(batch.bySource()).toEqual(
      new Map([
        ['apiserver.watch', [pod]],
        ['apiserver.list', [node]],
      ]),
    );
    expect(batch.byKind()).toBe(batch.byKind());
  });

  it.each([
    [{ timeSpan: 0, maxSize: 1 }, /timeSpan must be .* greater than 0/],
    [{ timeSpan: -5, maxSize: 1 }, /timeSpan/],
    [{ timeSpan: Number.NaN, maxSize: 1 }, /timeSpan/],
    [{ timeSpan: Infinity, maxSize: 1 }, /timeSpan/],
    [{ timeSpan: 10, maxSize: 0 }, /maxSize must be an integer of at least 1/],
    [{ timeSpan: 10, maxSize: 1.5 }, /maxSize/],
  ])('should throw a ConfigError at construction for %j', (options, message) => {
    expect(() => batchByUid(options)).toThrow(message);
    expect(() => batchByUid(options)).toThrow(expect.objectContaining({ _tag: 'ConfigError' }));
  });

  it('should accept maxSize Infinity and batch on time only', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-abcd---', values);
      const output = source.pipe(batchByUid({ timeSpan: 4, maxSize: Infinity }), map(show));
      expectObservable(output).toBe('-----x--', { x: 'a@1,b@1,c@1,d@1' });
    });
  });
});

/** The rule under test, written independently: may `next` replace the pending `current`? */
function replaces(next: Entry, current: Entry): boolean {
  if (current.change !== 'deleted') return true;
  const integer = /^\d+$/;
  if (!integer.test(next.resourceVersion) || !integer.test(current.resourceVersion)) return false;
  return BigInt(next.resourceVersion) > BigInt(current.resourceVersion);
}

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

const entryArbitrary = fc
  .record({
    uid: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    resourceVersion: fc.oneof(
      fc.integer({ min: 0, max: 30 }).map(String),
      fc.constantFrom('', 'x1', '007', '18446744073709551617'),
    ),
    change: fc.constantFrom(...CHANGES),
  })
  .map(({ uid, resourceVersion, change }) => makeEntry(uid, resourceVersion, change));

describe('batchByUid (properties)', () => {
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
  it('should close each batch a time span after its first entry, or at maxSize UIDs', () => {
    const timeSpan = 7;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), entryArbitrary), { maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (timeline, maxSize) => {
          let frame = 0;
          const arrivals = timeline.map(([gap, entry], index) => {
            frame += 2 * gap;
            return { frame, entry: { ...entry, observedAt: index } };
          });
          const actual: { frame: number; arrivals: number[] }[] = [];
          const scheduler = new TestScheduler(() => undefined);
          scheduler.run(() => {
            const source = new Subject<Entry>();
            source.pipe(batchByUid({ timeSpan, maxSize, scheduler })).subscribe((batch) => {
              const observed = batch.entries.map((entry) => entry.observedAt);
              actual.push({ frame: scheduler.now(), arrivals: observed });
            });
            for (const { frame, entry } of arrivals) {
              scheduler.schedule(() => source.next(entry), frame);
            }
          });
          expect(actual).toEqual(expectedTimedBatches(arrivals, timeSpan, maxSize));
        },
      ),
    );
  });
});

/** The windows of a timed input: open at a first entry, closed at +timeSpan or maxSize UIDs. */
function expectedTimedBatches(
  arrivals: readonly { frame: number; entry: Entry }[],
  timeSpan: number,
  maxSize: number,
): { frame: number; arrivals: number[] }[] {
  const batches: { frame: number; arrivals: number[] }[] = [];
  let window = new Map<string, Entry>();
  let closesAt = 0;
  const close = (frame: number) => {
    batches.push({ frame, arrivals: [...window.values()].map((entry) => entry.observedAt) });
    window = new Map();
  };
  for (const { frame, entry } of arrivals) {
    if (window.size > 0 && frame > closesAt) close(closesAt);
    if (window.size === 0) closesAt = frame + timeSpan;
    const current = window.get(entry.uid);
    if (current === undefined || replaces(entry, current)) window.set(entry.uid, entry);
    if (window.size === maxSize) close(frame);
  }
  if (window.size > 0) close(closesAt);
  return batches;
}
