import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import {
  asyncScheduler,
  defer,
  finalize,
  merge,
  mergeMap,
  type Observable,
  of,
  Subject,
} from 'rxjs';
import { silentLogger } from '../logger.js';
import { ApiClient } from './api-client.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { bookmarkKey } from './bookmark-store.js';
import { discoverWithRetry } from './discover-with-retry.js';
import { readTarget } from './read-target.js';
import type { KindSelection, ReaderOptions } from './reader-options.js';
import type { ReaderSignal } from './reader-event.js';
import { planKind, targetOf, type KindPlan } from './kind-plan.js';
import { ResourceDiscovery } from './resources-discovery.js';
import { resourcePath, type ResourceSpec } from './resources.js';

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;

/**
 * Reads one kind from the API server as a stream of entries and events: the initial state
 * as `snapshot` entries, then every change, for as long as it is subscribed.
 *
 * Emits `{ type: 'entry' }` signals (`snapshot` from lists, `added`/`modified`/`deleted` from
 * the watch and `deleted` for objects a relist no longer finds) and `{ type: 'event' }`
 * signals (`synced` once per namespace when its initial state is delivered, watch restarts,
 * relists, retries, failures). Never errors and never completes on its own, except when every
 * namespace has `failed` (access denied, unknown resource, bad selector): then it completes.
 * Unsubscribing ends every request and timer; each subscription opens its own connections.
 *
 * @param kubeConfig the cluster and credentials.
 * @param selection the kind and which of its objects.
 * @param options how to list, retry, relist and resume.
 * @returns a cold Observable of signals.
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { readKind } from 'tattler';
 *
 * const kubeConfig = new KubeConfig();
 * kubeConfig.loadFromDefault();
 * readKind(kubeConfig, { resource: 'Pod', namespaces: ['web'] }).subscribe((signal) => {
 *   if (signal.type === 'entry') console.log(signal.entry.change, signal.entry.name);
 * });
 * ```
 *
 * Gotchas: throws at once (a `TattlerError` with tag `ConfigError`) for a resource name
 * that cannot name a resource (neither a known name, `group/version/resource` nor a bare
 * name). A custom resource named by `group/version/resource`, and a bare name outside the
 * built-in catalogue (`ServiceAccount`, a custom resource's kind, plural or short name), are
 * looked up on the API server when subscribed: while the server cannot be reached or
 * answers 5xx the lookup is retried with backoff (`retry` events); when the server does not
 * serve it, knows no such name, finds it ambiguous or denies discovery, the kind `failed`.
 * Until the server has answered, events name such a kind as written.
 */
export function readKind(
  kubeConfig: KubeConfig,
  selection: KindSelection,
  options: ReaderOptions = {},
): Observable<ReaderSignal> {
  const plan = planKind(selection);
  return defer(() => {
    const client = new ApiClient(kubeConfig, { compression: options.compression });
    const discovery = new ResourceDiscovery(kubeConfig);
    return readKindWith({ client, discovery, plan, selection }, options).pipe(
      finalize(() => {
        discovery.close();
        void client.close();
      }),
    );
  });
}

/** One kind to read, planned, with the connection to read it through. */
export interface KindSource {
  /** The client to use; the caller owns and closes it. */
  readonly client: ApiClient;
  /** Where to look the kind up, shared by the kinds of one reader; the caller closes it. */
  readonly discovery: ResourceDiscovery;
  readonly plan: KindPlan;
  readonly selection: KindSelection;
}

/** {@link readKind} over a client the caller owns and closes. */
export function readKindWith(source: KindSource, options: ReaderOptions): Observable<ReaderSignal> {
  return defer(() => {
    const side = new Subject<ReaderSignal>();
    return merge(side, readResolved(source, options, side).pipe(finalize(() => side.complete())));
  });
}

/** Looks the kind up if it must be (reporting retries on `side`), then reads it. */
function readResolved(
  source: KindSource,
  options: ReaderOptions,
  side: Subject<ReaderSignal>,
): Observable<ReaderSignal> {
  const { discovery, plan, selection } = source;
  const { target } = plan;
  const logger = options.logger ?? silentLogger;
  const known$ =
    plan.lookup === undefined && plan.spec !== undefined
      ? of(E.right(plan.spec))
      : discoverWithRetry(discovery, plan.lookup ?? target.kind, {
          policy: options.backoff ?? DEFAULT_BACKOFF,
          scheduler: options.scheduler ?? asyncScheduler,
          onRetry: (error, attempt, delayMs) => {
            logger.warn(
              { ...target, attempt, delayMs, tag: error._tag },
              `reader retries looking up a resource: ${error.message}`,
            );
            side.next({ type: 'event', event: { type: 'retry', target, attempt, delayMs, error } });
          },
        });
  return known$.pipe(
    mergeMap((discovered) => {
      if (E.isLeft(discovered)) {
        return of<ReaderSignal>({
          type: 'event',
          event: { type: 'failed', target, error: discovered.left },
        });
      }
      const resolved = discovered.right;
      // Limitation: one list and watch per namespace, so a reader of many namespaces holds
      // as many watch requests; leave `namespaces` out to read all of them with one.
      const namespaces =
        resolved.namespaced && selection.namespaces !== undefined
          ? selection.namespaces
          : [undefined];
      return merge(
        ...namespaces.map((namespace) =>
          readTarget(targetContext(source, resolved, namespace, options)),
        ),
      );
    }),
  );
}

function targetContext(
  source: KindSource,
  spec: ResourceSpec,
  namespace: string | undefined,
  options: ReaderOptions,
): Parameters<typeof readTarget>[0] {
  const { client, selection } = source;
  const { labelSelector, fieldSelector } = selection;
  return {
    client,
    target: targetOf(spec, namespace),
    shape: { spec, metadataOnly: selection.metadataOnly ?? spec.defaultMetadataOnly ?? false },
    path: resourcePath(spec, namespace),
    labelSelector,
    fieldSelector,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    initialList: options.initialList ?? 'auto',
    relistIntervalMs: options.relistIntervalMs,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    watchTimeoutSeconds: () => options.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
    backoff: options.backoff ?? DEFAULT_BACKOFF,
    scheduler: options.scheduler ?? asyncScheduler,
    logger: options.logger ?? silentLogger,
    bookmarkStore: options.bookmarkStore,
    bookmarkKey: bookmarkKey(spec, { namespace, labelSelector, fieldSelector }),
  };
}
