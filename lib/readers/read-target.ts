import {
  catchError,
  concat,
  concatMap,
  defer,
  from,
  map,
  merge,
  type Observable,
  of,
  repeat,
  Subject,
  finalize,
  timer,
} from 'rxjs';
import { ApiStatusError } from './api-error.js';
import { backoffDelay, retryWithBackoff } from './backoff.js';
import { classify } from './classify-error.js';
import { listPaginated } from './list-pages.js';
import { readerError } from './reader-error.js';
import { indexAtBookmark } from './resume-index.js';
import { TattlerError } from '../entry/tattler-error.js';
import type { ReaderSignal } from './reader-event.js';
import { eventSignal, initialState, type TargetContext, type TargetState } from './target-state.js';
import { watchOnce } from './watch-once.js';

/**
 * Reads one target (a kind in one namespace, or in all) for as long as it is subscribed:
 * list, then watch from the list's resourceVersion, re-watching whenever a watch ends and
 * relisting when the server says the resourceVersion is too old.
 *
 * Emits entries and events. Never errors: a failure that retrying cannot fix (401, 403, an
 * unknown resource, a rejected selector) becomes a `failed` event, and the stream completes.
 * Unsubscribing aborts the request in flight and cancels every timer.
 */
export function readTarget(context: Omit<TargetContext, 'report'>): Observable<ReaderSignal> {
  return defer(() => {
    const side = new Subject<ReaderSignal>();
    const full: TargetContext = { ...context, report: (event) => side.next(eventSignal(event)) };
    const state = initialState(full);
    const main = loadBookmark(full, state).pipe(
      concatMap(() => cycles(full, state)),
      catchError((error: unknown) => {
        const failure = readerError(full, error);
        full.logger.error(
          { ...full.target, tag: failure._tag },
          `reader stopped reading a kind: ${failure.message}`,
        );
        logUnexpected(full, error);
        return of(eventSignal({ type: 'failed', target: full.target, error: failure }));
      }),
      finalize(() => side.complete()),
    );
    return merge(side, main);
  });
}

function cycles(context: TargetContext, state: TargetState): Observable<ReaderSignal> {
  const cycle = defer(() => {
    if (state.resumed && !state.bookmarkIndexed) {
      return concat(indexAtBookmark(context, state), watchOnce(context, state));
    }
    if (state.resourceVersion !== undefined || state.streaming) return watchOnce(context, state);
    return concat(listPaginated(context, state), watchOnce(context, state));
  });
  return cycle.pipe(
    repeat({
      delay: () =>
        state.quickEnds === 0
          ? of(0)
          : timer(backoffDelay(state.quickEnds, context.backoff), context.scheduler),
    }),
    retryWithBackoff({
      classify: (error) => classify(context, state, error),
      policy: context.backoff,
      scheduler: context.scheduler,
      // Not when a watch is accepted nor when a list finishes: a server that accepts every
      // watch and then fails it would keep the delay at its shortest.
      resetWhen: (signal) =>
        signal.type === 'event' && signal.event.type === 'watch-ended' && state.watchWorked,
      onRetry: (error, attempt, delayMs) => {
        const reported = readerError(context, error);
        context.logger.warn(
          { ...context.target, attempt, delayMs, tag: reported._tag },
          `reader retries after an error: ${reported.message}`,
        );
        logUnexpected(context, error);
        context.report({
          type: 'retry',
          target: context.target,
          attempt,
          delayMs,
          error: reported,
        });
      },
    }),
  );
}

/**
 * Logs the stack of an error the reader does not expect (not an API answer nor a
 * `TattlerError`) at debug level: expected failures are logged as one line, without it.
 */
function logUnexpected(context: Pick<TargetContext, 'target' | 'logger'>, error: unknown): void {
  if (error instanceof ApiStatusError || error instanceof TattlerError) return;
  context.logger.debug({ ...context.target, err: error }, 'reader error details');
}

// Limitation: the version index is not stored with the bookmark but listed again at the
// bookmark's resourceVersion; when the server no longer has that version (410), the relist
// emits every object as a snapshot and cannot report the objects deleted while the reader
// was down.
function loadBookmark(context: TargetContext, state: TargetState): Observable<unknown> {
  const store = context.bookmarkStore;
  if (store === undefined) return of(undefined);
  return from(store.load(context.bookmarkKey)).pipe(
    map((resourceVersion) => {
      if (resourceVersion === undefined || resourceVersion === '') return;
      state.resourceVersion = resourceVersion;
      state.resumed = true;
    }),
    catchError((error: unknown) => {
      context.logger.warn(
        { ...context.target, err: error },
        'reader could not load its bookmark; listing from scratch',
      );
      return of(undefined);
    }),
  );
}
