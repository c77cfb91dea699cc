import {
  defer,
  retry,
  tap,
  throwError,
  timer,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';

/** How long to wait before the n-th retry: exponential, capped, with jitter. */
export interface BackoffPolicy {
  /** The delay before the first retry, in milliseconds. Default 500. */
  readonly initialDelayMs: number;
  /** The longest delay, in milliseconds. Default 30 000. */
  readonly maxDelayMs: number;
  /** The growth per attempt. Default 2. */
  readonly factor: number;
  /** The share of each delay that is random, from 0 (none) to 1. Default 0.5. */
  readonly jitter: number;
}

/** The policy readers use unless told otherwise. */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * The delay before retry number `attempt` (1 for the first retry).
 *
 * The delay grows as `initialDelayMs * factor^(attempt - 1)` up to `maxDelayMs`; then the
 * `jitter` share of it is replaced by a random share, so that many readers failing together
 * do not retry together.
 *
 * @param attempt the retry number, from 1.
 * @param policy the policy; defaults to {@link DEFAULT_BACKOFF}.
 * @param random a source of numbers in [0, 1); defaults to `Math.random`.
 * @returns the delay in milliseconds, between `(1 - jitter)` and 1 times the capped delay.
 * @example
 * ```ts
 * import { backoffDelay } from 'tattler';
 *
 * backoffDelay(3, { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0 }); // 400
 * ```
 */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** exponent);
  return Math.round(capped * (1 - policy.jitter) + capped * policy.jitter * random());
}

/** What {@link retryWithBackoff} should do about one error. */
export interface RetryAdvice {
  /** Wait at least this long, such as a `Retry-After` the server sent. */
  readonly minDelayMs?: number;
  /** Retry at once (after `minDelayMs`, if any) instead of backing off. */
  readonly immediate?: boolean;
  /** Leave this retry out of `onRetry`, for retries that are part of the plan. */
  readonly quiet?: boolean;
}

/** Options of {@link retryWithBackoff}. */
export interface RetryWithBackoffOptions<T> {
  /** Answers advice to retry, or `undefined` to let the error through. */
  readonly classify: (error: unknown) => RetryAdvice | undefined;
  readonly policy?: BackoffPolicy;
  readonly scheduler?: SchedulerLike;
  readonly random?: () => number;
  /** Called before each wait, to report the retry. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Which values prove the source healthy and start the attempts over; default every value. */
  readonly resetWhen?: (value: T) => boolean;
}

/**
 * Resubscribes to the source after errors that `classify` calls retryable, waiting an
 * exponential, jittered delay; the attempt count starts over after the source emits a value
 * that `resetWhen` accepts (any value by default).
 *
 * Emits what the source emits. Completes when the source completes. Errors with the first
 * error that `classify` answers `undefined` for.
 *
 * ```text
 * source:  --a--#            (resubscribed) --b--|
 * delays:        <-- 500 ms -->
 * result:  --a-------------------------------b--|
 * ```
 *
 * @param options how to classify errors, the backoff policy and the scheduler.
 * @returns an operator.
 * @example
 * ```ts
 * import type { Observable } from 'rxjs';
 * import { retryWithBackoff } from 'tattler';
 *
 * declare const source$: Observable<unknown>;
 * declare function isNetworkError(error: unknown): boolean;
 * source$.pipe(retryWithBackoff({ classify: (error) => (isNetworkError(error) ? {} : undefined) }));
 * ```
 *
 * Gotchas: there is no attempt limit; a source that keeps failing is retried forever at
 * `maxDelayMs` intervals. Report `onRetry` to see it.
 */
export function retryWithBackoff<T>(
  options: RetryWithBackoffOptions<T>,
): MonoTypeOperatorFunction<T> {
  const policy = options.policy ?? DEFAULT_BACKOFF;
  const resetWhen = options.resetWhen ?? ((): boolean => true);
  return (source) =>
    defer(() => {
      let attempt = 0;
      return source.pipe(
        tap((value) => {
          if (resetWhen(value)) attempt = 0;
        }),
        retry({
          delay: (error: unknown) => {
            const advice = options.classify(error);
            if (advice === undefined) return throwError(() => error);
            attempt += 1;
            const backoff =
              advice.immediate === true ? 0 : backoffDelay(attempt, policy, options.random);
            const delayMs = Math.max(advice.minDelayMs ?? 0, backoff);
            if (advice.quiet !== true) options.onRetry?.(error, attempt, delayMs);
            return timer(delayMs, options.scheduler);
          },
        }),
      );
    });
}
