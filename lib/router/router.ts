import {
  ReplaySubject,
  ignoreElements,
  share,
  switchMap,
  take,
  tap,
  type Observable,
  type Observer,
  type OperatorFunction,
  type Subscription,
} from 'rxjs';
import { TattlerError } from '../entry/tattler-error.js';

/**
 * What a route runs on the values it receives: an operator, whose output is subscribed and
 * ignored, or an observer, whose `next`, `error` and `complete` (those alone, so a Subject
 * can be one) are called like `tap`'s.
 */
export type RouteTarget<T> = OperatorFunction<T, unknown> | Partial<Observer<T>>;

/** How a route or the router's source ended. `error` holds what the stream errored with. */
export type RouteEnd =
  | { readonly outcome: 'completed' }
  | { readonly outcome: 'errored'; readonly error: unknown }
  | { readonly outcome: 'unregistered' };

/** One registered consumer of a {@link Router}. */
export interface Route {
  readonly name: string;
  /** Settles when the route ends, however it ends; never rejects. */
  readonly done: Promise<RouteEnd>;
  /** Stops delivering to this route alone; a no-op once it has ended. */
  unregister(): void;
}

/** Fans one source out to named routes; see {@link createRouter}. */
export interface Router<T> {
  /**
   * Adds a route that receives every value the source emits from now on.
   *
   * @throws TattlerError `ConfigError` when a live route already has this name.
   */
  register(name: string, target: RouteTarget<T>): Route;
  /** Subscribes to the source, once; later calls do nothing. */
  start(): void;
  /** Unsubscribes from the source and every route; routes end `unregistered`. */
  stop(): void;
  /** The names of the live routes, in registration order. */
  names(): readonly string[];
  /** Settles when the source completes or errors; never rejects. */
  readonly done: Promise<RouteEnd>;
}

/**
 * Shares one source among named routes that come and go independently.
 *
 * The source is subscribed once, at `start()`, and multicast with `share()`. A route gets
 * every value emitted after it registered, whether that was before or after `start()`. A
 * route that errors or completes (its operator threw, or ended early with `take`) ends alone:
 * the source and the other routes go on, and its `done` says how it ended. When the source
 * completes or errors, every live route receives that too, and routes registered afterwards
 * end at once the same way.
 *
 * ```text
 * source:  --a--b--c--d--|
 * audit:   --a--b--c--d--|    registered before start()
 * webhook: --a--#              its operator fails on b: only it ends
 * late:          --c--d--|    registered after b
 * ```
 *
 * @param source$ - the values to share, typically batches.
 * @returns a router; call `register` for each consumer and `start` once.
 * @example
 * ```ts
 * import { concatMap } from 'rxjs';
 * import { createRouter, type Batch } from 'tattler';
 *
 * declare const audit: { write(batch: Batch): void };
 * const router = createRouter(batch$);
 * router.register('audit', { next: (batch) => audit.write(batch) });
 * router.register('webhook', concatMap((batch) => webhook.process(batch)));
 * router.start();
 * ```
 *
 * Gotchas: an observer's `next` runs synchronously in the source's delivery, so a slow one
 * delays every route; put `boundedDrop` in front of slow consumers. Routes that throw are
 * ended, not restarted.
 */
export function createRouter<T>(source$: Observable<T>): Router<T> {
  const started = new ReplaySubject<void>(1);
  const shared$ = started.pipe(
    take(1),
    switchMap(() => source$),
    share({ resetOnError: false, resetOnComplete: false, resetOnRefCountZero: true }),
  );
  const routes = new Map<string, LiveRoute>();
  const source = settleOnce();
  let keeper: Subscription | undefined;
  let stopped = false;

  const register = (name: string, target: RouteTarget<T>): Route => {
    if (routes.has(name)) {
      throw new TattlerError(
        'ConfigError',
        `router: a route named "${name}" is already registered; give each route its own name.`,
      );
    }
    const route = new LiveRoute(name, () => routes.delete(name));
    if (stopped) {
      route.end({ outcome: 'unregistered' });
      return route;
    }
    routes.set(name, route);
    const operator = typeof target === 'function' ? target : tap(observerOf(target));
    route.attach(
      shared$.pipe(operator, ignoreElements()).subscribe({
        error: (error: unknown) => route.end({ outcome: 'errored', error }),
        complete: () => route.end({ outcome: 'completed' }),
      }),
    );
    return route;
  };

  const start = (): void => {
    if (keeper !== undefined || stopped) return;
    keeper = shared$.subscribe({
      error: (error: unknown) => source.settle({ outcome: 'errored', error }),
      complete: () => source.settle({ outcome: 'completed' }),
    });
    started.next();
  };

  const stop = (): void => {
    stopped = true;
    for (const route of [...routes.values()]) route.unregister();
    keeper?.unsubscribe();
    source.settle({ outcome: 'unregistered' });
  };

  return { register, start, stop, names: () => [...routes.keys()], done: source.done };
}

/**
 * The target's `next`, `error` and `complete` alone. `tap` also calls an observer's
 * `subscribe`, `unsubscribe` and `finalize`, which a Subject has with other meanings: it
 * would subscribe to the Subject without an error handler and close it when the route ends.
 */
function observerOf<T>(target: Partial<Observer<T>>): Partial<Observer<T>> {
  return {
    next: (value) => target.next?.(value),
    error: (error: unknown) => target.error?.(error),
    complete: () => target.complete?.(),
  };
}

/** A route's state: its subscription, and a `done` that settles once. */
class LiveRoute implements Route {
  readonly done: Promise<RouteEnd>;
  private readonly settle: (end: RouteEnd) => void;
  private subscription: Subscription | undefined;
  private ended = false;

  constructor(
    readonly name: string,
    private readonly onEnd: () => void,
  ) {
    ({ done: this.done, settle: this.settle } = settleOnce());
  }

  attach(subscription: Subscription): void {
    if (this.ended) subscription.unsubscribe();
    else this.subscription = subscription;
  }

  end(result: RouteEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
    this.settle(result);
  }

  unregister(): void {
    if (this.ended) return;
    this.subscription?.unsubscribe();
    this.end({ outcome: 'unregistered' });
  }
}

function settleOnce(): { done: Promise<RouteEnd>; settle: (end: RouteEnd) => void } {
  let settle: (end: RouteEnd) => void = () => undefined;
  const done = new Promise<RouteEnd>((resolve) => (settle = resolve));
  return { done, settle };
}
