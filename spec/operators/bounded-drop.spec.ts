import { either as E } from 'fp-ts';
import { from, lastValueFrom, map, throwError, toArray } from 'rxjs';
import { boundedDrop } from '../../lib/index.js';
import { newScheduler, show, slow } from './bounded-drop.fixtures.js';

describe('boundedDrop', () => {
  it('should complete at once on an empty source', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('---|');
      const subs = '               ^--!';
      const expected = '           ---|';
      const output = source.pipe(
        boundedDrop({ capacity: 1, overflow: 'drop-newest', process: slow(5) }),
      );
      expectObservable(output).toBe(expected);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should process one value and complete once it is done', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a|');
      const subs = '       ^!';
      const expected = '   -----(A|)';
      const output = source.pipe(
        boundedDrop({ capacity: 1, overflow: 'drop-newest', process: slow(5) }),
        map(show),
      );
      expectObservable(output).toBe(expected, { A: 'A' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
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

  it('should stay open on a source that never ends', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-------');
      const subs = '       ^---------';
      const expected = '   -A-B------';
      const output = source.pipe(
        boundedDrop({ capacity: 0, overflow: 'drop-oldest', process: slow(1) }),
        map(show),
      );
      expectObservable(output).toBe(expected, { A: 'A', B: 'B' });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should error the output when size throws, and cancel the running process', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const work = cold('-----|');
      const source = cold('ab-c|');
      const subs = '       ^!';
      const expected = '   -#';
      const output = source.pipe(
        boundedDrop({
          capacity: 0,
          overflow: 'drop-newest',
          process: () => work,
          size: () => {
            throw new Error('no size');
          },
        }),
      );
      expectObservable(output).toBe(expected, undefined, new Error('no size'));
      expectSubscriptions(source.subscriptions).toBe(subs);
      expectSubscriptions(work.subscriptions).toBe(subs);
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
