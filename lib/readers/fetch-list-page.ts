import { WatchIdleError } from './api-error.js';
import { idleAbort } from './idle-abort.js';
import type { TargetContext } from './target-state.js';

/** One page of a list: the part of a Kubernetes list response the readers use. */
export interface ListPage {
  readonly metadata?: { readonly continue?: string; readonly resourceVersion?: string };
  readonly items?: readonly unknown[];
}

/**
 * GETs one page of the target's list and parses it.
 *
 * A page may take long to arrive when it is large or the network slow; only a pause between
 * bytes longer than the idle limit means the connection is dead. Then the request is aborted
 * with a {@link WatchIdleError} and its connection presumed dead, so that the retry goes over
 * a new one.
 *
 * @param context the target; its path, selectors, client, idle limit and scheduler.
 * @param query the page's own parameters (`limit`, `continue`, `resourceVersion`...).
 * @param accept the `Accept` header, for metadata-only lists.
 * @param signal aborts the request when the caller is unsubscribed.
 * @returns the page; rejects with the request's error or a `WatchIdleError`.
 */
export async function fetchListPage(
  context: TargetContext,
  query: Readonly<Record<string, string | undefined>>,
  accept: string | undefined,
  signal: AbortSignal,
): Promise<ListPage> {
  const idle = idleAbort({
    idleTimeoutMs: context.idleTimeoutMs,
    verb: 'list',
    scheduler: context.scheduler,
    parent: signal,
    onIdle: () => context.client.presumeDead(idle.signal),
  });
  try {
    idle.kick();
    const response = await context.client.get({
      path: context.path,
      query: {
        ...query,
        labelSelector: context.labelSelector,
        fieldSelector: context.fieldSelector,
      },
      accept,
      verb: 'list',
      signal: idle.signal,
    });
    const chunks: Uint8Array[] = [];
    if (response.body !== null) {
      for await (const chunk of response.body) {
        idle.kick();
        chunks.push(chunk as Uint8Array);
      }
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ListPage;
  } catch (error) {
    throw idle.signal.reason instanceof WatchIdleError ? idle.signal.reason : error;
  } finally {
    idle.stop();
  }
}
