import { either as E } from 'fp-ts';
import type { Change } from '../entry/entry.js';
import type { TattlerError } from '../entry/tattler-error.js';
import { ApiStatusError } from './api-error.js';
import { deletedEntry, keepUndecoded, toEntry } from './object-entry.js';
import type { ReaderSignal } from './reader-event.js';
import {
  eventSignal,
  finishList,
  saveBookmark,
  watchDelivered,
  type TargetContext,
  type TargetState,
} from './target-state.js';
import { parseWatchLine, type BookmarkWatchEvent, type ObjectWatchEvent } from './watch-event.js';

const CHANGES: Readonly<Record<ObjectWatchEvent['type'], Change>> = {
  ADDED: 'added',
  MODIFIED: 'modified',
  DELETED: 'deleted',
};

/**
 * Turns the lines of one watch response into signals, keeping the target's resourceVersion
 * and index up to date.
 *
 * While a streaming list runs, objects are `snapshot`s from `apiserver.list`, emitted only
 * when the index says they changed (all of them for a periodic relist); the bookmark
 * annotated `k8s.io/initial-events-end` ends the list, emits `deleted` entries for indexed
 * objects it did not list, and sets the resourceVersion. After that, objects are watch
 * events and bookmarks move the resourceVersion. An ERROR event throws its status.
 */
export class WatchLineHandler {
  private listing: boolean;
  private objects = 0;
  private emitted = 0;
  private readonly emitAll: boolean;

  constructor(
    private readonly context: TargetContext,
    private readonly state: TargetState,
    streaming: boolean,
    private readonly onListEnd: () => void,
  ) {
    this.listing = streaming;
    this.emitAll = state.listReason === 'periodic';
    if (streaming) state.index.beginRelist();
  }

  /** The signals one line makes; throws an `ApiStatusError` for an ERROR event. */
  handle(line: string): ReaderSignal[] {
    const parsed = parseWatchLine(line, this.context.target.kind);
    if (E.isLeft(parsed)) return [this.skipped(parsed.left)];
    const event = parsed.right;
    switch (event.type) {
      case 'ERROR':
        throw new ApiStatusError(
          event.code ?? 500,
          event.message ?? 'the watch ended with an ERROR event',
          { reason: event.reason, verb: 'watch' },
        );
      case 'BOOKMARK':
        return this.onBookmark(event);
      default:
        return this.onObject(event);
    }
  }

  private onObject(event: ObjectWatchEvent): ReaderSignal[] {
    const { state } = this;
    const change = this.listing ? 'snapshot' : CHANGES[event.type];
    const source = this.listing ? 'apiserver.list' : 'apiserver.watch';
    const decoded = toEntry(event.object, change, source, this.context.shape);
    if (E.isLeft(decoded)) {
      if (this.listing) keepUndecoded(state.index, event.object);
      return [this.skipped(decoded.left)];
    }
    const entry = decoded.right;
    if (this.listing) {
      this.objects += 1;
      if (!state.index.observe(entry) && !this.emitAll) return [];
      this.emitted += 1;
      return [{ type: 'entry', entry }];
    }
    state.index.apply(entry);
    if (entry.resourceVersion !== '') state.resourceVersion = entry.resourceVersion;
    watchDelivered(state);
    return [{ type: 'entry', entry }];
  }

  private onBookmark(event: BookmarkWatchEvent): ReaderSignal[] {
    const { context, state } = this;
    if (this.listing) return event.initialEventsEnd ? this.endList(event.resourceVersion) : [];
    watchDelivered(state);
    if (event.resourceVersion !== '') {
      state.resourceVersion = event.resourceVersion;
      saveBookmark(context, state, event.resourceVersion);
    }
    const target = context.target;
    return [eventSignal({ type: 'bookmark', target, resourceVersion: event.resourceVersion })];
  }

  private endList(resourceVersion: string): ReaderSignal[] {
    this.listing = false;
    const gone = this.state.index.sweep();
    const deletions = gone.map((indexed): ReaderSignal => ({
      type: 'entry',
      entry: deletedEntry(indexed, this.context.shape),
    }));
    const counts = {
      resourceVersion,
      pages: 1,
      objects: this.objects,
      emitted: this.emitted,
      deleted: gone.length,
    };
    const finished = finishList(this.context, this.state, counts);
    // After finishList, which records when this list ended: the next periodic relist is
    // due an interval after it.
    this.onListEnd();
    return [...deletions, ...finished];
  }

  private skipped(error: TattlerError): ReaderSignal {
    return eventSignal({ type: 'skipped', target: this.context.target, error });
  }
}
