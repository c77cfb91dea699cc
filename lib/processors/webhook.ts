import { readFile } from 'node:fs/promises';
import pRetry, { AbortError } from 'p-retry';
import { Agent, request, type Dispatcher } from 'undici';
import type { Batch } from '../entry/batch.js';
import { TattlerError } from '../entry/tattler-error.js';
import { silentLogger, type Logger } from '../logger.js';
import { toEntryRecord } from './ndjson.js';
import type { Processor } from './processor.js';
import {
  AttemptFailure,
  describeFailure,
  isRetriable,
  redactUrl,
  retryAfterMs,
} from './webhook-failure.js';

/** TLS material for {@link webhookProcessor}, as PEM text (not file paths). */
export interface WebhookTls {
  /** Certificate authorities to trust instead of the system's. */
  readonly ca?: string | Buffer;
  /** A client certificate, for receivers that require mutual TLS; needs `key`. */
  readonly cert?: string | Buffer;
  /** The client certificate's private key. */
  readonly key?: string | Buffer;
}

/** Options of {@link webhookProcessor}. */
export interface WebhookProcessorOptions {
  /** The receiver's URL; each batch is POSTed here. */
  readonly url: string;
  /** The processor's name in logs and metrics; defaults to `webhook`. */
  readonly name?: string;
  /** How long one attempt may take, headers and body, in milliseconds; defaults to 10 000. */
  readonly timeoutMs?: number;
  /** How many times to retry a failed attempt; defaults to 5 (so 6 attempts in all). */
  readonly retries?: number;
  /**
   * The wait before the first retry, doubled for each next one and scaled by a random
   * factor from 1 to 2; defaults to 500 ms.
   */
  readonly minRetryDelayMs?: number;
  /**
   * The longest wait between two attempts, also for a receiver's `Retry-After`; defaults to
   * 30 000 ms.
   */
  readonly maxRetryDelayMs?: number;
  /** A file holding a bearer token, read again for every batch so a rotated token is used. */
  readonly bearerTokenFile?: string;
  /** Extra request headers, such as an API key header. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly tls?: WebhookTls;
  /**
   * The undici dispatcher to send through, such as a `ProxyAgent`; by default an `Agent` of
   * this processor's own, with `tls`. A dispatcher given here is used as it is (`tls` is
   * then ignored) and is not closed by `close()`.
   */
  readonly dispatcher?: Dispatcher;
  /** Where to report retries and dropped batches (at debug level); defaults to silence. */
  readonly logger?: Logger;
}

/** The JSON body that {@link webhookProcessor} POSTs for each batch. */
export interface WebhookBody {
  /** The number of entries. */
  readonly size: number;
  /** When the first attempt for this batch started, as an ISO 8601 string. */
  readonly sentAt: string;
  readonly entries: readonly ReturnType<typeof toEntryRecord>[];
}

/**
 * A processor that POSTs each batch as one JSON document ({@link WebhookBody}) to a URL.
 *
 * A 2xx answer settles `process`. A network error, a timeout, a 408, a 429 or a 5xx answer is
 * retried with exponential backoff, waiting at least as long as a 429's or 503's
 * `Retry-After` asks (up to `maxRetryDelayMs`); any other answer is not retried. When no attempt
 * succeeds, the batch is dropped: `process` rejects with a `ProcessorError` naming the URL,
 * the batch size, the attempts and the last failure, which the pipeline counts, reports and
 * summarises once per interval (this processor logs it at debug level only, so that a dead
 * receiver does not log a line per batch). The body of a batch is built once, so every
 * attempt sends the same bytes.
 *
 * @param options - see {@link WebhookProcessorOptions}.
 * @returns the processor; call `close()` to close its connections.
 * @example
 * ```ts
 * import { webhookProcessor } from 'tattler';
 *
 * const processor = webhookProcessor({
 *   url: 'https://inventory.example/ingest',
 *   bearerTokenFile: '/var/run/secrets/inventory/token',
 * });
 * ```
 *
 * Gotchas: while it retries, this processor takes no new batch. Put the pipeline's bounded
 * buffer in front of it (the `tattler` command always does) so a slow receiver costs only
 * this processor's batches. A receiver must accept the same batch twice: an attempt that
 * timed out may still have been delivered. A bearer token sent to an `http://` URL travels in
 * clear text; the processor warns once when it is built.
 */
export function webhookProcessor(options: WebhookProcessorOptions): Processor {
  const name = options.name ?? 'webhook';
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxDelayMs = options.maxRetryDelayMs ?? 30_000;
  const agent =
    options.dispatcher === undefined ? new Agent({ connect: { ...options.tls } }) : undefined;
  const dispatcher = options.dispatcher ?? agent;
  const closing = new AbortController();
  if (options.bearerTokenFile !== undefined && URL.parse(options.url)?.protocol === 'http:') {
    logger.warn(
      { processor: name, url: redactUrl(options.url) },
      `processor ${name} sends its bearer token over plain http://, readable by anyone on ` +
        'the way; use an https:// URL',
    );
  }

  const attempt = async (body: string): Promise<void> => {
    const headers: Record<string, string> = {
      ...options.headers,
      'content-type': 'application/json',
    };
    if (options.bearerTokenFile !== undefined) {
      headers['authorization'] = `Bearer ${await readToken(options.bearerTokenFile, name)}`;
    }
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]);
    const response = await request(options.url, {
      method: 'POST',
      headers,
      body,
      dispatcher,
      signal,
    }).catch((cause: unknown) => {
      throw new AttemptFailure(describeFailure(cause, timeoutMs), undefined, { cause });
    });
    await response.body.dump();
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;
    const wait =
      status === 429 || status === 503
        ? retryAfterMs(response.headers['retry-after'], Date.now())
        : undefined;
    const failure = new AttemptFailure(`the receiver answered HTTP ${status}`, wait);
    if (!isRetriable(status)) throw new AbortError(failure);
    throw failure;
  };

  // p-retry waits its own backoff after this; wait the rest of a longer Retry-After first.
  const honourRetryAfter = async (error: Error, backoffMs: number): Promise<void> => {
    const asked = error instanceof AttemptFailure ? error.retryAfterMs : undefined;
    if (asked === undefined) return;
    const extra = Math.min(asked, maxDelayMs) - backoffMs;
    if (extra > 0) await delay(extra, closing.signal);
  };

  return {
    name,
    async process(batch: Batch): Promise<void> {
      if (batch.size === 0) return;
      const body = JSON.stringify({
        size: batch.size,
        sentAt: new Date().toISOString(),
        entries: batch.entries.map(toEntryRecord),
      } satisfies WebhookBody);
      let attempts = 0;
      try {
        const once = (): Promise<void> => {
          attempts += 1;
          return attempt(body);
        };
        await pRetry(once, {
          retries: options.retries ?? 5,
          minTimeout: options.minRetryDelayMs ?? 500,
          maxTimeout: maxDelayMs,
          randomize: true,
          signal: closing.signal,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
            if (retriesLeft === 0) return;
            logger.debug({ processor: name, attemptNumber, reason: error.message }, 'retrying');
            await honourRetryAfter(error, retryDelay);
          },
        });
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        // Not a warning: a dead receiver would give one per batch. The pipeline counts the
        // rejection and logs one summary per interval; the command logs each reason once.
        logger.debug(
          { processor: name, url: redactUrl(options.url), size: batch.size, attempts, reason },
          'webhook batch dropped after its last attempt',
        );
        throw new TattlerError(
          'ProcessorError',
          `processor ${name} dropped a batch of ${batch.size} after ${attempts} attempt(s): ` +
            `${reason}. Check that ${redactUrl(options.url)} is up and answers 2xx.`,
          { cause },
        );
      }
    },
    async close(): Promise<void> {
      closing.abort(new Error(`processor ${name} is closing`));
      await agent?.close();
    },
  };
}

async function readToken(path: string, name: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (cause) {
    throw new Error(
      `processor ${name} cannot read its bearer token file ${path} ` +
        `(${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
      { cause },
    );
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // The global timer, not node:timers/promises, so that tests with a fake clock control it.
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
