import { ApiStatusError, isDenied, isGone, isRetryable, WatchIdleError } from './api-error.js';
import type { RetryAdvice } from './backoff.js';
import type { TargetContext, TargetState } from './target-state.js';

/**
 * Decides what an error means for the target: relist (410 Gone: at once the first time since
 * a watch worked, with backoff after that), fall back from a streaming list the server
 * refuses, back off and retry, or stop (`undefined`).
 */
export function classify(
  context: TargetContext,
  state: TargetState,
  error: unknown,
): RetryAdvice | undefined {
  if (isGone(error)) return relistAfterGone(state);
  if (state.resumed && (isTooLargeResourceVersion(error) || isIdleWatch(error))) {
    return dropBookmark(context, state, error);
  }
  if (isDenied(error)) return undefined;
  if (refusesStreaming(context, state, error)) {
    context.logger.info(
      { ...context.target, status: (error as ApiStatusError).status },
      'the API server refused a streaming list; listing page by page instead',
    );
    state.streaming = false;
    return { immediate: true, quiet: true };
  }
  if (!isRetryable(error) && !(state.synced && isNotFound(error))) return undefined;
  return error instanceof ApiStatusError && error.retryAfterMs !== undefined
    ? { minDelayMs: error.retryAfterMs }
    : {};
}

/** Prepares the relist after a 410, and says when it may start. */
function relistAfterGone(state: TargetState): RetryAdvice {
  // A periodic relist cut short (an expired continue token) starts over as a periodic one,
  // so that it still emits every object.
  const listing = state.resourceVersion === undefined;
  if (!listing || state.listReason !== 'periodic') {
    state.listReason = state.resumed ? 'resume-expired' : 'gone';
  }
  state.resourceVersion = undefined;
  state.resumed = false;
  state.gones += 1;
  // One 410 is the server forgetting a version while the reader was away. More in a row,
  // with no watch working in between, is a server that answers 410 to every watch:
  // relisting at once would list the whole kind in a tight loop.
  return state.gones === 1 ? { immediate: true, quiet: true } : {};
}

/**
 * Gives up a resourceVersion resumed from the bookmark store that this server does not know:
 * it is ahead of the server (a bookmark of another cluster, or of an etcd since restored),
 * or the watch from it went idle without delivering a single event or bookmark, which is
 * what a server does with a resourceVersion it has not reached. Relists at once.
 */
function dropBookmark(context: TargetContext, state: TargetState, error: unknown): RetryAdvice {
  // Limitation: on a server that sends no bookmarks (watch cache off), a quiet kind's
  // resumed watch goes idle too, and the reader relists once where re-watching would do.
  context.logger.warn(
    { ...context.target, resourceVersion: state.resourceVersion },
    isIdleWatch(error)
      ? 'the watch resumed from the bookmark delivered nothing, not even a bookmark; listing instead'
      : "the API server has not reached the bookmark's resourceVersion; listing instead",
  );
  state.listReason = 'resume-expired';
  state.resourceVersion = undefined;
  state.resumed = false;
  return { immediate: true, quiet: true };
}

/**
 * True for a watch that went idle. A list that goes idle (the index list of a resumed target,
 * say) is on a dead connection, and is retried over a new one.
 */
function isIdleWatch(error: unknown): boolean {
  return error instanceof WatchIdleError && error.verb === 'watch';
}

/** True for the 504 the API server answers for a resourceVersion it has not reached. */
function isTooLargeResourceVersion(error: unknown): boolean {
  return (
    error instanceof ApiStatusError &&
    error.status === 504 &&
    /too large resource version/i.test(error.message)
  );
}

// Limitation: a resource that was read once and is then no longer served for good (its
// CustomResourceDefinition deleted) is retried forever, at the backoff's longest delay, with
// a `retry` event each time; it never `failed`.
/**
 * True for a 404 Not Found. Once a target has listed, a 404 is the resource briefly not
 * served (a CustomResourceDefinition while the API server restarts, or deleted and created
 * again), so it is retried; before, it is a resource that does not exist.
 */
function isNotFound(error: unknown): boolean {
  return error instanceof ApiStatusError && error.status === 404;
}

/** True when an `auto` reader's streaming list met a client error: the server refuses it. */
function refusesStreaming(context: TargetContext, state: TargetState, error: unknown): boolean {
  if (context.initialList !== 'auto' || !state.streaming) return false;
  if (state.resourceVersion !== undefined || !(error instanceof ApiStatusError)) return false;
  // A 404 after the kind was read is the resource going away for a while (a custom resource
  // definition being replaced, say): retried below, and no reason to stop streaming.
  if (state.synced && error.status === 404) return false;
  return error.status >= 400 && error.status < 500 && error.status !== 429;
}
