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
import type { ReaderSignal, ReaderTarget } from './reader-event.js';
import { apiVersionOf, resourceFor, resourcePath, type ResourceSpec } from './resources.js';

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
 * that cannot be resolved. A custom resource named by `group/version/resource` is looked up
 * on the API server when subscribed: while the server cannot be reached or answers 5xx the
 * lookup is retried with backoff (`retry` events); when the server does not serve it or
 * denies discovery, the kind `failed`.
 */
export function readKind(
  kubeConfig: KubeConfig,
  selection: KindSelection,
  options: ReaderOptions = {},
): Observable<ReaderSignal> {
  const spec = resolveSpec(selection);
  return defer(() => {
    const client = new ApiClient(kubeConfig, { compression: options.compression });
    return readKindWith({ kubeConfig, client, spec, selection }, options).pipe(
      finalize(() => void client.close()),
    );
  });
}

/** Resolves the selection's resource, throwing the `ConfigError` for an unknown one. */
export function resolveSpec(selection: KindSelection): ResourceSpec {
  if (typeof selection.resource !== 'string') return selection.resource;
  const resolved = resourceFor(selection.resource);
  if (E.isLeft(resolved)) throw resolved.left;
  return resolved.right;
}

/** One kind to read, resolved, with the connection to read it through. */
export interface KindSource {
  readonly kubeConfig: KubeConfig;
  /** The client to use; the caller owns and closes it. */
  readonly client: ApiClient;
  readonly spec: ResourceSpec;
  readonly selection: KindSelection;
}

/** {@link readKind} over a client the caller owns and closes. */
export function readKindWith(source: KindSource, options: ReaderOptions): Observable<ReaderSignal> {
  return defer(() => {
    const side = new Subject<ReaderSignal>();
    return merge(side, readResolved(source, options, side).pipe(finalize(() => side.complete())));
  });
}

/** Discovers the kind if it is a custom resource (reporting retries on `side`), then reads it. */
function readResolved(
  source: KindSource,
  options: ReaderOptions,
  side: Subject<ReaderSignal>,
): Observable<ReaderSignal> {
  const { kubeConfig, spec, selection } = source;
  const target = targetOf(spec, undefined);
  const logger = options.logger ?? silentLogger;
  const known$ =
    spec.guessed === true && typeof selection.resource === 'string'
      ? discoverWithRetry(kubeConfig, selection.resource, {
          policy: options.backoff ?? DEFAULT_BACKOFF,
          scheduler: options.scheduler ?? asyncScheduler,
          onRetry: (error, attempt, delayMs) => {
            logger.warn(
              { ...target, attempt, delayMs, tag: error._tag },
              `reader retries looking up a resource: ${error.message}`,
            );
            side.next({ type: 'event', event: { type: 'retry', target, attempt, delayMs, error } });
          },
        })
      : of(E.right(spec));
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
          readTarget(targetContext({ ...source, spec: resolved }, namespace, options)),
        ),
      );
    }),
  );
}

function targetOf(spec: ResourceSpec, namespace: string | undefined): ReaderTarget {
  return { kind: spec.kind, resource: `${apiVersionOf(spec)}/${spec.plural}`, namespace };
}

function targetContext(
  source: KindSource,
  namespace: string | undefined,
  options: ReaderOptions,
): Parameters<typeof readTarget>[0] {
  const { client, spec, selection } = source;
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
