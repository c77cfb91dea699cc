import { Subject, concatMap, map, of, take, throwError, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createRouter, type RouteEnd } from '../../lib/index.js';

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('createRouter', () => {
  it('should give every route every value and keep the others going when one fails', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--c--d--|');
      const subs = '       ^-------------!';
      const audit = new Subject<string>();
      const webhook = new Subject<string>();
      const router = createRouter(source);
      const fail = (value: string) => (value === 'b' ? throwError(() => 'down') : of(value));
      router.register('audit', { next: (value) => audit.next(value) });
      router.register('webhook', concatMap(fail));
      router.register('webhook-seen', { next: (value) => webhook.next(value) });
      expectObservable(audit).toBe('--a--b--c--d---');
      expectObservable(webhook).toBe('--a--b--c--d---');
      router.start();
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should complete every route on an empty source', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('|');
      const subs = '               (^!)';
      const audit = new Subject<string>();
      const webhook = new Subject<string>();
      const router = createRouter(source);
      router.register('audit', audit);
      router.register('webhook', webhook);
      expectObservable(audit).toBe('|');
      expectObservable(webhook).toBe('|');
      router.start();
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should give one value to every route, then complete them', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--|');
      const subs = '       ^----!';
      const expected = '   --a--|';
      const audit = new Subject<string>();
      const webhook = new Subject<string>();
      const router = createRouter(source);
      router.register('audit', audit);
      router.register('webhook', webhook);
      expectObservable(audit).toBe(expected);
      expectObservable(webhook).toBe(expected);
      router.start();
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should pass a source error to every route', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const error = new Error('reader failed');
      const source = cold('--a--#', undefined, error);
      const subs = '       ^----!';
      const expected = '   --a--#';
      const audit = new Subject<string>();
      const webhook = new Subject<string>();
      const router = createRouter(source);
      router.register('audit', audit);
      router.register('webhook', webhook);
      expectObservable(audit).toBe(expected, undefined, error);
      expectObservable(webhook).toBe(expected, undefined, error);
      router.start();
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should end only the route whose callback throws', () => {
    newScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = cold('--a--b--c--|');
      const subs = '       ^----------!';
      const expected = '   --a--b--c--|';
      const seen = new Subject<string>();
      const audit = new Subject<string>();
      const router = createRouter(source);
      router.register('failing', {
        next: (value) => {
          if (value === 'b') throw new Error('bad');
          seen.next(value);
        },
      });
      router.register('audit', audit);
      expectObservable(seen).toBe('--a--------');
      expectObservable(audit).toBe(expected);
      router.start();
      expectSubscriptions(source.subscriptions).toBe(subs);
      hot('-------x').subscribe(() => expect(router.names()).toEqual(['audit']));
    });
  });

  it('should stop delivering to a route unregistered early, and to it alone', () => {
    newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a--b--c--d--|');
      const unsub = '     ------x';
      const subs = '      ^-------------!';
      const audit = new Subject<string>();
      const webhook = new Subject<string>();
      const router = createRouter(source);
      router.register('audit', audit);
      const route = router.register('webhook', webhook);
      router.start();
      hot(unsub).subscribe(() => route.unregister());
      expectObservable(audit).toBe('--a--b--c--d--|');
      expectObservable(webhook).toBe('--a--b---------');
      hot('--------x').subscribe(() => expect(router.names()).toEqual(['audit']));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should call only next, error and complete of a Subject given as the target', () => {
    const source = new Subject<number>();
    const target = new Subject<number>();
    const seen: number[] = [];
    target.subscribe((n) => seen.push(n));
    const router = createRouter(source);
    const route = router.register('subject', target);
    router.start();
    source.next(1);
    route.unregister();
    expect(target.observed).toBe(true);
    expect(() => target.next(2)).not.toThrow();
    expect(seen).toEqual([1, 2]);
  });

  it('should report how each route ended, and the source', async () => {
    const source = new Subject<number>();
    const router = createRouter(source);
    const failing = router.register('failing', {
      next: () => {
        throw new Error('bad');
      },
    });
    const short = router.register('short', take(1));
    const long = router.register(
      'long',
      map((n) => n),
    );
    const gone = router.register('gone', { next: () => undefined });
    router.start();
    source.next(1);
    gone.unregister();
    expect(router.names()).toEqual(['long']);
    source.next(2);
    source.complete();
    await expect(failing.done).resolves.toEqual({ outcome: 'errored', error: new Error('bad') });
    await expect(short.done).resolves.toEqual({ outcome: 'completed' });
    await expect(long.done).resolves.toEqual({ outcome: 'completed' });
    await expect(gone.done).resolves.toEqual({ outcome: 'unregistered' });
    await expect(router.done).resolves.toEqual({ outcome: 'completed' });
    expect(source.observed).toBe(false);
  });

  it('should deliver to a late route only what is emitted after it registered', () => {
    newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a--b--c--d--|');
      const subs = '      ^-------------!';
      const late = new Subject<string>();
      const router = createRouter(source);
      router.start();
      hot('------x').subscribe(() => router.register('late', { next: (v) => late.next(v) }));
      expectObservable(late).toBe('--------c--d---');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should let the source run on when every route has ended', () => {
    newScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a--b--c--');
      const router = createRouter(source);
      router.register('one', take(1));
      router.start();
      const late = new Subject<string>();
      hot('------x').subscribe(() => router.register('late', { next: (v) => late.next(v) }));
      expectObservable(late).toBe('--------c--');
      expectSubscriptions(source.subscriptions).toBe('^----------');
    });
  });

  it('should not subscribe to the source before start, and deliver everything after', () => {
    const router = createRouter(of(1, 2, 3));
    const first: number[] = [];
    const second: number[] = [];
    router.register('first', { next: (n) => first.push(n) });
    router.register('second', { next: (n) => second.push(n) });
    expect(first).toEqual([]);
    router.start();
    router.start();
    expect(first).toEqual([1, 2, 3]);
    expect(second).toEqual([1, 2, 3]);
  });

  it('should end a route registered after the source completed at once', async () => {
    const router = createRouter(of(1));
    router.start();
    const late = router.register('late', toArray());
    await expect(late.done).resolves.toEqual<RouteEnd>({ outcome: 'completed' });
    expect(router.names()).toEqual([]);
  });

  it('should pass a source error to every route, and to late ones', async () => {
    const source = new Subject<number>();
    const router = createRouter(source);
    const early = router.register('early', { error: () => undefined });
    router.start();
    source.error(new Error('reader failed'));
    const late = router.register(
      'late',
      map((n) => n),
    );
    const failed = { outcome: 'errored', error: new Error('reader failed') };
    await expect(early.done).resolves.toEqual(failed);
    await expect(late.done).resolves.toEqual(failed);
    await expect(router.done).resolves.toEqual(failed);
  });

  it('should unsubscribe the source and every route on stop', async () => {
    const ends: Promise<RouteEnd>[] = [];
    newScheduler().run(({ hot, expectSubscriptions }) => {
      const source = hot('--a--b--c--');
      const router = createRouter(source);
      ends.push(
        router.register(
          'one',
          map((v) => v),
        ).done,
      );
      router.start();
      hot('----x').subscribe(() => router.stop());
      hot('-----x').subscribe(() =>
        ends.push(
          router.register(
            'after',
            map((v) => v),
          ).done,
        ),
      );
      expectSubscriptions(source.subscriptions).toBe('^---!------');
    });
    expect(await Promise.all(ends)).toEqual([
      { outcome: 'unregistered' },
      { outcome: 'unregistered' },
    ]);
  });

  it('should refuse a second live route with the same name', () => {
    const router = createRouter(new Subject<number>());
    router.register('audit', { next: () => undefined });
    expect(() => router.register('audit', { next: () => undefined })).toThrow(
      expect.objectContaining({ _tag: 'ConfigError', message: expect.stringMatching(/"audit"/) }),
    );
  });
});
