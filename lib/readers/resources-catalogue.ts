import type { ResourceSpec } from './resources.js';

/**
 * A built-in kind Tattler knows without asking the API server: its resource, the short
 * names `kubectl` accepts for it, and whether readers fetch only its metadata by default.
 */
export interface BuiltInResource extends ResourceSpec {
  /** Short names such as `po` or `deploy`, as `kubectl` accepts them. */
  readonly shortNames: readonly string[];
  readonly defaultMetadataOnly: boolean;
}

type Row = readonly [group: string, plural: string, kind: string, scope: 'ns' | 'cluster'];

function entry(
  row: Row,
  shortNames: readonly string[] = [],
  metadataOnly = false,
): BuiltInResource {
  const [group, plural, kind, scope] = row;
  return Object.freeze({
    group,
    version: 'v1',
    plural,
    kind,
    namespaced: scope === 'ns',
    shortNames: Object.freeze([...shortNames]),
    defaultMetadataOnly: metadataOnly,
  });
}

const RBAC = 'rbac.authorization.k8s.io';

/**
 * The built-in kinds that {@link resourceFor} knows by name, in the order the docs list them.
 *
 * All are served at version `v1`. ConfigMap and Secret are read as metadata only by default
 * (`defaultMetadataOnly`): ConfigMap data is often large and rarely what consumers want, and
 * Secret data should not leave the API server unless a consumer asks for it.
 *
 * @example
 * ```ts
 * import { BUILT_IN_RESOURCES } from 'tattler';
 *
 * const kinds = BUILT_IN_RESOURCES.map((resource) => resource.kind); // ['Pod', 'Node', ...]
 * ```
 */
export const BUILT_IN_RESOURCES: readonly BuiltInResource[] = Object.freeze([
  entry(['', 'pods', 'Pod', 'ns'], ['po']),
  entry(['', 'nodes', 'Node', 'cluster'], ['no']),
  entry(['', 'namespaces', 'Namespace', 'cluster'], ['ns']),
  entry(['', 'services', 'Service', 'ns'], ['svc']),
  entry(['discovery.k8s.io', 'endpointslices', 'EndpointSlice', 'ns']),
  entry(['apps', 'deployments', 'Deployment', 'ns'], ['deploy']),
  entry(['apps', 'replicasets', 'ReplicaSet', 'ns'], ['rs']),
  entry(['apps', 'statefulsets', 'StatefulSet', 'ns'], ['sts']),
  entry(['apps', 'daemonsets', 'DaemonSet', 'ns'], ['ds']),
  entry(['batch', 'jobs', 'Job', 'ns']),
  entry(['batch', 'cronjobs', 'CronJob', 'ns'], ['cj']),
  entry(['', 'persistentvolumes', 'PersistentVolume', 'cluster'], ['pv']),
  entry(['', 'persistentvolumeclaims', 'PersistentVolumeClaim', 'ns'], ['pvc']),
  entry(['networking.k8s.io', 'ingresses', 'Ingress', 'ns'], ['ing']),
  entry(['', 'configmaps', 'ConfigMap', 'ns'], ['cm'], true),
  entry(['', 'secrets', 'Secret', 'ns'], [], true),
  entry([RBAC, 'roles', 'Role', 'ns']),
  entry([RBAC, 'rolebindings', 'RoleBinding', 'ns']),
  entry([RBAC, 'clusterroles', 'ClusterRole', 'cluster']),
  entry([RBAC, 'clusterrolebindings', 'ClusterRoleBinding', 'cluster']),
]);

/**
 * The catalogue entry for a group and plural resource name, at any version.
 *
 * @param group - The API group, `''` for core.
 * @param plural - The plural resource name, lowercase.
 * @returns The entry, or `undefined` for a resource outside the catalogue.
 */
export function builtInResource(group: string, plural: string): BuiltInResource | undefined {
  return BUILT_IN_RESOURCES.find(
    (resource) => resource.group === group && resource.plural === plural,
  );
}
