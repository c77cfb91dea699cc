import type { KubeConfig } from '@kubernetes/client-node';
import type { either as E } from 'fp-ts';
import type { TattlerError } from '../entry/tattler-error.js';
import { ResourceDiscovery } from './resources-discovery.js';
import type { ResourceSpec } from './resources.js';

/** Options of {@link discoverResource} and {@link discoverResources}. */
export interface DiscoverResourceOptions {
  /** Give up on each request after this many milliseconds; default 30 000. */
  readonly timeoutMs?: number;
  /** Abort the requests early, for example when the caller shuts down. */
  readonly signal?: AbortSignal;
}

/**
 * Resolves a resource name as the API server knows it: the only way to know a custom
 * resource's kind and scope, and to find a kind the built-in catalogue does not list.
 *
 * - A built-in kind or a `group/version/resource` (anything {@link resourceFor} resolves) is
 *   looked up in its group/version's discovery document (`/apis/{group}/{version}`, or
 *   `/api/v1`): one request.
 * - Any other bare name (`ServiceAccount`, `widgets`, `wd`) is looked up, as kubectl does, in
 *   the server's aggregated discovery (`/api` and `/apis`, two requests): by kind, plural,
 *   singular or short name, case-insensitively, at its group's preferred version.
 *
 * Resolves to a Right spec with `guessed` unset, or to a Left `TattlerError`: `ConfigError`
 * for a bad name, a group/version the server does not serve (a CustomResourceDefinition not
 * installed yet, a typo), a name nothing is called (with the closest names), a name of
 * resources in several groups (with the `group/version/resource` of each) or a resource that
 * cannot be listed and watched; `AccessDeniedError` for 401/403; `ReaderError` when the
 * server cannot be reached (naming why) or answers something else. Never rejects.
 *
 * @param kubeConfig - Where the API server is and how to authenticate.
 * @param name - A kind, plural, singular or short name, or `group/version/resource`.
 * @param options - Timeout and abort signal.
 * @returns The resource as the API server describes it, or the error.
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { discoverResource } from 'tattler';
 *
 * const kubeConfig = new KubeConfig();
 * kubeConfig.loadFromDefault();
 * const widgets = await discoverResource(kubeConfig, 'example.com/v1/widgets');
 * const accounts = await discoverResource(kubeConfig, 'sa'); // v1/serviceaccounts
 * ```
 *
 * Gotchas: each call asks again; to resolve several names with one set of requests, call
 * {@link discoverResources}. A CustomResourceDefinition created a moment ago may not be
 * served yet: retry on a `ConfigError` if you have just installed it. A server without
 * aggregated discovery (before Kubernetes 1.27) resolves only `group/version/resource` and
 * built-in names.
 */
export async function discoverResource(
  kubeConfig: KubeConfig,
  name: string,
  options: DiscoverResourceOptions = {},
): Promise<E.Either<TattlerError, ResourceSpec>> {
  const [result] = await discoverResources(kubeConfig, [name], options);
  return result as E.Either<TattlerError, ResourceSpec>;
}

/**
 * {@link discoverResource} for several names at once, asking each discovery document at most
 * once: two requests for all the bare names, plus one per group/version named.
 *
 * @param kubeConfig - Where the API server is and how to authenticate.
 * @param names - The names, as {@link discoverResource} takes them.
 * @param options - Timeout (per request) and abort signal.
 * @returns One result per name, in the same order. Never rejects.
 * @example
 * ```ts
 * import { KubeConfig } from '@kubernetes/client-node';
 * import { discoverResources } from 'tattler';
 *
 * const kubeConfig = new KubeConfig();
 * kubeConfig.loadFromDefault();
 * const [accounts, widgets] = await discoverResources(kubeConfig, ['ServiceAccount', 'wd']);
 * ```
 */
export async function discoverResources(
  kubeConfig: KubeConfig,
  names: readonly string[],
  options: DiscoverResourceOptions = {},
): Promise<readonly E.Either<TattlerError, ResourceSpec>[]> {
  const discovery = new ResourceDiscovery(kubeConfig, options);
  try {
    return await Promise.all(names.map((name) => discovery.resolve(name)));
  } finally {
    discovery.close();
  }
}
