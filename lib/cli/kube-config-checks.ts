import { existsSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';

/** Where the service account token of a pod is mounted (client-node reads the same path). */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Refuses to use the service account outside a pod: `loadFromCluster` does not check, and
 * the readers would then retry an `https://undefined:undefined` URL for ever.
 *
 * @param pathPrefix - put before the token's mount path (tests).
 * @param env - the environment `loadFromCluster` reads, `process.env` by default.
 * @returns nothing, or a `ConfigError` naming what is missing and the fix.
 */
export function checkInPod(
  pathPrefix: string,
  env: NodeJS.ProcessEnv = process.env,
): E.Either<TattlerError, void> {
  const missing = [
    ...(env['KUBERNETES_SERVICE_HOST'] === undefined ? ['KUBERNETES_SERVICE_HOST'] : []),
    ...(env['KUBERNETES_SERVICE_PORT'] === undefined ? ['KUBERNETES_SERVICE_PORT'] : []),
    ...(existsSync(`${pathPrefix}${SERVICE_ACCOUNT_TOKEN}`)
      ? []
      : [`token file at ${pathPrefix}${SERVICE_ACCOUNT_TOKEN}`]),
  ];
  if (missing.length === 0) return E.right(undefined);
  return E.left(
    new TattlerError(
      'ConfigError',
      `cannot use the pod's service account: expected KUBERNETES_SERVICE_HOST, ` +
        `KUBERNETES_SERVICE_PORT and its token file, found no ${missing.join(', no ')}. ` +
        'Run tattler in a pod, or set cluster.inCluster to auto and give a kubeconfig.',
    ),
  );
}

/**
 * Refuses a kubeconfig whose current context is missing or names no cluster, which client-node
 * would only report on every request, for ever.
 *
 * @param kubeConfig - loaded, with the requested context selected.
 * @param source - where it came from, for the message.
 * @returns the same config, or a `ConfigError` naming what is missing and the fix.
 */
export function checkCurrentCluster(
  kubeConfig: KubeConfig,
  source: string,
): E.Either<TattlerError, KubeConfig> {
  const current = kubeConfig.getCurrentContext();
  const names = kubeConfig.getContexts().map((context) => `"${context.name}"`);
  const known = names.length === 0 ? 'it defines none' : `it defines ${names.join(', ')}`;
  const fail = (problem: string): E.Either<TattlerError, KubeConfig> =>
    E.left(new TattlerError('ConfigError', `the kubeconfig (${source}) ${problem}`));
  if (current === '' || current === undefined) {
    return fail(`has no current context; ${known}. Pick one with --context.`);
  }
  const context = kubeConfig.getContextObject(current);
  if (context === null) {
    return fail(
      `names "${current}" as its current context, which it does not define; ${known}. ` +
        'Pick one with --context, or fix current-context.',
    );
  }
  if (kubeConfig.getCluster(context.cluster) === null) {
    return fail(
      `has context "${current}" naming cluster "${context.cluster}", which it does not ` +
        'define. Add the cluster to the kubeconfig, or pick another context with --context.',
    );
  }
  return E.right(kubeConfig);
}
