import {
  ApiException,
  CoreV1Api,
  type KubeConfig,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { TattlerError } from '../entry/tattler-error.js';
import type { BookmarkStore } from './bookmark-store.js';
import { describeRequestFailure } from './request-failure.js';
import { forbiddenUser } from './self-subject-review.js';
import { coalescingWriter } from './bookmark-store-writer.js';

/** Options of {@link configMapBookmarkStore}. */
export interface ConfigMapBookmarkStoreOptions {
  /** The namespace of the ConfigMap. */
  readonly namespace: string;
  /** The name of the ConfigMap; it is created when missing. */
  readonly name: string;
  /** How many times to try a write that loses a race with another writer; default 5. */
  readonly maxAttempts?: number;
}

/**
 * A {@link BookmarkStore} that keeps bookmarks in the `data` of one ConfigMap, so that a
 * reader running in the cluster resumes after its Pod is replaced.
 *
 * `load` reads the ConfigMap each time (a missing one means no bookmarks). `save` reads it,
 * merges the new bookmarks into `data` and replaces it with the resourceVersion it read; if
 * another writer got there first (HTTP 409) it reads again and retries, up to `maxAttempts`
 * times. A missing ConfigMap is created, labelled `app.kubernetes.io/managed-by: tattler`.
 * Saves that arrive while a write runs are merged into the next write. Both reject with an
 * `AccessDeniedError` on HTTP 401/403 and a `ReaderError` otherwise.
 *
 * @param kubeConfig - Where the API server is and how to authenticate.
 * @param options - The ConfigMap's namespace and name.
 * @returns The store.
 * @example
 * ```ts
 * import { configMapBookmarkStore, throttleBookmarkStore } from 'tattler';
 *
 * const store = throttleBookmarkStore(
 *   configMapBookmarkStore(kubeConfig, { namespace: 'tattler', name: 'tattler-bookmarks' }),
 * );
 * ```
 *
 * Gotchas: the user needs `get`, `create` and `update` on that ConfigMap. Every save is two
 * requests to the API server: wrap the store in {@link throttleBookmarkStore}.
 */
export function configMapBookmarkStore(
  kubeConfig: KubeConfig,
  options: ConfigMapBookmarkStoreOptions,
): BookmarkStore {
  const api = kubeConfig.makeApiClient(CoreV1Api);
  const { namespace, name } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const where = `ConfigMap ${namespace}/${name}`;
  const failed = (cause: unknown, action: string, verb: string): TattlerError =>
    requestError(cause, { action, verb, namespace, kubeConfig });

  const read = async (): Promise<V1ConfigMap | undefined> => {
    try {
      return await api.readNamespacedConfigMap({ namespace, name });
    } catch (cause) {
      if (statusOf(cause) === 404) return undefined;
      throw failed(cause, `read the bookmarks in ${where}`, 'get');
    }
  };

  const writeOnce = async (entries: ReadonlyMap<string, string>): Promise<boolean> => {
    const current = await read();
    const additions = Object.fromEntries(entries);
    try {
      if (current === undefined) {
        const metadata = { namespace, name, labels: { 'app.kubernetes.io/managed-by': 'tattler' } };
        await api.createNamespacedConfigMap({ namespace, body: { metadata, data: additions } });
      } else {
        const body = { ...current, data: { ...current.data, ...additions } };
        await api.replaceNamespacedConfigMap({ namespace, name, body });
      }
      return true;
    } catch (cause) {
      if (statusOf(cause) === 409) return false;
      const verb = current === undefined ? 'create' : 'update';
      throw failed(cause, `save bookmarks in ${where}`, verb);
    }
  };

  const writer = coalescingWriter(async (entries) => {
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (await writeOnce(entries)) return;
    }
    throw new TattlerError(
      'ReaderError',
      `cannot save bookmarks in ${where}: another writer changed it ${maxAttempts} times in a ` +
        'row. Give each tattler its own ConfigMap, or raise maxAttempts',
    );
  });

  return {
    async load(key) {
      return writer.pending(key) ?? (await read())?.data?.[key];
    },
    save: (key, resourceVersion) => writer.save(key, resourceVersion),
  };
}

function statusOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** What failed, for the error's words. */
interface FailedRequest {
  /** `read the bookmarks in ConfigMap ns/name`. */
  readonly action: string;
  /** The RBAC verb of the request: `get`, `create` or `update`. */
  readonly verb: string;
  readonly namespace: string;
  readonly kubeConfig: KubeConfig;
}

/**
 * 401: the server did not accept the credentials (authentication); 403: it knows the user,
 * who lacks the permission (authorization, RBAC). As the readers word them.
 */
function requestError(cause: unknown, request: FailedRequest): TattlerError {
  const { action, verb, namespace, kubeConfig } = request;
  const status = statusOf(cause);
  const kubeConfigUser = `kubeconfig user "${kubeConfig.getCurrentUser()?.name ?? 'unknown'}"`;
  if (status === 401) {
    return new TattlerError(
      'AccessDeniedError',
      `could not authenticate as ${kubeConfigUser} to ${action}: the API server answered 401 ` +
        `Unauthorized (credentials rejected). Refresh the credentials of ${kubeConfigUser}: a ` +
        'token that has not expired or been revoked, a client certificate that is still valid ' +
        'and signed by a CA the server trusts, or an exec plugin that succeeds.',
      { cause },
    );
  }
  if (status === 403) {
    const message = statusMessage(cause);
    const user = forbiddenUser(message ?? '');
    return new TattlerError(
      'AccessDeniedError',
      `${user === undefined ? kubeConfigUser : `user "${user}"`} may not ${verb} configmaps in ` +
        `namespace "${namespace}", so cannot ${action}: the API server answered 403 Forbidden` +
        `${message === undefined ? '' : ` (${message})`}. Grant the user get, create and ` +
        `update on configmaps in namespace "${namespace}" with RBAC (a Role, bound to the user ` +
        'by a RoleBinding; docs/bookmarks.md shows one), or use another bookmark store.',
      { cause },
    );
  }
  const server = kubeConfig.getCurrentCluster()?.server ?? 'the current cluster (none is set)';
  const detail =
    status === undefined
      ? describeRequestFailure(cause, server)
      : status === 404
        ? `the API server answered 404 Not Found: is there a namespace "${namespace}"?`
        : `the API server answered HTTP ${status}. Check that it is healthy.`;
  return new TattlerError('ReaderError', `cannot ${action}: ${detail}`, { cause });
}

/** The `message` of the Status body an ApiException carries, parsed or not. */
function statusMessage(error: unknown): string | undefined {
  let body: unknown = error instanceof ApiException ? error.body : undefined;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const message = typeof body === 'object' && body !== null ? Reflect.get(body, 'message') : '';
  return typeof message === 'string' && message !== '' ? message : undefined;
}
