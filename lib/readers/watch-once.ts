import {
  BehaviorSubject,
  catchError,
  concat,
  defer,
  filter,
  mergeMap,
  NEVER,
  type Observable,
  of,
  switchMap,
  take,
  takeUntil,
  tap,
  throwError,
  timer,
} from 'rxjs';
import type { ApiGet } from './api-client.js';
import type { ReaderSignal } from './reader-event.js';
import {
  eventSignal,
  saveBookmark,
  watchWorked,
  type TargetContext,
  type TargetState,
} from './target-state.js';
import { WatchLineHandler } from './watch-line-handler.js';
import { streamLines, type StreamItem } from './watch-stream.js';

/** The `Accept` header that asks for metadata-only watch events. */
export const METADATA_WATCH_ACCEPT =
  'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;q=0.9';

/** A watch shorter than this that delivered nothing counts as a quick end (backed off). */
const QUICK_END_MS = 1000;

/**
 * A watch open this long has worked, even if it delivered nothing (a quiet kind on a server
 * that sends no bookmarks): the retries after it start over.
 */
const HEALTHY_WATCH_MS = 60_000;

/**
 * One watch request for a target: from the state's resourceVersion, or, when the state has
 * none, a streaming list (`sendInitialEvents=true`) that goes on as a watch.
 *
 * Emits entries and events as lines arrive, keeping the state's resourceVersion and index up
 * to date. Completes when the server ends the watch (its `timeoutSeconds`, a closed
 * connection) or when a periodic relist is due. Errors with an `ApiStatusError` for an error
 * status or an ERROR event (410 Gone included), or a network or idle error.
 */
export function watchOnce(context: TargetContext, state: TargetState): Observable<ReaderSignal> {
  return defer(() => {
    const streaming = state.resourceVersion === undefined;
    const listing$ = new BehaviorSubject(streaming);
    const handler = new WatchLineHandler(context, state, streaming, () => listing$.next(false));
    const { target } = context;
    let openedAt = Number.NaN;
    let delivered = false;
    state.watchWorked = false;
    const lasted = (): number => context.scheduler.now() - openedAt;

    const relistDue$ =
      context.relistIntervalMs === undefined
        ? NEVER
        : listing$.pipe(
            filter((listing) => !listing),
            take(1),
            switchMap(() => {
              const due = state.listedAt + (context.relistIntervalMs ?? 0);
              return timer(Math.max(0, due - context.scheduler.now()), context.scheduler);
            }),
            tap(() => {
              state.resourceVersion = undefined;
              state.listReason = 'periodic';
            }),
          );
    let ended: 'closed' | 'relist-due' = 'closed';

    const lines$ = streamLines(context.client, watchRequest(context, state, streaming), {
      idleTimeoutMs: context.idleTimeoutMs,
      scheduler: context.scheduler,
    }).pipe(
      mergeMap((item: StreamItem): ReaderSignal[] => {
        if (item.type === 'open') {
          openedAt = context.scheduler.now();
          return opened(context, state, streaming);
        }
        const signals = handler.handle(item.line);
        if (signals.length > 0) delivered = true;
        return signals;
      }),
      takeUntil(relistDue$.pipe(tap(() => (ended = 'relist-due')))),
    );

    const start: ReaderSignal[] = streaming
      ? [
          eventSignal({
            type: 'list-started',
            target,
            reason: state.listReason,
            mode: 'streaming',
          }),
        ]
      : [];
    return concat(
      of(...start),
      lines$,
      defer(() => {
        // A watch that the periodic relist cut short did not fail: no backoff for it.
        const quick = ended === 'closed' && !delivered && !(lasted() >= QUICK_END_MS);
        state.quickEnds = quick ? state.quickEnds + 1 : 0;
        if (state.resourceVersion !== undefined) {
          saveBookmark(context, state, state.resourceVersion);
        }
        return of(watchEnded(state, lasted(), target, ended));
      }),
    ).pipe(
      catchError((error: unknown) =>
        concat(
          of(watchEnded(state, lasted(), target, 'error')),
          throwError(() => error),
        ),
      ),
    );
  });
}

// Limitation: an API server older than Kubernetes 1.27 ignores sendInitialEvents and answers
// a plain watch that never sends the initial-events-end bookmark, so the target never syncs;
// use initialList 'paginated' with such servers.
function watchRequest(
  context: TargetContext,
  state: TargetState,
  streaming: boolean,
): Omit<ApiGet, 'signal'> {
  return {
    path: context.path,
    query: {
      watch: 'true',
      allowWatchBookmarks: 'true',
      timeoutSeconds: String(context.watchTimeoutSeconds()),
      resourceVersion: streaming ? '' : state.resourceVersion,
      sendInitialEvents: streaming ? 'true' : undefined,
      resourceVersionMatch: streaming ? 'NotOlderThan' : undefined,
      labelSelector: context.labelSelector,
      fieldSelector: context.fieldSelector,
    },
    accept: context.shape.metadataOnly ? METADATA_WATCH_ACCEPT : undefined,
    verb: 'watch',
  };
}

/** The `watch-ended` signal, after noting whether the watch worked by staying open. */
function watchEnded(
  state: TargetState,
  lastedMs: number,
  target: TargetContext['target'],
  reason: 'closed' | 'relist-due' | 'error',
): ReaderSignal {
  if (lastedMs >= HEALTHY_WATCH_MS) watchWorked(state);
  return eventSignal({ type: 'watch-ended', target, reason });
}

function opened(context: TargetContext, state: TargetState, streaming: boolean): ReaderSignal[] {
  const { target } = context;
  context.logger.debug({ ...target, resourceVersion: state.resourceVersion }, 'watch started');
  const signals = [
    eventSignal({ type: 'watch-started', target, resourceVersion: state.resourceVersion }),
  ];
  if (!streaming && state.resumed && !state.synced) {
    state.synced = true;
    signals.push(eventSignal({ type: 'synced', target }));
  }
  return signals;
}
