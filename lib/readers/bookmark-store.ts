import { createHash } from 'node:crypto';
import type { ResourceSpec } from './resources.js';

/**
 * Where a reader keeps the last resourceVersion it has seen of each watch, so that after a
 * restart it can resume the watch from there instead of listing everything again.
 *
 * Keys come from {@link bookmarkKey}. Shipped stores: {@link fileBookmarkStore} (one JSON
 * file), {@link configMapBookmarkStore} (a ConfigMap in the cluster) and
 * {@link inMemoryBookmarkStore} (tests). Wrap any of them in {@link throttleBookmarkStore}
 * before saving on every watch event.
 *
 * @example
 * ```ts
 * import type { BookmarkStore } from 'tattler';
 *
 * declare const redis: {
 *   get(key: string): Promise<string | null>;
 *   set(key: string, value: string): Promise<unknown>;
 * };
 *
 * const store: BookmarkStore = {
 *   load: async (key) => (await redis.get(key)) ?? undefined,
 *   save: async (key, resourceVersion) => void (await redis.set(key, resourceVersion)),
 * };
 * ```
 *
 * Gotchas: a stored resourceVersion may be too old when it is read back (the API server
 * keeps a few minutes of history); the reader must then relist, as it does on HTTP 410.
 */
export interface BookmarkStore {
  /**
   * The resourceVersion last saved under `key`, or `undefined` when there is none.
   * Rejects with a `TattlerError` only when the store cannot be read at all.
   */
  load(key: string): Promise<string | undefined>;
  /**
   * Records `resourceVersion` under `key`; resolves once it is stored durably.
   * Rejects with a `TattlerError` when it cannot be stored.
   */
  save(key: string, resourceVersion: string): Promise<void>;
}

/** What, besides the resource, decides which objects a watch sees. */
export interface BookmarkFilters {
  /** The namespace watched; leave out for all namespaces. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

const VALID_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * The key under which a watch keeps its bookmark: the resource plus the namespace and
 * selectors, so two watches of the same resource with different filters do not share one.
 *
 * The key is readable (`pods`, `deployments.apps_ns-web`, `widgets.example.com_sel-<hash>`)
 * and valid as a ConfigMap data key and a file name. Version is left out on purpose: all
 * versions of a resource share one resourceVersion sequence.
 *
 * @param spec - The resource watched.
 * @param filters - Its namespace and selectors.
 * @returns The key.
 * @example
 * ```ts
 * import { bookmarkKey } from 'tattler';
 *
 * const deployments = { group: 'apps', plural: 'deployments', namespaced: true };
 * bookmarkKey(deployments, { namespace: 'web' }); // 'deployments.apps_ns-web'
 * ```
 *
 * Gotchas: selectors are hashed as written, so `a=1,b=2` and `b=2,a=1` get different keys
 * (and the second watch starts without a bookmark). A namespace given for a cluster-scoped
 * resource is ignored, as in {@link resourcePath}. The key does not name the cluster: keep
 * one store per cluster.
 */
export function bookmarkKey(
  spec: Pick<ResourceSpec, 'group' | 'plural' | 'namespaced'>,
  filters: BookmarkFilters = {},
): string {
  // Limitation: the key does not name the cluster. Readers drop a bookmark the server has not
  // reached, but another cluster's bookmark inside this one's recent history is used as is.
  const { namespace, labelSelector = '', fieldSelector = '' } = filters;
  const parts = [spec.group === '' ? spec.plural : `${spec.plural}.${spec.group}`];
  if (spec.namespaced && namespace !== undefined && namespace !== '') parts.push(`ns-${namespace}`);
  if (labelSelector !== '' || fieldSelector !== '') {
    parts.push(`sel-${sha256(JSON.stringify([labelSelector, fieldSelector])).slice(0, 16)}`);
  }
  const key = parts.join('_');
  return VALID_KEY.test(key) ? key : `key-${sha256(key).slice(0, 40)}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
