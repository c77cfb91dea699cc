import type { SchedulerLike } from 'rxjs';
import type { Logger } from '../logger.js';
import type { ApiClient } from './api-client.js';
import type { BackoffPolicy } from './backoff.js';
import type { BookmarkStore } from './bookmark-store.js';
import type { ObjectShape } from './object-entry.js';
import type { InitialListMode } from './reader-options.js';
import type { ReaderEvent, ReaderSignal, ReaderTarget, RelistReason } from './reader-event.js';
import { VersionIndex } from './version-index.js';

/** Everything one watch target needs, fixed for its lifetime. */
export interface TargetContext {
  readonly client: ApiClient;
  readonly target: ReaderTarget;
  readonly shape: ObjectShape;
  /** The list/watch path, such as `/api/v1/namespaces/web/pods`. */
  readonly path: string;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  readonly pageSize: number;
  readonly initialList: InitialListMode;
  readonly relistIntervalMs: number | undefined;
  readonly idleTimeoutMs: number;
  readonly watchTimeoutSeconds: () => number;
  readonly backoff: BackoffPolicy;
  readonly scheduler: SchedulerLike;
  readonly logger: Logger;
  readonly bookmarkStore: BookmarkStore | undefined;
  readonly bookmarkKey: string;
  /** Emits an event on the target's stream from outside the current request. */
  readonly report: (event: ReaderEvent) => void;
}

/** What one watch target remembers between requests. */
export interface TargetState {
  /** Where the next watch starts; `undefined` means list first. */
  resourceVersion: string | undefined;
  /** Why the next list happens. */
  listReason: RelistReason;
  /** Whether the next list is a streaming one. */
  streaming: boolean;
  synced: boolean;
  /**
   * The resourceVersion came from the bookmark store and no watch has delivered an event or
   * a bookmark from it yet.
   */
  resumed: boolean;
  /** The index holds the objects as they were at the bookmark's resourceVersion. */
  bookmarkIndexed: boolean;
  /** When the last list finished, by the scheduler's clock. */
  listedAt: number;
  /** Watches in a row that ended at once without delivering anything. */
  quickEnds: number;
  /**
   * The current (or last) watch worked: it delivered a watch event or a bookmark, or stayed
   * open a minute. Only then do the retry attempts start over.
   */
  watchWorked: boolean;
  /** `410 Gone` answers met since a watch last worked; only the first relists at once. */
  gones: number;
  readonly index: VersionIndex;
  /** The bookmark saves in flight, chained so they land in order. */
  saving: Promise<void>;
}

/** A fresh state: nothing listed yet. */
export function initialState(context: TargetContext): TargetState {
  return {
    resourceVersion: undefined,
    listReason: 'initial',
    streaming: context.initialList !== 'paginated',
    synced: false,
    resumed: false,
    bookmarkIndexed: false,
    listedAt: context.scheduler.now(),
    quickEnds: 0,
    watchWorked: false,
    gones: 0,
    index: new VersionIndex(),
    saving: Promise.resolve(),
  };
}

/** Wraps an event as a signal. */
export const eventSignal = (event: ReaderEvent): ReaderSignal => ({ type: 'event', event });

/**
 * Records the end of a list (paginated or streaming) and answers the events that go with it:
 * `list-finished`, and `synced` the first time.
 */
export function finishList(
  context: TargetContext,
  state: TargetState,
  counts: {
    resourceVersion: string;
    pages: number;
    objects: number;
    emitted: number;
    deleted: number;
  },
): ReaderSignal[] {
  state.resourceVersion = counts.resourceVersion;
  state.listedAt = context.scheduler.now();
  state.resumed = false;
  saveBookmark(context, state, counts.resourceVersion);
  context.logger.info(
    { ...context.target, ...counts, reason: state.listReason },
    'reader listed objects',
  );
  const signals = [eventSignal({ type: 'list-finished', target: context.target, ...counts })];
  if (!state.synced) {
    state.synced = true;
    signals.push(eventSignal({ type: 'synced', target: context.target }));
  }
  return signals;
}

/**
 * Records that the current watch works (it delivered a watch event or a bookmark, or stayed
 * open a minute): retries start over, and the next 410 relists at once.
 */
export function watchWorked(state: TargetState): void {
  state.watchWorked = true;
  state.gones = 0;
}

/**
 * Records that the current watch delivered a watch event or a bookmark: it works, and a
 * resourceVersion resumed from the bookmark store is one the server knows.
 */
export function watchDelivered(state: TargetState): void {
  watchWorked(state);
  state.resumed = false;
}

/** Saves a resourceVersion in the bookmark store, if any, after the saves before it. */
export function saveBookmark(context: TargetContext, state: TargetState, rv: string): void {
  const store = context.bookmarkStore;
  if (store === undefined || rv === '') return;
  state.saving = state.saving
    .then(() => store.save(context.bookmarkKey, rv))
    .catch((error: unknown) => {
      context.logger.warn({ ...context.target, err: error }, 'reader could not save a bookmark');
    });
}
