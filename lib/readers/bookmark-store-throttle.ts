import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { silentLogger, type Logger } from '../logger.js';
import type { BookmarkStore } from './bookmark-store.js';

/** Options of {@link throttleBookmarkStore}. */
export interface ThrottleBookmarkStoreOptions {
  /** Write to the wrapped store at most once per this many milliseconds; default 5 000. */
  readonly intervalMs?: number;
  /** Told when a background write fails; silent by default. */
  readonly logger?: Logger;
  /** The clock; tests pass a virtual-time scheduler. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/** A {@link BookmarkStore} whose `save` is cheap, plus `flush` to write what is pending. */
export interface ThrottledBookmarkStore extends BookmarkStore {
  /**
   * Writes every pending bookmark to the wrapped store now and cancels the timer. Call it
   * when the reader stops. Rejects with the first error of the wrapped store; the failed
   * bookmarks stay pending for the next write.
   */
  flush(): Promise<void>;
}

/**
 * Wraps a {@link BookmarkStore} so that `save` can be called on every watch event: it only
 * records the newest resourceVersion per key and resolves at once; the wrapped store is
 * written at most once per `intervalMs` (the first save after a quiet spell starts the
 * timer) and on {@link ThrottledBookmarkStore.flush}.
 *
 * ```text
 * save:    a-b------c-d----e|   letters: resourceVersions of one key; | is flush()
 * written: ------b--------d-e  intervalMs: 6 frames
 * ```
 *
 * `load` answers the pending value first. A background write that fails is logged as a
 * warning and its bookmarks are kept for the next write.
 *
 * @param store - The store to write to.
 * @param options - The interval, a logger and the scheduler.
 * @returns The throttled store.
 * @example
 * ```ts
 * import { fileBookmarkStore, throttleBookmarkStore } from 'tattler';
 *
 * const bookmarks = throttleBookmarkStore(fileBookmarkStore('bookmarks.json'), {
 *   intervalMs: 10_000,
 * });
 * // on every watch event or BOOKMARK: void bookmarks.save(key, resourceVersion);
 * // on stop: await bookmarks.flush();
 * ```
 *
 * Gotchas: bookmarks saved since the last write are lost if the process dies without
 * `flush()`; the watch then resumes from an older resourceVersion and replays the events
 * after it, so consumers see some changes twice, never miss one. A pending timer keeps
 * Node running until it fires; `flush()` cancels it.
 */
export function throttleBookmarkStore(
  store: BookmarkStore,
  options: ThrottleBookmarkStoreOptions = {},
): ThrottledBookmarkStore {
  const intervalMs = options.intervalMs ?? 5_000;
  const logger = options.logger ?? silentLogger;
  const scheduler = options.scheduler ?? asyncScheduler;
  if (!(intervalMs >= 0)) {
    throw new RangeError(`intervalMs must be a number >= 0, got ${intervalMs}`);
  }
  let pending = new Map<string, string>();
  let timer: Subscription | undefined;

  const flush = async (): Promise<void> => {
    timer?.unsubscribe();
    timer = undefined;
    const batch = pending;
    pending = new Map();
    const results = await Promise.allSettled(
      [...batch].map(([key, value]) => store.save(key, value)),
    );
    const failures = [...batch].filter((_, index) => results[index]?.status === 'rejected');
    for (const [key, value] of failures) if (!pending.has(key)) pending.set(key, value);
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  };

  const flushInBackground = (): void => {
    flush().catch((error: unknown) => {
      logger.warn({ err: error, pending: pending.size }, 'cannot save bookmarks; will retry');
      schedule();
    });
  };

  const schedule = (): void => {
    if (timer === undefined && pending.size > 0) {
      timer = scheduler.schedule(flushInBackground, intervalMs);
    }
  };

  return {
    load: async (key) => pending.get(key) ?? store.load(key),
    save: async (key, resourceVersion) => {
      pending.set(key, resourceVersion);
      schedule();
    },
    flush,
  };
}
