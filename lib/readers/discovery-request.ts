import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { Agent, fetch, type Dispatcher } from 'undici';
import { TattlerError } from '../entry/tattler-error.js';
import { describeRequestFailure, redactUrl } from './request-failure.js';

/** One GET of a discovery document. */
export interface DiscoveryRequest {
  /** The path below the server URL: `/api`, `/apis`, `/apis/apps/v1`. */
  readonly path: string;
  /** The `Accept` header. */
  readonly accept: string;
  /** What the request is for, in messages: `discover apps/v1`, `list the API groups`. */
  readonly what: string;
  /** The error for a 404, which says something different for each document. */
  readonly notFound: (url: string) => TattlerError;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * GETs a discovery document with the KubeConfig's credentials, over a connection of its own
 * that is closed as soon as the answer is read.
 *
 * Resolves to the parsed JSON body, or to a Left: `ConfigError` when the KubeConfig has no
 * current cluster, `request.notFound` for a 404, `AccessDeniedError` for 401 and 403, and
 * `ReaderError` when the server cannot be reached, does not answer within `timeoutMs`, or
 * answers anything else. Never rejects.
 */
export async function getDiscoveryDocument(
  kubeConfig: KubeConfig,
  request: DiscoveryRequest,
): Promise<E.Either<TattlerError, unknown>> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) {
    return E.left(
      new TattlerError(
        'ConfigError',
        'the kubeconfig has no current cluster; set a current context that has one',
      ),
    );
  }
  const url = `${server.replace(/\/+$/, '')}${request.path}`;
  // The request's own connection and timer, both ended as soon as it is answered.
  let dispatcher: Dispatcher | undefined;
  const { timeoutMs } = request;
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
    if (request.signal !== undefined) signals.push(request.signal);
    const response = await fetch(url, {
      headers: { ...context.getHeaders(), accept: request.accept },
      dispatcher,
      signal: AbortSignal.any(signals),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return E.right(body);
    if (response.status === 404) return E.left(request.notFound(redactUrl(url)));
    return E.left(httpError(response.status, request.what, redactUrl(url), kubeConfig));
  } catch (cause) {
    return E.left(
      new TattlerError(
        'ReaderError',
        `cannot ${request.what}: ${describeRequestFailure(cause, url)}`,
        { cause },
      ),
    );
  } finally {
    clearTimeout(timer);
    void dispatcher?.destroy().catch(() => undefined);
  }
}

function httpError(
  status: number,
  what: string,
  url: string,
  kubeConfig: KubeConfig,
): TattlerError {
  const user = kubeConfig.getCurrentUser()?.name ?? '';
  if (status === 401) {
    return new TattlerError(
      'AccessDeniedError',
      `could not authenticate as kubeconfig user "${user}" to ${what} at ${url}: the API ` +
        'server answered HTTP 401 (credentials rejected); refresh the ' +
        "user's token, client certificate or exec plugin in the kubeconfig",
    );
  }
  if (status === 403) {
    return new TattlerError(
      'AccessDeniedError',
      `kubeconfig user "${user}" may not ${what} at ${url} (HTTP 403); ` +
        'grant the user get on the non-resource URLs /apis/* and /api/* with RBAC (the ' +
        'built-in system:discovery role does)',
    );
  }
  return new TattlerError(
    'ReaderError',
    `cannot ${what}: ${url} answered HTTP ${status}; retry later`,
  );
}
