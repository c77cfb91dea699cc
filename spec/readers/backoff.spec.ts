import { defer, EMPTY } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { backoffDelay, retryWithBackoff, type BackoffPolicy } from '../../lib/index.js';

const noJitter: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 };

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('backoffDelay', () => {
  it('should double the delay per attempt up to the maximum', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, noJitter));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('should replace the jitter share of the delay by a random share', () => {
    const policy = { ...noJitter, jitter: 0.5 };
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(400);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(300);
  });

  it('should treat attempt 0 like the first attempt', () => {
    expect(backoffDelay(0, noJitter)).toBe(100);
  });
});

describe('retryWithBackoff', () => {
  const policy: BackoffPolicy = { initialDelayMs: 2, maxDelayMs: 8, factor: 2, jitter: 0 };
  const retryable = (): object => ({});

  it('should pass values through and complete when the source does', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|');
      expectObservable(source.pipe(retryWithBackoff({ classify: retryable, policy }))).toBe(
        '-a-b-|',
      );
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('should resubscribe after growing delays while the source keeps failing', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#');
      const output = source.pipe(retryWithBackoff({ classify: retryable, policy }));
      expectObservable(output, '^ 20ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe([
        '^!',
        '---^!', //  2 ms after the first error
        '--------^!', // then 4 ms
        '-----------------^!', // then 8 ms (the maximum)
      ]);
    });
  });

  it('should start the delays over once the source emits', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const attempts = [cold('-#'), cold('-#'), cold('a#'), cold('-#')];
      let subscribed = 0;
      const source = defer(() => attempts[Math.min(subscribed++, attempts.length - 1)] ?? EMPTY);
      const output = source.pipe(retryWithBackoff({ classify: retryable, policy }));
      expectObservable(output, '^ 13ms !').toBe('--------a');
      const [first, second, third, fourth] = attempts.map((attempt) => attempt.subscriptions);
      expectSubscriptions(first ?? []).toBe('^!');
      expectSubscriptions(second ?? []).toBe('---^!'); // 2 ms
      expectSubscriptions(third ?? []).toBe('--------^!'); // 4 ms, then it emits
      expectSubscriptions(fourth ?? []).toBe('-----------^!'); // 2 ms again, not 8
    });
  });

  it('should keep growing the delays when resetWhen rejects the values emitted', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('x#');
      const output = source.pipe(
        retryWithBackoff({ classify: retryable, policy, resetWhen: (value) => value !== 'x' }),
      );
      expectObservable(output, '^ 12ms !').toBe('x--x----x');
      expectSubscriptions(source.subscriptions).toBe(['^!', '---^!', '--------^!']);
    });
  });

  it('should honour a minimum delay such as Retry-After', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#');
      const output = source.pipe(retryWithBackoff({ classify: () => ({ minDelayMs: 5 }), policy }));
      expectObservable(output, '^ 8ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['^!', '------^!']);
    });
  });

  it('should let through an error that classify does not retry', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-#', undefined, new Error('denied'));
      const output = source.pipe(retryWithBackoff({ classify: () => undefined, policy }));
      expectObservable(output).toBe('-a-#', undefined, new Error('denied'));
    });
  });

  it('should report each retry with its attempt and delay', () => {
    newScheduler().run(({ cold, expectObservable, flush }) => {
      const seen: Array<[number, number]> = [];
      const source = cold('-#');
      const output = source.pipe(
        retryWithBackoff({
          classify: retryable,
          policy,
          onRetry: (_error, attempt, delayMs) => seen.push([attempt, delayMs]),
        }),
      );
      expectObservable(output, '^ 12ms !').toBe('');
      flush();
      expect(seen).toEqual([
        [1, 2],
        [2, 4],
        [3, 8],
      ]);
    });
  });

  it('should retry at once when classify says immediate', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#');
      const output = source.pipe(
        retryWithBackoff({ classify: () => ({ immediate: true }), policy }),
      );
      expectObservable(output, '^--!').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['^!', '-^!', '--^!']);
    });
  });

  it('should end the source and the timer on early unsubscribe', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-#');
      const output = source.pipe(retryWithBackoff({ classify: retryable, policy }));
      expectObservable(output, '^-!').toBe('-a');
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});
