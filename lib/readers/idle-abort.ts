import type { SchedulerLike, Subscription } from 'rxjs';
import { WatchIdleError } from './api-error.js';

/** Options of {@link idleAbort}. */
export interface IdleAbortOptions {
  /** How long the request may go without a byte. */
  readonly idleTimeoutMs: number;
  /** The verb of the request, `list` or `watch`, for the error message. */
  readonly verb: string;
  readonly scheduler: SchedulerLike;
  /** Aborts the request too, with its own reason; stops the timer. */
  readonly parent?: AbortSignal;
  /** Called once when the limit passes, after the signal has been aborted. */
  readonly onIdle?: (error: WatchIdleError) => void;
}

/** What {@link idleAbort} returns: the request's signal and the controls of its idle timer. */
export interface IdleAbort {
  /** Aborted with a {@link WatchIdleError} when idle too long, or with the parent's reason. */
  readonly signal: AbortSignal;
  /** Starts the idle limit over; call it when the request is sent and whenever bytes arrive. */
  kick(): void;
  /** Cancels the timer and stops following the parent; the signal stays as it is. */
  stop(): void;
  /** Aborts the request now and cancels the timer. */
  abort(reason?: unknown): void;
}

/**
 * An abort signal for one request that fires when the request goes `idleTimeoutMs`
 * without a byte: the time from one chunk to the next is limited, not the whole request, so
 * a long answer that keeps arriving is never cut.
 *
 * The timer runs on the scheduler, so it follows virtual time in tests and is cancelled by
 * `stop` or `abort`; nothing is left behind once the request is over.
 *
 * @param options the limit, the scheduler, the parent signal and what to do when idle.
 * @returns the signal to pass to the request, and `kick`, `stop` and `abort`.
 */
export function idleAbort(options: IdleAbortOptions): IdleAbort {
  const controller = new AbortController();
  let timer: Subscription | undefined;
  const stop = (): void => {
    timer?.unsubscribe();
    timer = undefined;
    options.parent?.removeEventListener('abort', onParentAbort);
  };
  const abort = (reason?: unknown): void => {
    stop();
    controller.abort(reason);
  };
  function onParentAbort(): void {
    abort(options.parent?.reason);
  }

  if (options.parent?.aborted === true) controller.abort(options.parent.reason);
  else options.parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    kick: () => {
      if (controller.signal.aborted) return;
      timer?.unsubscribe();
      timer = options.scheduler.schedule(() => {
        const error = new WatchIdleError(options.idleTimeoutMs, options.verb);
        abort(error);
        options.onIdle?.(error);
      }, options.idleTimeoutMs);
    },
    stop,
    abort,
  };
}
