import type { Entry } from '../entry/entry.js';
import type { TattlerError } from '../entry/tattler-error.js';

/** What one watch reads: a kind, in one namespace or in all of them. */
export interface ReaderTarget {
  /** The kind, such as `Pod`. */
  readonly kind: string;
  /** The resource as `group/version/plural`, such as `apps/v1/deployments` or `v1/pods`. */
  readonly resource: string;
  /** The namespace watched; `undefined` for all namespaces or a cluster-scoped kind. */
  readonly namespace: string | undefined;
}

/**
 * Why a reader lists a kind: the first list; a relist after `410 Gone`; a periodic relist;
 * or a resourceVersion resumed from the bookmark store that cannot be used (older than the
 * server keeps, ahead of the server, or its watch delivered nothing).
 */
export type RelistReason = 'initial' | 'gone' | 'periodic' | 'resume-expired';

/**
 * Something a reader did or met, for diagnostics and metrics. Every event names its
 * {@link ReaderTarget}.
 *
 * - `list-started` / `list-finished`: an initial list or a relist, with how many objects it
 *   saw, how many it emitted and how many deletions it found.
 * - `watch-started` / `watch-ended`: one watch request, and why it ended.
 * - `bookmark`: the server confirmed a resourceVersion.
 * - `synced`: the initial state of the target has been delivered.
 * - `retry`: a request failed and is retried after `delayMs`.
 * - `skipped`: a line or object could not be decoded and was skipped.
 * - `failed`: the target stopped for good (401, 403, an unknown resource, a bad selector);
 *   the other targets go on.
 */
export type ReaderEvent =
  | {
      readonly type: 'list-started';
      readonly target: ReaderTarget;
      readonly reason: RelistReason;
      readonly mode: 'paginated' | 'streaming';
    }
  | {
      readonly type: 'list-finished';
      readonly target: ReaderTarget;
      readonly resourceVersion: string;
      /** Pages fetched; 1 for a streaming list. */
      readonly pages: number;
      readonly objects: number;
      readonly emitted: number;
      readonly deleted: number;
    }
  | {
      readonly type: 'watch-started';
      readonly target: ReaderTarget;
      readonly resourceVersion: string | undefined;
    }
  | {
      readonly type: 'watch-ended';
      readonly target: ReaderTarget;
      readonly reason: 'closed' | 'relist-due' | 'error';
    }
  | { readonly type: 'bookmark'; readonly target: ReaderTarget; readonly resourceVersion: string }
  | { readonly type: 'synced'; readonly target: ReaderTarget }
  | {
      readonly type: 'retry';
      readonly target: ReaderTarget;
      readonly attempt: number;
      readonly delayMs: number;
      readonly error: TattlerError;
    }
  | { readonly type: 'skipped'; readonly target: ReaderTarget; readonly error: TattlerError }
  | { readonly type: 'failed'; readonly target: ReaderTarget; readonly error: TattlerError };

/** What `readKind` emits: an entry, or an event about the reading. */
export type ReaderSignal =
  | { readonly type: 'entry'; readonly entry: Entry }
  | { readonly type: 'event'; readonly event: ReaderEvent };
