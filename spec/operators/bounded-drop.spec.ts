import { either as E } from 'fp-ts';
import { NEVER, Subject, from, lastValueFrom, map, tap, throwError, timer, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { boundedDrop, type DropReport, type ProcessFailure } from '../../lib/index.js';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** An outcome as text: `A` for right('a'), `!a` for left({ value: 'a' }). */
const show = (outcome: E.Either<ProcessFailure<string>, string>): string =>
  E.isRight(outcome) ? outcome.right.toUpperCase() : `!${outcome.left.value}`;

const slow = (frames: number) => () => timer(frames);

describe('boundedDrop', () => {
  it('should drop the arriving value when full with drop-newest, and count it', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const drops: DropReport<string>[] = [];
      const source = cold('a-b-c-d-------|');
      const subs = '       ^-------------!';
      const expected = '   -----A----B----(D|)';
      const output = source.pipe(
        boundedDrop({
          capacity: 1,
          overflow: 'drop-newest',
          process: slow(5),
          size: () => 3,
          onDrop: (report) => drops.push(report),
        }),
        map(show),
      );
      expectObservable(output).toBe(expected, { A: 'A', B: 'B', D: 'D' });
      expectSubscriptions(source.subscriptions).toBe(subs);
      cold('-----|').subscribe({
        complete: () => {
          expect(drops).toEqual([
            { reason: 'overflow', value: 'c', totals: { values: 1, size: 3 } },
          ]);
        },
      });
    });
  });

  it('should drop the longest-waiting value when full with drop-oldest, and count it', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const dropped: string[] = [];
      const source = cold('a-b-c-d-------|');
      const expected = '   -----A----C----(D|)';
      const output = source.pipe(
        boundedDrop({
          capacity: 1,
          overflow: 'drop-oldest',
          process: slow(5),
          onDrop: ({ value }) => dropped.push(value),
        }),
        map(show),
      );
      expectObservable(output).toBe(expected, { A: 'A', C: 'C', D: 'D' });
      cold('-------|').subscribe({ complete: () => expect(dropped).toEqual(['b']) });
    });
  });

  it('should keep order and drop exactly the overflow of a burst, for both policies', () => {
    const burst = 'abcdefghij'.split('');
    const run = (overflow: 'drop-newest' | 'drop-oldest') => {
      const delivered: string[] = [];
      const reports: DropReport<string>[] = [];
      newScheduler().run(({ expectObservable }) => {
        const output = from(burst).pipe(
          boundedDrop({ capacity: 3, overflow, process: slow(4), onDrop: (r) => reports.push(r) }),
          map(show),
          tap((value) => delivered.push(value)),
        );
        expectObservable(output).toBe('----a---b---c---(d|)', {
          a: 'A',
          b: overflow === 'drop-newest' ? 'B' : 'H',
          c: overflow === 'drop-newest' ? 'C' : 'I',
          d: overflow === 'drop-newest' ? 'D' : 'J',
        });
      });
      return { delivered, reports };
    };
    const newest = run('drop-newest');
    expect(newest.reports.map((r) => r.value).join('')).toBe('efghij');
    expect(newest.reports.at(-1)?.totals).toEqual({ values: 6, size: 6 });
    const oldest = run('drop-oldest');
    expect(oldest.reports.map((r) => r.value).join('')).toBe('bcdefg');
    expect(oldest.delivered).toEqual(['A', 'H', 'I', 'J']);
  });

  it('should report a failing process as a Left and go on', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b--c---|');
      const process = (value: string) =>
        value === 'b' ? cold('--#', undefined, new Error('webhook down')) : cold('-|');
      const output = source.pipe(boundedDrop({ capacity: 5, overflow: 'drop-newest', process }));
      expectObservable(output).toBe('-a--b-c--|', {
        a: E.right('a'),
        b: E.left({ value: 'b', error: new Error('webhook down') }),
        c: E.right('c'),
      });
    });
  });

  it('should report a process that throws synchronously as a Left and go on', async () => {
    const process = (value: number) => {
      if (value === 2) throw new Error('not a batch');
      return Promise.resolve();
    };
    const outcomes = await lastValueFrom(
      from([1, 2, 3]).pipe(
        boundedDrop({ capacity: 5, overflow: 'drop-newest', process }),
        toArray(),
      ),
    );
    expect(outcomes).toEqual([
      E.right(1),
      E.left({ value: 2, error: new Error('not a batch') }),
      E.right(3),
    ]);
  });

  it('should wait for Promises one at a time and report rejections', async () => {
    let running = 0;
    let most = 0;
    const process = async (value: number) => {
      running += 1;
      most = Math.max(most, running);
      await Promise.resolve();
      running -= 1;
      if (value % 2 === 0) throw new Error(`rejected ${value}`);
    };
    const outcomes = await lastValueFrom(
      from([1, 2, 3, 4]).pipe(
        boundedDrop({ capacity: 4, overflow: 'drop-oldest', process }),
        toArray(),
      ),
    );
    expect(most).toBe(1);
    expect(
      outcomes.map((outcome) => (E.isRight(outcome) ? outcome.right : -outcome.left.value)),
    ).toEqual([1, -2, 3, -4]);
  });

  it('should complete at once on an empty source', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold<string>('---|');
      const output = source.pipe(
        boundedDrop({ capacity: 1, overflow: 'drop-newest', process: slow(5) }),
      );
      expectObservable(output).toBe('---|');
    });
  });

  it('should drain the queue before passing on a source error', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('ab#', undefined, new Error('reader failed'));
      const output = source.pipe(
        boundedDrop({ capacity: 1, overflow: 'drop-newest', process: slow(3) }),
        map(show),
      );
      expectObservable(output).toBe('---A--(B#)', { A: 'A', B: 'B' }, new Error('reader failed'));
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('should cancel the running process and report it and the waiting values on unsubscribe', () => {
    newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const drops: DropReport<string>[] = [];
      const work = cold('------|');
      const source = hot('-a-b-c----');
      const unsub = '     ----!-----';
      const output = source.pipe(
        boundedDrop({
          capacity: 2,
          overflow: 'drop-newest',
          process: () => work,
          onDrop: (report) => drops.push(report),
        }),
      );
      expectObservable(output, unsub).toBe('----------');
      expectSubscriptions(source.subscriptions).toBe('^---!-----');
      expectSubscriptions(work.subscriptions).toBe('-^--!-----');
      cold('-------|').subscribe({
        complete: () =>
          expect(drops).toEqual([
            { reason: 'unsubscribed', value: 'a', totals: { values: 1, size: 1 } },
            { reason: 'unsubscribed', value: 'b', totals: { values: 2, size: 2 } },
          ]),
      });
    });
  });

  it('should report nothing on unsubscribe when idle', () => {
    newScheduler().run(({ cold, hot, expectObservable }) => {
      const drops: DropReport<string>[] = [];
      const source = hot('-a-----');
      const output = source.pipe(
        boundedDrop({
          capacity: 2,
          overflow: 'drop-newest',
          process: slow(2),
          onDrop: (report) => drops.push(report),
        }),
        map(show),
      );
      expectObservable(output, '^----!').toBe('---A-', { A: 'A' });
      cold('------|').subscribe({ complete: () => expect(drops).toEqual([]) });
    });
  });

  it('should stay open on a source that never ends', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-------');
      const output = source.pipe(
        boundedDrop({ capacity: 0, overflow: 'drop-oldest', process: slow(1) }),
        map(show),
      );
      expectObservable(output).toBe('-A-B------', { A: 'A', B: 'B' });
    });
  });

  it('should drop everything that arrives while busy when capacity is 0', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('abc---d--|');
      const output = source.pipe(
        boundedDrop({ capacity: 0, overflow: 'drop-oldest', process: slow(2) }),
        map(show),
      );
      expectObservable(output).toBe('--A-----D|', { A: 'A', D: 'D' });
    });
  });

  it('should keep memory bounded under a process that never finishes', () => {
    const source = new Subject<number>();
    let dropped = 0;
    const subscription = source
      .pipe(
        boundedDrop({
          capacity: 10,
          overflow: 'drop-oldest',
          process: () => NEVER,
          onDrop: ({ totals }) => (dropped = totals.values),
        }),
      )
      .subscribe();
    for (let i = 0; i < 100_000; i += 1) source.next(i);
    expect(dropped).toBe(100_000 - 1 - 10);
    subscription.unsubscribe();
    expect(dropped).toBe(100_000);
  });

  it('should error the output when onDrop throws', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('ab-c|');
      const output = source.pipe(
        boundedDrop({
          capacity: 0,
          overflow: 'drop-newest',
          process: slow(5),
          onDrop: () => {
            throw new Error('metrics broke');
          },
        }),
      );
      expectObservable(output).toBe('-#', undefined, new Error('metrics broke'));
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it.each([
    [{ capacity: -1, overflow: 'drop-newest' }, /capacity must be an integer of at least 0/],
    [{ capacity: 1.5, overflow: 'drop-newest' }, /capacity/],
    [
      { capacity: 1, overflow: 'drop-everything' },
      /overflow must be 'drop-newest' or 'drop-oldest'/,
    ],
  ])('should throw a ConfigError at construction for %j', (options, message) => {
    const create = () =>
      boundedDrop({
        ...(options as { capacity: number; overflow: 'drop-newest' }),
        process: () => throwError(() => 0),
      });
    expect(create).toThrow(message);
    expect(create).toThrow(expect.objectContaining({ _tag: 'ConfigError' }));
  });
});
