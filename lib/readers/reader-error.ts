import { TattlerError } from '../entry/tattler-error.js';
import { ApiStatusError, isDenied, WatchIdleError } from './api-error.js';
import type { TargetContext } from './target-state.js';

/**
 * Describes a reader failure as a `TattlerError`: `AccessDeniedError` for 401 and 403,
 * naming the resource, verb, namespace and user; `ReaderError` for anything else.
 */
export function readerError(
  context: Pick<TargetContext, 'target' | 'client'>,
  error: unknown,
): TattlerError {
  if (error instanceof TattlerError) return error;
  const { target } = context;
  const where =
    target.namespace === undefined ? 'in all namespaces' : `in namespace "${target.namespace}"`;
  const ref = { kind: target.kind, namespace: target.namespace };
  if (error instanceof ApiStatusError && isDenied(error)) {
    const verb = error.verb ?? 'list';
    const user = context.client.user;
    const answer = error.status === 401 ? '401 Unauthorized' : '403 Forbidden';
    return new TattlerError(
      'AccessDeniedError',
      `user "${user}" may not ${verb} ${target.resource} (${target.kind}) ${where}: the API ` +
        `server answered ${answer} (${error.message}). Reading ${target.kind} ${where} has ` +
        `stopped; the other kinds go on. Grant the user "list" and "watch" on ` +
        `${target.resource} (a Role or ClusterRole and its binding), or stop reading ${target.kind}.`,
      { cause: error, ref },
    );
  }
  if (error instanceof ApiStatusError) {
    const verb = error.verb ?? 'request';
    return new TattlerError(
      'ReaderError',
      `${verb} ${target.resource} ${where} failed: the API server answered ${error.status}` +
        `${error.reason === undefined ? '' : ` ${error.reason}`} (${error.message}). ` +
        fixFor(error.status),
      { cause: error, ref },
    );
  }
  if (error instanceof WatchIdleError) return idleError(target.resource, where, error, ref);
  const message = error instanceof Error ? error.message : String(error);
  return new TattlerError(
    'ReaderError',
    `reading ${target.resource} ${where} failed: ${message}. The reader retries with backoff; ` +
      'check that the API server is reachable from here.',
    { cause: error, ref },
  );
}

function idleError(
  resource: string,
  where: string,
  error: WatchIdleError,
  ref: TattlerError['ref'],
): TattlerError {
  const again =
    error.verb === 'list'
      ? 'the reader lists again'
      : 'the reader watches again from the last resourceVersion it saw';
  return new TattlerError(
    'ReaderError',
    `the ${error.verb} of ${resource} ${where} received nothing for ${error.idleMs} ms, so ` +
      `the connection was presumed dead; ${again}, over a new connection.`,
    { cause: error, ref },
  );
}

function fixFor(status: number): string {
  if (status === 404) {
    return (
      'Check the resource name, and that its API group is served; a kind that was read ' +
      'before is retried with backoff.'
    );
  }
  if (status === 400 || status === 422) return 'Check the label and field selectors.';
  if (status === 429 || status >= 500) return 'The reader retries with backoff.';
  if (status === 410) return 'The reader lists again, after a backoff when this repeats.';
  return 'Reading this kind has stopped; the other kinds go on.';
}
