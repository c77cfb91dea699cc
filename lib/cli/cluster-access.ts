import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';

/** Where the service account token of a pod is mounted. */
export const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** What the command was told about the cluster, from flags and the config file. */
export interface ClusterAccessRequest {
  /** `--kubeconfig` or `cluster.kubeconfig`. */
  readonly kubeconfig?: string | undefined;
  /** `--context` or `cluster.context`. */
  readonly context?: string | undefined;
  /** `cluster.inCluster`: `auto` uses the service account when no kubeconfig is found. */
  readonly inCluster: 'auto' | 'always' | 'never';
}

/** How the cluster will be reached, before anything is loaded. */
export type ClusterAccess =
  | { readonly type: 'kubeconfig'; readonly paths: readonly string[] }
  | { readonly type: 'in-cluster' }
  | { readonly type: 'none' };

/**
 * Decides how to reach the cluster, in kubectl's order: an explicit kubeconfig, then
 * `KUBECONFIG`, then the pod's service account (when `KUBERNETES_SERVICE_HOST` is set and the
 * token file exists), then `~/.kube/config`. Answers `none` when there is no way at all.
 *
 * @param request - what flags and config say.
 * @param env - the environment, `process.env` by default.
 * @returns the way to reach the cluster; nothing is read yet.
 */
export function detectClusterAccess(
  request: ClusterAccessRequest,
  env: NodeJS.ProcessEnv = process.env,
): ClusterAccess {
  if (request.inCluster === 'always') return { type: 'in-cluster' };
  if (request.kubeconfig !== undefined) return { type: 'kubeconfig', paths: [request.kubeconfig] };
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((path) => path !== '');
  if (fromEnv.length > 0) return { type: 'kubeconfig', paths: fromEnv };
  const inCluster =
    env['KUBERNETES_SERVICE_HOST'] !== undefined && existsSync(SERVICE_ACCOUNT_TOKEN);
  if (request.inCluster === 'auto' && inCluster) return { type: 'in-cluster' };
  const home = join(env['HOME'] ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return { type: 'kubeconfig', paths: [home] };
  return { type: 'none' };
}

/**
 * Loads a `KubeConfig` for the access that {@link detectClusterAccess} chose, selecting the
 * requested context.
 *
 * @returns the config, or a `ConfigError` naming the file or context and the fix.
 */
export function loadKubeConfig(
  access: ClusterAccess,
  context?: string,
): E.Either<TattlerError, KubeConfig> {
  const kubeConfig = new KubeConfig();
  try {
    if (access.type === 'none') {
      return E.left(
        new TattlerError(
          'ConfigError',
          'no cluster to watch: expected --kubeconfig, KUBECONFIG, ~/.kube/config or a pod ' +
            'service account, found none. Point tattler at a cluster with --kubeconfig.',
        ),
      );
    }
    if (access.type === 'in-cluster') kubeConfig.loadFromCluster();
    else loadFiles(kubeConfig, access.paths);
  } catch (cause) {
    return E.left(
      new TattlerError(
        'ConfigError',
        `cannot load the cluster access (${describeAccess(access)}): ${String(cause)}. ` +
          'Check that the file is a valid kubeconfig.',
        { cause },
      ),
    );
  }
  return selectContext(kubeConfig, context);
}

/** `kubeconfig /path/a:/path/b` or `in-cluster service account`, for logs. */
export function describeAccess(access: ClusterAccess): string {
  if (access.type === 'kubeconfig') return `kubeconfig ${access.paths.join(delimiter)}`;
  return access.type === 'in-cluster' ? 'in-cluster service account' : 'none';
}

function loadFiles(kubeConfig: KubeConfig, paths: readonly string[]): void {
  const [first, ...rest] = paths;
  if (first === undefined) return;
  kubeConfig.loadFromFile(first);
  for (const path of rest) {
    const next = new KubeConfig();
    next.loadFromFile(path);
    kubeConfig.mergeConfig(next);
  }
}

function selectContext(
  kubeConfig: KubeConfig,
  context: string | undefined,
): E.Either<TattlerError, KubeConfig> {
  if (context === undefined) return E.right(kubeConfig);
  const names = kubeConfig.getContexts().map((known) => known.name);
  if (!names.includes(context)) {
    return E.left(
      new TattlerError(
        'ConfigError',
        `context "${context}" is not in the kubeconfig; expected one of ` +
          `${names.map((name) => `"${name}"`).join(', ') || '(none)'}. Fix --context.`,
      ),
    );
  }
  kubeConfig.setCurrentContext(context);
  return E.right(kubeConfig);
}
