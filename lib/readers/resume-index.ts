import { either as E } from 'fp-ts';
import { EMPTY, ignoreElements, Observable } from 'rxjs';
import { fetchListPage, type ListPage } from './fetch-list-page.js';
import { METADATA_LIST_ACCEPT } from './list-pages.js';
import { toEntry } from './object-entry.js';
import type { ReaderSignal } from './reader-event.js';
import type { TargetContext, TargetState } from './target-state.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Fills the version index of a target resumed from a bookmark with the objects as they were
 * at the bookmark's resourceVersion, without emitting anything: a metadata-only list, page by
 * page, with `resourceVersion=<bookmark>&resourceVersionMatch=Exact`.
 *
 * The consumer's state is the one at the bookmark, so with this index a later relist (after
 * 410) can report the objects deleted while the reader was down, including ones that did not
 * change since the restart and were never seen by the resumed watch.
 *
 * Emits nothing. Completes once every page is indexed, after marking the state indexed.
 * Errors with the request's error: `410 Gone` when the bookmark is older than the server's
 * history, a 504 "Too large resource version" when it is ahead of the server, or a
 * `WatchIdleError` when a page stops arriving for `idleTimeoutMs` (its connection is then
 * presumed dead, and the retry goes over a new one).
 */
export function indexAtBookmark(
  context: TargetContext,
  state: TargetState,
): Observable<ReaderSignal> {
  // Limitation: a restart costs this list for every resumed target, even when nothing
  // changed while the reader was down. A server that refuses it with a 400 fails the target
  // rather than falling back to a full relist.
  const resourceVersion = state.resourceVersion;
  if (resourceVersion === undefined) return EMPTY;
  return new Observable<never>((subscriber) => {
    const controller = new AbortController();
    const run = async (): Promise<void> => {
      const shape = { spec: context.shape.spec, metadataOnly: true };
      let objects = 0;
      let token: string | undefined;
      do {
        const page = await fetchMetadataPage(context, resourceVersion, token, controller.signal);
        for (const item of page.items ?? []) {
          const decoded = toEntry(isRecord(item) ? item : {}, 'snapshot', 'apiserver.list', shape);
          if (E.isRight(decoded)) state.index.observe(decoded.right);
          objects += 1;
        }
        token = page.metadata?.continue || undefined;
      } while (token !== undefined && !subscriber.closed);
      state.bookmarkIndexed = true;
      context.logger.info(
        { ...context.target, resourceVersion, objects },
        'reader indexed the objects at its bookmark; watching from there',
      );
      subscriber.complete();
    };
    run().catch((error: unknown) => subscriber.error(error));
    return () => controller.abort();
  }).pipe(ignoreElements());
}

function fetchMetadataPage(
  context: TargetContext,
  resourceVersion: string,
  token: string | undefined,
  signal: AbortSignal,
): Promise<ListPage> {
  // A continue token carries the resourceVersion; the server refuses both together.
  const at =
    token === undefined ? { resourceVersion, resourceVersionMatch: 'Exact' } : { continue: token };
  const query = { limit: String(context.pageSize), ...at };
  return fetchListPage(context, query, METADATA_LIST_ACCEPT, signal);
}
