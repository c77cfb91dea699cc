/**
 * A non-success answer from the API server: an HTTP status, or an ERROR event inside a watch.
 *
 * Internal to the readers, which classify it (retry, relist, stop) and report it as the
 * `cause` of a `TattlerError`.
 */
export class ApiStatusError extends Error {
  override readonly name = 'ApiStatusError';

  readonly reason: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** The verb of the failed request, `list` or `watch`, for error messages. */
  readonly verb: string | undefined;
  /** The user the API server authenticated the request as, where known (403). */
  readonly user: string | undefined;

  constructor(
    readonly status: number,
    message: string,
    details: { reason?: string; retryAfterMs?: number; verb?: string; user?: string } = {},
  ) {
    super(message);
    this.reason = details.reason;
    this.retryAfterMs = details.retryAfterMs;
    this.verb = details.verb;
    this.user = details.user;
  }

  /** The same answer, naming the user the server authenticated. */
  withUser(user: string): ApiStatusError {
    const { reason, retryAfterMs, verb } = this;
    return new ApiStatusError(this.status, this.message, { reason, retryAfterMs, verb, user });
  }
}

/**
 * A watch or list request that received no byte for longer than the idle limit: the
 * connection is presumed dead.
 */
export class WatchIdleError extends Error {
  override readonly name = 'WatchIdleError';

  constructor(
    readonly idleMs: number,
    /** The verb of the request, `list` or `watch`. */
    readonly verb: string = 'watch',
  ) {
    super(`the ${verb} received nothing for ${idleMs} ms; the connection is presumed dead`);
  }
}

/** True for `410 Gone` (and `Expired`): the resourceVersion is too old, relist. */
export const isGone = (error: unknown): boolean =>
  error instanceof ApiStatusError &&
  (error.status === 410 || error.reason === 'Expired' || error.reason === 'Gone');

/** True for 401 and 403: the credentials cannot read this resource; retrying will not help. */
export const isDenied = (error: unknown): boolean =>
  error instanceof ApiStatusError && (error.status === 401 || error.status === 403);

/**
 * True for errors worth retrying with backoff: network failures, idle watches, 429, 5xx and
 * ERROR events without a client-error status.
 */
export const isRetryable = (error: unknown): boolean => {
  if (!(error instanceof ApiStatusError)) return true;
  return error.status === 429 || error.status >= 500 || error.status === 0;
};

/**
 * Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds from `now`.
 * Answers `undefined` for a missing or unreadable header.
 */
export function parseRetryAfter(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
