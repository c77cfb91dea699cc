import { either as E } from 'fp-ts';
import { Observable } from 'rxjs';
import { fetchListPage, type ListPage } from './fetch-list-page.js';
import { deletedEntry, keepUndecoded, toEntry } from './object-entry.js';
import type { ReaderSignal } from './reader-event.js';
import { eventSignal, finishList, type TargetContext, type TargetState } from './target-state.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `Accept` header that asks for metadata-only lists. */
export const METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;q=0.9';

/**
 * Lists a target page by page (`limit`/`continue`), emitting each page's entries as the page
 * arrives, then the `deleted` entries for indexed objects the list did not find. The next
 * page is requested while this one is handled, so at most two pages are held.
 *
 * Emits `snapshot` entries for objects that are new or changed since the index last saw them
 * (every object when the relist is periodic), `deleted` entries for vanished ones, then
 * `list-finished` (and `synced` the first time). Completes after the last page; sets the
 * state's resourceVersion to the list's. Errors with the request's error, or a
 * `WatchIdleError` when a page stops arriving for `idleTimeoutMs` (a page may take longer
 * than that as long as its bytes keep coming); a retry lists again from the first page, and
 * the index keeps already delivered objects from being re-emitted.
 */
export function listPaginated(
  context: TargetContext,
  state: TargetState,
): Observable<ReaderSignal> {
  return new Observable<ReaderSignal>((subscriber) => {
    const controller = new AbortController();
    const { target, shape } = context;
    const emit = (signal: ReaderSignal): void => subscriber.next(signal);

    const run = async (): Promise<void> => {
      emit(
        eventSignal({ type: 'list-started', target, reason: state.listReason, mode: 'paginated' }),
      );
      state.index.beginRelist();
      const counts = { resourceVersion: '', pages: 0, objects: 0, emitted: 0, deleted: 0 };
      let next: Promise<ListPage> | undefined = fetchPage(context, undefined, controller.signal);
      while (next !== undefined) {
        const page: ListPage = await next;
        const token = page.metadata?.continue;
        // Ask for the next page before handling this one, so the server works meanwhile.
        next = token ? fetchPage(context, token, controller.signal) : undefined;
        next?.catch(() => undefined); // awaited in the next turn, unless unsubscribed
        counts.pages += 1;
        counts.resourceVersion = page.metadata?.resourceVersion ?? counts.resourceVersion;
        emitPage({ context, state, counts, emit }, page);
        if (subscriber.closed) return;
      }

      const gone = state.index.sweep();
      for (const indexed of gone) emit({ type: 'entry', entry: deletedEntry(indexed, shape) });
      counts.deleted = gone.length;
      for (const signal of finishList(context, state, counts)) emit(signal);
      subscriber.complete();
    };

    run().catch((error: unknown) => subscriber.error(error));
    return () => controller.abort();
  });
}

function fetchPage(
  context: TargetContext,
  token: string | undefined,
  signal: AbortSignal,
): Promise<ListPage> {
  const query = { limit: String(context.pageSize), continue: token };
  const accept = context.shape.metadataOnly ? METADATA_LIST_ACCEPT : undefined;
  return fetchListPage(context, query, accept, signal);
}

interface PageSink {
  readonly context: TargetContext;
  readonly state: TargetState;
  readonly counts: { objects: number; emitted: number };
  readonly emit: (signal: ReaderSignal) => void;
}

function emitPage(sink: PageSink, page: ListPage): void {
  const { context, state, counts, emit } = sink;
  const emitAll = state.listReason === 'periodic';
  for (const item of page.items ?? []) {
    const decoded = toEntry(
      isRecord(item) ? item : {},
      'snapshot',
      'apiserver.list',
      context.shape,
    );
    if (E.isLeft(decoded)) {
      keepUndecoded(state.index, item);
      emit(eventSignal({ type: 'skipped', target: context.target, error: decoded.left }));
      continue;
    }
    counts.objects += 1;
    if (state.index.observe(decoded.right) || emitAll) {
      counts.emitted += 1;
      emit({ type: 'entry', entry: decoded.right });
    }
  }
}
