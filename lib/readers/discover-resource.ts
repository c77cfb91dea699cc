import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { Agent, fetch, type Dispatcher } from 'undici';
import { TattlerError } from '../entry/tattler-error.js';
import { builtInResource } from './resources-catalogue.js';
import { describeRequestFailure } from './request-failure.js';
import { resourceFor } from './resources-lookup.js';
import { apiVersionOf, groupVersionPath, type ResourceSpec } from './resources.js';

/** Options of {@link discoverResource}. */
export interface DiscoverResourceOptions {
  /** Give up after this many milliseconds; default 30 000. */
  readonly timeoutMs?: number;
  /** Abort the request early, for example when the caller shuts down. */
  readonly signal?: AbortSignal;
}

interface ApiResource {
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/**
 * Resolves a resource name like {@link resourceFor} does, then asks the API server's
 * discovery endpoint (`/apis/{group}/{version}`, or `/api/v1`) for the resource's kind and
 * scope: the only way to know them for a custom resource.
 *
 * Resolves to a Right spec with `guessed` unset, or to a Left `TattlerError`: `ConfigError`
 * for a bad name, a group/version the server does not serve (a CustomResourceDefinition not
 * installed yet, a typo) or a resource that cannot be listed and watched;
 * `AccessDeniedError` for 401/403; `ReaderError` when the server cannot be reached or
 * answers something else. Never rejects.
 *
 * @param kubeConfig - Where the API server is and how to authenticate.
 * @param name - Anything {@link resourceFor} accepts, such as `example.com/v1/widgets`.
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
 * ```
 *
 * Gotchas: one request per call and no caching; resolve each resource once at start-up.
 * A CustomResourceDefinition created a moment ago may not be served yet: retry on a
 * `ConfigError` if you have just installed it.
 */
export async function discoverResource(
  kubeConfig: KubeConfig,
  name: string,
  options: DiscoverResourceOptions = {},
): Promise<E.Either<TattlerError, ResourceSpec>> {
  const parsed = resourceFor(name);
  if (E.isLeft(parsed)) return parsed;
  const spec = parsed.right;
  const listing = await fetchResourceList(kubeConfig, spec, options);
  if (E.isLeft(listing)) return listing;
  return fromListing(spec, listing.right);
}

function fromListing(
  spec: ResourceSpec,
  resources: readonly ApiResource[],
): E.Either<TattlerError, ResourceSpec> {
  const where = `${apiVersionOf(spec)}/${spec.plural}`;
  const found = resources.find((resource) => resource.name === spec.plural);
  if (found === undefined) {
    const served = resources.map((resource) => resource.name).filter((n) => !n.includes('/'));
    return E.left(
      configError(
        `the API server serves no resource "${spec.plural}" in ${apiVersionOf(spec)}; ` +
          `it serves: ${served.join(', ') || 'nothing'}. Check the name of ${where}`,
      ),
    );
  }
  const missing = ['list', 'watch'].filter((verb) => !found.verbs.includes(verb));
  if (missing.length > 0) {
    return E.left(
      configError(
        `${where} cannot be read: the API server does not support ${missing.join(' and ')} ` +
          'on it. Choose a resource that can be listed and watched',
      ),
    );
  }
  const metadataOnly = builtInResource(spec.group, spec.plural)?.defaultMetadataOnly === true;
  const { group, version, plural } = spec;
  const discovered = { group, version, plural, kind: found.kind, namespaced: found.namespaced };
  return E.right(metadataOnly ? { ...discovered, defaultMetadataOnly: true } : discovered);
}

async function fetchResourceList(
  kubeConfig: KubeConfig,
  spec: ResourceSpec,
  options: DiscoverResourceOptions,
): Promise<E.Either<TattlerError, readonly ApiResource[]>> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) {
    return E.left(
      configError('the kubeconfig has no current cluster; set a current context that has one'),
    );
  }
  const url = `${server.replace(/\/+$/, '')}${groupVersionPath(spec)}`;
  // The request's own connection and timer, both ended as soon as it is answered.
  let dispatcher: Dispatcher | undefined;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`no answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const context = new RequestContext(url, HttpMethod.GET);
    await kubeConfig.applySecurityAuthentication(context);
    // Limitation: as for readers, an Agent of its own when the KubeConfig builds none, so
    // undici's global dispatcher (setGlobalDispatcher) is not used.
    dispatcher = (context.getDispatcher() as Dispatcher | undefined) ?? new Agent();
    const signals = [timeout.signal];
    if (options.signal !== undefined) signals.push(options.signal);
    const response = await fetch(url, {
      headers: { ...context.getHeaders(), accept: 'application/json' },
      dispatcher,
      signal: AbortSignal.any(signals),
    });
    const body: unknown = await response.json().catch(() => undefined);
    return response.ok
      ? parseResourceList(body, url)
      : E.left(httpError(response.status, spec, url, kubeConfig.getCurrentUser()?.name ?? ''));
  } catch (cause) {
    return E.left(
      new TattlerError(
        'ReaderError',
        `cannot ask the API server which resources ${apiVersionOf(spec)} serves: ` +
          describeRequestFailure(cause, url),
        { cause },
      ),
    );
  } finally {
    clearTimeout(timer);
    void dispatcher?.destroy().catch(() => undefined);
  }
}

function parseResourceList(
  body: unknown,
  url: string,
): E.Either<TattlerError, readonly ApiResource[]> {
  const resources = isRecord(body) ? body['resources'] : undefined;
  if (!Array.isArray(resources)) {
    return E.left(
      new TattlerError(
        'ReaderError',
        `${url} did not answer an APIResourceList; check that the kubeconfig points at a ` +
          'Kubernetes API server',
      ),
    );
  }
  return E.right(resources.filter(isRecord).map(toApiResource));
}

function toApiResource(raw: Record<string, unknown>): ApiResource {
  const verbs = Array.isArray(raw['verbs']) ? raw['verbs'] : [];
  return {
    name: typeof raw['name'] === 'string' ? raw['name'] : '',
    kind: typeof raw['kind'] === 'string' ? raw['kind'] : '',
    namespaced: raw['namespaced'] === true,
    verbs: verbs.filter((verb): verb is string => typeof verb === 'string'),
  };
}

function httpError(status: number, spec: ResourceSpec, url: string, user: string): TattlerError {
  const apiVersion = apiVersionOf(spec);
  if (status === 401) {
    return new TattlerError(
      'AccessDeniedError',
      `could not authenticate as kubeconfig user "${user}" to discover ${apiVersion} at ` +
        `${url}: the API server answered HTTP 401 (credentials rejected); refresh the ` +
        "user's token, client certificate or exec plugin in the kubeconfig",
    );
  }
  if (status === 403) {
    return new TattlerError(
      'AccessDeniedError',
      `kubeconfig user "${user}" may not discover ${apiVersion} at ${url} (HTTP 403); ` +
        'grant the user get on the non-resource URLs /apis/* and /api/* with RBAC (the ' +
        'built-in system:discovery role does)',
    );
  }
  if (status === 404) {
    return configError(
      `the API server does not serve ${apiVersion} (HTTP 404 from ${url}); check the group ` +
        'and version, or that the CustomResourceDefinition is installed and established',
    );
  }
  return new TattlerError(
    'ReaderError',
    `discovery of ${apiVersion} at ${url} failed with HTTP ${status}; retry later`,
  );
}

function configError(message: string): TattlerError {
  return new TattlerError('ConfigError', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
