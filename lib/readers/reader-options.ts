import type { SchedulerLike } from 'rxjs';
import type { Logger } from '../logger.js';
import type { BackoffPolicy } from './backoff.js';
import type { BookmarkStore } from './bookmark-store.js';
import type { ResourceSpec } from './resources.js';

/**
 * One kind to read, and which of its objects.
 *
 * @example
 * ```ts
 * import type { KindSelection } from 'tattler';
 *
 * const webPods: KindSelection = {
 *   resource: 'Pod',
 *   namespaces: ['web', 'api'],
 *   labelSelector: 'tier=frontend',
 * };
 * ```
 */
export interface KindSelection {
  /**
   * The resource: a kind (`Pod`), a short name (`deploy`), `group/version/resource`
   * (`example.com/v1/widgets`) or a full {@link ResourceSpec}.
   */
  readonly resource: string | ResourceSpec;
  /** Watch only these namespaces, one watch each; leave out for all namespaces. */
  readonly namespaces?: readonly string[];
  /** A label selector such as `app=web,tier!=cache`. */
  readonly labelSelector?: string;
  /** A field selector such as `spec.nodeName=node-1`. */
  readonly fieldSelector?: string;
  /**
   * Fetch only `apiVersion`, `kind` and `metadata` of each object. Defaults to `true` for
   * ConfigMap and Secret (whose `data`, `binaryData` and `stringData` are then never read)
   * and `false` otherwise.
   */
  readonly metadataOnly?: boolean;
}

/** How a reader gets the initial state of a kind. */
export type InitialListMode = 'auto' | 'paginated' | 'streaming';

/** Options of `readCluster` and `readKind`; every one is optional. */
export interface ReaderOptions {
  /**
   * `streaming` asks for a streaming list (a watch with `sendInitialEvents=true`);
   * `paginated` lists with `limit`/`continue` then watches; `auto` (the default) tries
   * streaming and falls back to paginated when the server refuses it.
   */
  readonly initialList?: InitialListMode;
  /** Objects per list page; default 500. */
  readonly pageSize?: number;
  /** Relist every this many milliseconds, emitting a `snapshot` of every object; default never. */
  readonly relistIntervalMs?: number;
  /** Keeps the last resourceVersion per kind, so a restarted reader resumes its watch. */
  readonly bookmarkStore?: BookmarkStore;
  /**
   * The longest a watch or a list page may go without receiving a byte before it is presumed
   * dead and retried; default 120 000. With its watch cache on, the API server sends a
   * bookmark about once a minute while the kind changes anywhere in the cluster; a watch of a
   * quiet kind may receive nothing and is then restarted each time this passes, which costs
   * one request and loses nothing. A page may take longer in all, as long as its bytes keep
   * coming.
   */
  readonly idleTimeoutMs?: number;
  /**
   * The `timeoutSeconds` asked of each watch; default a random value between 300 and 600,
   * so that many watches do not restart together.
   */
  readonly watchTimeoutSeconds?: number;
  /** The backoff between retries; default {@link DEFAULT_BACKOFF}. */
  readonly backoff?: BackoffPolicy;
  /**
   * Whether to ask the API server for gzip-compressed responses; default `true`, as client-go
   * does. Set `false` where the network is cheap and CPU is not (loopback, a reader beside the
   * API server): compressing every list page and watch costs both sides CPU.
   */
  readonly compression?: boolean;
  /** A pino-style logger; default silent. */
  readonly logger?: Logger;
  /** The scheduler for timers (idle, backoff, relist); default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}
