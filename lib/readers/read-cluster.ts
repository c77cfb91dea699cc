import type { KubeConfig } from '@kubernetes/client-node';
import {
  asapScheduler,
  BehaviorSubject,
  defer,
  distinctUntilChanged,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  type Observable,
  share,
  subscribeOn,
  tap,
} from 'rxjs';
import type { Entry } from '../entry/entry.js';
import { ApiClient } from './api-client.js';
import { ResourceDiscovery } from './resources-discovery.js';
import { planKind } from './kind-plan.js';
import { readKindWith } from './read-kind.js';
import type { KindSelection, ReaderOptions } from './reader-options.js';
import type { ReaderEvent, ReaderSignal } from './reader-event.js';
import { SyncTracker, type SyncState } from './sync-tracker.js';

/** Options of {@link readCluster}: the kinds to read, plus {@link ReaderOptions}. */
export interface ClusterReaderOptions extends ReaderOptions {
  readonly kinds: readonly KindSelection[];
}

/** What {@link readCluster} answers: three views of one shared reading of the cluster. */
export interface ClusterReader {
  /** Every entry of every kind, in the order read; per object, in resourceVersion order. */
  readonly entries$: Observable<Entry>;
  /** The sync state, replayed to each subscriber and emitted again on every change. */
  readonly synced$: Observable<SyncState>;
  /** Diagnostics: list and watch starts and ends, bookmarks, retries, skips, failures. */
  readonly events$: Observable<ReaderEvent>;
}

/**
 * Reads several kinds from the API server once and shares the reading between
 * `entries$`, `synced$` and `events$`.
 *
 * The first subscription to any of the three starts one list-then-watch per kind and
 * namespace, as soon as the current synchronous block ends (so subscriptions made together
 * all see the first events); later subscriptions join it, and when the last one unsubscribes every request,
 * connection and timer ends (a new subscription then starts over). None of the three errors
 * because of one kind: a kind that cannot be read (401, 403, unknown resource, bad selector)
 * emits a `failed` event on `events$` and stops, and the others go on. `entries$` completes
 * only when every kind has failed.
 *
 * @param kubeConfig the cluster and credentials.
 * @param options the kinds to read and how.
 * @returns the shared streams.
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { readCluster } from 'tattler';
 *
 * const kubeConfig = new KubeConfig();
 * kubeConfig.loadFromDefault();
 * const reader = readCluster(kubeConfig, {
 *   kinds: [{ resource: 'Pod' }, { resource: 'Node' }, { resource: 'ConfigMap', namespaces: ['web'] }],
 * });
 * reader.synced$.subscribe((state) => state.all && console.log('initial state delivered'));
 * reader.entries$.subscribe((entry) => console.log(entry.change, entry.kind, entry.name));
 * ```
 *
 * Gotchas: throws at once (a `ConfigError`) for a resource name that cannot name a
 * resource. Names the API server must resolve (a custom resource's `group/version/resource`,
 * a bare name outside the built-in catalogue such as `ServiceAccount` or `wd`) are looked up
 * when the reading starts, with one set of discovery requests for all of them; a name the
 * server does not know fails that kind alone.
 * Entries are delivered at least once: after a reconnection or relist an entry may repeat,
 * never go missing; see docs/readers.md.
 */
export function readCluster(kubeConfig: KubeConfig, options: ClusterReaderOptions): ClusterReader {
  const kinds = options.kinds.map((selection) => ({ selection, plan: planKind(selection) }));
  // A kind still to look up is known by its name as written, and its scope not at all.
  const expected = kinds.map(({ selection, plan }) => ({
    kind: plan.lookup ?? plan.target.kind,
    namespaces:
      plan.spec?.namespaced === false ? [undefined] : (selection.namespaces ?? [undefined]),
  }));
  const sync$ = new BehaviorSubject<SyncState>(new SyncTracker(expected).state);

  const signals$: Observable<ReaderSignal> = defer(() => {
    const tracker = new SyncTracker(expected);
    sync$.next(tracker.state);
    return defer(() => {
      const client = new ApiClient(kubeConfig, { compression: options.compression });
      // One per reader start: the kinds to look up share its requests.
      const discovery = new ResourceDiscovery(kubeConfig);
      const perKind = kinds.map(({ selection, plan }, index) =>
        readKindWith({ client, discovery, plan, selection }, options).pipe(
          tap((signal) => {
            if (signal.type !== 'event') return;
            const next = tracker.record(index, signal.event);
            if (next !== undefined) sync$.next(next);
          }),
        ),
      );
      return merge(...perKind).pipe(
        finalize(() => {
          discovery.close();
          void client.close();
        }),
      );
    }).pipe(
      // Start after the current synchronous block, so that subscriptions made together (to
      // entries$, events$ and synced$) all see the first events.
      subscribeOn(asapScheduler),
    );
  }).pipe(share());

  return {
    entries$: signals$.pipe(
      filter((signal) => signal.type === 'entry'),
      map((signal) => signal.entry),
    ),
    events$: signals$.pipe(
      filter((signal) => signal.type === 'event'),
      map((signal) => signal.event),
    ),
    synced$: merge(signals$.pipe(ignoreElements()), sync$).pipe(
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
    ),
  };
}
