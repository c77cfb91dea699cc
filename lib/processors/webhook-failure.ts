/**
 * One failed attempt of the webhook processor, with how long the receiver asked to wait
 * (`Retry-After`) when it said so. Internal to `webhookProcessor`.
 */
export class AttemptFailure extends Error {
  constructor(
    message: string,
    /** The receiver's `Retry-After`, in milliseconds from now. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AttemptFailure';
  }
}

/**
 * Reads a `Retry-After` header (RFC 9110): a number of seconds, or an HTTP date.
 *
 * @param header - the header as undici answers it.
 * @param now - the current time in ms since the epoch, for a date.
 * @returns milliseconds to wait (0 for a date in the past), or `undefined` when there is no
 *   header or it cannot be read.
 */
export function retryAfterMs(
  header: string | string[] | undefined,
  now: number,
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Whether a status is worth retrying: a timeout, a rate limit or a server error. */
export function isRetriable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Words for a request that got no answer: a timeout, a refused connection. */
export function describeFailure(cause: unknown, timeoutMs: number): string {
  // The timeout's reason is a DOMException, which is not always `instanceof Error`.
  if ((cause as { name?: unknown } | undefined)?.name === 'TimeoutError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (cause as { code?: unknown } | undefined)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' ? `${code}: ${message}` : message;
}

/** Leaves user info and query out of a URL for logs, where a token may hide. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
