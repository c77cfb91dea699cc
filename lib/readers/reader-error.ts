import { STATUS_CODES } from 'node:http';
import { TattlerError } from '../entry/tattler-error.js';
import { ApiStatusError, isDenied, WatchIdleError } from './api-error.js';
import type { ReaderTarget } from './reader-event.js';
import { describeRequestFailure } from './request-failure.js';
import type { TargetContext } from './target-state.js';

/**
 * Describes a reader failure as a `TattlerError`: `AccessDeniedError` for 401 and 403,
 * naming the resource, verb, namespace and user (the one the server authenticated, where
 * known, and the KubeConfig's entry); `ReaderError` for anything else, naming the server and
 * the innermost cause of a request that got no answer (refused, TLS, DNS).
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
    return deniedError(target, where, error, context.client.user);
  }
  if (error instanceof ApiStatusError) {
    const verb = error.verb ?? 'request';
    return new TattlerError(
      'ReaderError',
      `${verb} ${target.resource} ${where} failed: the API server answered ` +
        `${describeAnswer(error)}. ${fixFor(error.status)}`,
      { cause: error, ref },
    );
  }
  if (error instanceof WatchIdleError) return idleError(target.resource, where, error, ref);
  return new TattlerError(
    'ReaderError',
    `cannot read ${target.resource} ${where}: ` +
      `${describeRequestFailure(error, context.client.server)} The reader retries with backoff.`,
    { cause: error, ref },
  );
}

/**
 * 401: the server did not accept the credentials (authentication); 403: it knows the user,
 * who lacks the permission (authorization, RBAC). Each has its own fix.
 */
function deniedError(
  target: ReaderTarget,
  where: string,
  error: ApiStatusError,
  kubeConfigUser: string,
): TattlerError {
  const verb = error.verb ?? 'list';
  const what = `${target.resource} (${target.kind}) ${where}`;
  const stopped = `Reading ${target.kind} ${where} has stopped; the other kinds go on.`;
  const ref = { kind: target.kind, namespace: target.namespace };
  if (error.status === 401) {
    const user = `kubeconfig user "${kubeConfigUser}"`;
    return new TattlerError(
      'AccessDeniedError',
      `could not authenticate as ${user} to ${verb} ${what}: the API server answered 401 ` +
        `Unauthorized (credentials rejected: ${error.message}). ${stopped} Refresh the ` +
        `credentials of ${user}: a token that has not expired or been revoked, a client ` +
        'certificate that is still valid and signed by a CA the server trusts, or an exec ' +
        'plugin that succeeds; then start the reader again.',
      { cause: error, ref },
    );
  }
  const user = describeUser(error.user, kubeConfigUser);
  return new TattlerError(
    'AccessDeniedError',
    `${user} may not ${verb} ${what}: the API server answered ${describeAnswer(error)}. ` +
      `${stopped} Grant the user "list" and "watch" on ` +
      `${target.resource} with RBAC (a Role or ClusterRole, bound to the user by a ` +
      `RoleBinding or ClusterRoleBinding), or stop reading ${target.kind}.`,
    { cause: error, ref },
  );
}

/** The user as RBAC knows it (what the server authenticated), and the KubeConfig's entry. */
function describeUser(authenticated: string | undefined, kubeConfigUser: string): string {
  if (authenticated === undefined) return `kubeconfig user "${kubeConfigUser}"`;
  if (authenticated === kubeConfigUser) return `user "${authenticated}"`;
  return `user "${authenticated}" (kubeconfig user "${kubeConfigUser}")`;
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

/**
 * `404 NotFound (the server could not find ...)` for a Status body; `404 Not Found` for an
 * answer without one, whose message is only the status's reason phrase.
 */
function describeAnswer(error: ApiStatusError): string {
  const phrase = STATUS_CODES[error.status];
  const head = [String(error.status), error.reason ?? phrase].filter(Boolean).join(' ');
  const repeated =
    error.message === '' || error.message === phrase || error.message === error.reason;
  return repeated ? head : `${head} (${error.message})`;
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
