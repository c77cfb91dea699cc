import { NEVER, Subject, from, map, of, take, tap } from 'rxjs';
import { boundedDrop, type DropReport } from '../../lib/index.js';
import { newScheduler, show, slow } from './bounded-drop.fixtures.js';

describe('boundedDrop: what it drops', () => {
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

  it('should call onDrop no more once its throw has errored the output', () => {
    let calls = 0;
    from('abcde')
      .pipe(
        boundedDrop({
          capacity: 0,
          overflow: 'drop-newest',
          process: () => NEVER,
          onDrop: () => {
            calls += 1;
            throw new Error('metrics broke');
          },
        }),
      )
      .subscribe({ error: () => undefined });
    expect(calls).toBe(1);
  });

  it('should hold capacity for values that arrive while an outcome is delivered', () => {
    const source = new Subject<string>();
    const started: string[] = [];
    const dropped: string[] = [];
    let delivered = 0;
    source
      .pipe(
        boundedDrop({
          capacity: 1,
          overflow: 'drop-newest',
          process: (value) => {
            started.push(value);
            return value === 'a' ? of(value) : NEVER;
          },
          onDrop: ({ value }) => dropped.push(value),
        }),
      )
      .subscribe(() => {
        delivered += 1;
        if (delivered === 1) 'wxyz'.split('').forEach((value) => source.next(value));
      });
    source.next('a');
    // w starts once a's outcome is delivered, x waits in the one place, y and z overflow.
    expect(started).toEqual(['a', 'w']);
    expect(dropped).toEqual(['y', 'z']);
  });

  it('should stop pulling a synchronous source once the output is unsubscribed', () => {
    let pulled = 0;
    const drops: DropReport<number>[] = [];
    function* values(): Generator<number> {
      for (let i = 0; i < 1000; i += 1) {
        pulled += 1;
        yield i;
      }
    }
    from(values())
      .pipe(
        boundedDrop({
          capacity: 1,
          overflow: 'drop-newest',
          process: (value) => of(value),
          onDrop: (report) => drops.push(report),
        }),
        take(1),
      )
      .subscribe();
    expect(pulled).toBe(2);
    expect(drops).toEqual([]);
  });
});
