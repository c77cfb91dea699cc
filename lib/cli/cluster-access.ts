import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { checkCurrentCluster, checkInPod, SERVICE_ACCOUNT_TOKEN } from './kube-config-checks.js';

export { SERVICE_ACCOUNT_TOKEN };

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
  /** `pathPrefix` goes before the service account's paths, as `loadFromCluster` takes it. */
  | { readonly type: 'in-cluster'; readonly pathPrefix: string }
  | { readonly type: 'none' };

/** Where {@link detectClusterAccess} looks, other than the request. */
export interface ClusterAccessEnvironment {
  /** The environment; `process.env` by default. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Put before the service account's mount path, so that tests can provide a token file;
   * `''` (the real mount) by default.
   */
  readonly serviceAccountPrefix?: string;
}

/**
 * Decides how to reach the cluster, in kubectl's order (which client-node's
 * `loadFromDefault` follows too): an explicit kubeconfig, then the files in `KUBECONFIG`,
 * then `~/.kube/config`, then the pod's service account (when `KUBERNETES_SERVICE_HOST` is
 * set and the token file exists). `inCluster: 'always'` puts the service account first,
 * `'never'` leaves it out. Answers `none` when there is no way at all.
 *
 * @param request - what flags and config say.
 * @param environment - the environment and, for tests, where the service account is mounted.
 * @returns the way to reach the cluster; nothing is read yet.
 */
export function detectClusterAccess(
  request: ClusterAccessRequest,
  environment: ClusterAccessEnvironment = {},
): ClusterAccess {
  const { env = process.env, serviceAccountPrefix: pathPrefix = '' } = environment;
  if (request.inCluster === 'always') return { type: 'in-cluster', pathPrefix };
  if (request.kubeconfig !== undefined) return { type: 'kubeconfig', paths: [request.kubeconfig] };
  const fromEnv = kubeconfigFiles(env);
  if (fromEnv.length > 0) return { type: 'kubeconfig', paths: fromEnv };
  const home = join(env['HOME'] ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return { type: 'kubeconfig', paths: [home] };
  if (request.inCluster === 'auto' && inPod(env, pathPrefix)) {
    return { type: 'in-cluster', pathPrefix };
  }
  return { type: 'none' };
}

/**
 * The files of `KUBECONFIG`; as kubectl, those that do not exist are left out, unless none
 * does (loading them then says so).
 */
function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const paths = (env['KUBECONFIG'] ?? '').split(delimiter).filter((path) => path !== '');
  const existing = paths.filter((path) => existsSync(path));
  return existing.length > 0 ? existing : paths;
}

/** Whether this looks like a pod with its service account mounted. */
function inPod(env: NodeJS.ProcessEnv, pathPrefix: string): boolean {
  return (
    env['KUBERNETES_SERVICE_HOST'] !== undefined &&
    existsSync(`${pathPrefix}${SERVICE_ACCOUNT_TOKEN}`)
  );
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
    if (access.type === 'in-cluster') {
      const inPod = checkInPod(access.pathPrefix);
      if (E.isLeft(inPod)) return inPod;
      kubeConfig.loadFromCluster(access.pathPrefix);
    } else {
      loadFiles(kubeConfig, access.paths);
    }
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
  return E.chain((selected: KubeConfig) => checkCurrentCluster(selected, describeAccess(access)))(
    selectContext(kubeConfig, context),
  );
}

/** `kubeconfig /path/a:/path/b` or `in-cluster service account`, for logs. */
export function describeAccess(access: ClusterAccess): string {
  if (access.type === 'kubeconfig') return `kubeconfig ${access.paths.join(delimiter)}`;
  return access.type === 'in-cluster' ? 'in-cluster service account' : 'none';
}

/** The first file, with the others merged in, as `loadFromDefault` does with `KUBECONFIG`. */
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
