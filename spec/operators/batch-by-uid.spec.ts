import fc from 'fast-check';
import { Subject, from, map, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { batchByUid, type Batch, type Entry } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { entryArbitrary, newScheduler, replaces, show, values } from './batch-by-uid.fixtures.js';

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
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Entry>('----------------|');
      const subs = '              ^---------------!';
      const expected = '          ----------------|';
      const output = source.pipe(batchByUid({ timeSpan: 3, maxSize: 2 }));
      expectObservable(output).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should emit one entry as a batch of one, a time span after it', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-------|', values);
      const subs = '       ^--------!';
      const expected = '   ----x----|';
      const output = source.pipe(batchByUid({ timeSpan: 3, maxSize: 10 }), map(show));
      expectObservable(output).toBe(expected, { x: 'a@1' });
      expectSubscriptions(source.subscriptions).toBe(subs);
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

  it('should accept maxSize Infinity and batch on time only', () => {
    newScheduler().run(({ hot, expectObservable }) => {
      const source = hot('-abcd---', values);
      const output = source.pipe(batchByUid({ timeSpan: 4, maxSize: Infinity }), map(show));
      expectObservable(output).toBe('-----x--', { x: 'a@1,b@1,c@1,d@1' });
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

  it('should stop pulling a synchronous source once the output is unsubscribed', () => {
    let pulled = 0;
    function* entries(): Generator<Entry> {
      for (let i = 0; i < 1000; i += 1) {
        pulled += 1;
        yield makeEntry(`u${i}`);
      }
    }
    const batches: Batch[] = [];
    from(entries())
      .pipe(batchByUid({ timeSpan: 1000, maxSize: 1 }), take(1))
      .subscribe((batch) => batches.push(batch));
    expect(batches.map((batch) => batch.size)).toEqual([1]);
    expect(pulled).toBe(2);
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
});

describe('batchByUid (properties)', () => {
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
