import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node';
import { STATUS_CODES } from 'node:http';
import { fetch, type Dispatcher, type Response } from 'undici';
import { ApiStatusError, parseRetryAfter } from './api-error.js';
import { ConnectionPool } from './connection-pool.js';
import { forbiddenUser, reviewSelf, SELF_SUBJECT_REVIEW_PATH } from './self-subject-review.js';

/** One GET request to the API server. */
export interface ApiGet {
  /** The path below the server URL, such as `/api/v1/pods`. */
  readonly path: string;
  /** Query parameters; `undefined` values are left out. */
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The `Accept` header; defaults to JSON. */
  readonly accept?: string;
  /** The verb for error messages: `list` or `watch`. */
  readonly verb: string;
  readonly signal: AbortSignal;
}

/**
 * GET requests to the API server with the credentials of a `KubeConfig`, through one
 * connection pool that {@link ApiClient.presumeDead} replaces and {@link ApiClient.close}
 * ends.
 *
 * Each request asks the `KubeConfig` for fresh headers, so exec and token-file credentials
 * that rotate keep working. The TLS settings (CA, client certificate) are taken from the
 * first request over each pool.
 */
export class ApiClient {
  private readonly pool = new ConnectionPool();
  private identity: Promise<string | undefined> | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly options: { readonly compression?: boolean } = {},
  ) {}

  /** The name of the KubeConfig's current user entry, for error messages. */
  get user(): string {
    return this.kubeConfig.getCurrentUser()?.name ?? 'unknown user';
  }

  /** The KubeConfig's server URL, for error messages; `redactUrl` it before showing it. */
  get server(): string {
    return this.kubeConfig.getCurrentCluster()?.server ?? 'the current cluster (none is set)';
  }

  /**
   * Sends the request and answers the response once its headers arrive.
   *
   * Rejects with an {@link ApiStatusError} for a status other than 2xx (reading the `Status`
   * body for its reason and message; for 403, with the user the server authenticated), and
   * with the network error when there is no response.
   */
  async get(request: ApiGet): Promise<Response> {
    const response = await this.send(request, {
      method: HttpMethod.GET,
      accept: request.accept ?? 'application/json',
      verb: request.verb,
    });
    if (response.ok) return response;
    const error = await statusError(response, request.verb);
    if (error.status !== 403) throw error;
    const user = (await this.authenticatedUser(request.signal)) ?? forbiddenUser(error.message);
    throw user === undefined ? error : error.withUser(user);
  }

  /**
   * Says that the request sent with `signal` received nothing for too long: its connection is
   * presumed dead, and later requests go over a new one.
   */
  presumeDead(signal: AbortSignal): void {
    this.pool.presumeDead(signal);
  }

  /**
   * Closes the connection pool once the requests on it have ended (whoever sent a request
   * aborts it when unsubscribed); later requests fail.
   */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * Who the credentials authenticate as, asked once per client (a `SelfSubjectReview`) when
   * the server first refuses a request; `undefined` when the server cannot say.
   */
  private authenticatedUser(signal: AbortSignal): Promise<string | undefined> {
    this.identity ??= reviewSelf(
      (body, reviewSignal) =>
        this.send(
          { path: SELF_SUBJECT_REVIEW_PATH, query: {}, signal: reviewSignal },
          { method: HttpMethod.POST, accept: 'application/json', body },
        ),
      signal,
    ).then((user) => {
      // An aborted review says nothing about the user: let the next refusal ask again.
      if (user === undefined && signal.aborted) this.identity = undefined;
      return user;
    });
    return this.identity;
  }

  private async send(
    request: Pick<ApiGet, 'path' | 'query' | 'signal'>,
    how: {
      readonly method: HttpMethod;
      readonly accept: string;
      readonly body?: string;
      readonly verb?: string;
    },
  ): Promise<Response> {
    const server = this.kubeConfig.getCurrentCluster()?.server;
    if (server === undefined) {
      throw new ApiStatusError(0, 'the KubeConfig has no current cluster', { verb: how.verb });
    }
    const url = new URL(server.replace(/\/+$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const context = new RequestContext(url.toString(), how.method);
    await this.kubeConfig.applySecurityAuthentication(context);
    const headers = context.getHeaders() as unknown as Record<string, string>;
    return fetch(url, {
      method: how.method,
      headers: {
        ...headers,
        accept: how.accept,
        ...(how.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.options.compression === false ? { 'accept-encoding': 'identity' } : {}),
      },
      body: how.body,
      // Limitation: the TLS settings (CA, client certificate) of the first request are kept
      // for the pool's lifetime; a rotated client certificate is used only by a new pool.
      dispatcher: this.pool.dispatcherFor(
        request.signal,
        context.getDispatcher() as Dispatcher | undefined,
      ),
      signal: request.signal,
    });
  }
}

async function statusError(response: Response, verb: string): Promise<ApiStatusError> {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  let reason: string | undefined;
  // HTTP/2, which the API server speaks, has no reason phrase: statusText is empty there.
  let message = response.statusText || (STATUS_CODES[response.status] ?? '');
  try {
    const body = (await response.json()) as { reason?: unknown; message?: unknown };
    if (typeof body.reason === 'string') reason = body.reason;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // A body that is not a Status (a proxy's page, "404 page not found") leaves the phrase.
  }
  return new ApiStatusError(response.status, message, { reason, retryAfterMs, verb });
}
