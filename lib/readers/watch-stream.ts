import { Observable, type SchedulerLike } from 'rxjs';
import type { ApiClient, ApiGet } from './api-client.js';
import { idleAbort } from './idle-abort.js';
import { createLineSplitter } from './line-splitter.js';

/** What {@link streamLines} emits: the response opened, or one complete line arrived. */
export type StreamItem =
  { readonly type: 'open' } | { readonly type: 'line'; readonly line: string };

/** Options of {@link streamLines}. */
export interface StreamLinesOptions {
  /** Fail with a `WatchIdleError` when no byte arrives for this long, connecting included. */
  readonly idleTimeoutMs: number;
  readonly scheduler: SchedulerLike;
}

/**
 * Sends a long-running GET and emits the response body line by line, as chunks arrive.
 *
 * Emits `open` once the headers arrive with a 2xx status, then one `line` per complete,
 * non-empty line. Completes when the server ends the body. Errors with the request's error,
 * or a `WatchIdleError` after `idleTimeoutMs` without a byte. Unsubscribing aborts the
 * request and cancels its timer.
 */
export function streamLines(
  client: ApiClient,
  request: Omit<ApiGet, 'signal'>,
  options: StreamLinesOptions,
): Observable<StreamItem> {
  return new Observable<StreamItem>((subscriber) => {
    const idle = idleAbort({
      idleTimeoutMs: options.idleTimeoutMs,
      verb: request.verb,
      scheduler: options.scheduler,
      onIdle: (error) => {
        client.presumeDead(idle.signal);
        subscriber.error(error);
      },
    });

    const run = async (): Promise<void> => {
      idle.kick();
      const response = await client.get({ ...request, signal: idle.signal });
      idle.kick();
      subscriber.next({ type: 'open' });
      const splitter = createLineSplitter();
      if (response.body !== null) {
        for await (const chunk of response.body) {
          idle.kick();
          for (const line of splitter.push(chunk as Uint8Array)) {
            subscriber.next({ type: 'line', line });
          }
          if (subscriber.closed) return;
        }
      }
      idle.stop();
      for (const line of splitter.end()) subscriber.next({ type: 'line', line });
      subscriber.complete();
    };

    run().catch((error: unknown) => subscriber.error(error));
    return () => idle.abort();
  });
}
