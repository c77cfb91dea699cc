/**
 * Which Kubernetes resource a reader lists and watches, and the paths to do it.
 *
 * The catalogue of built-in kinds is in `resources-catalogue.ts`, name lookup in
 * `resources-lookup.ts` and server discovery in `discover-resource.ts`; this module re-exports
 * them so that `./resources.js` is the one import for all of it.
 *
 * @packageDocumentation
 */

/**
 * A Kubernetes resource as the API server names it: group, version and plural resource name,
 * plus the kind its objects carry and whether it lives in namespaces.
 *
 * Build one with {@link resourceFor} (built-in kinds and `group/version/resource` names) or
 * {@link discoverResource} (asks the API server, the only way to know a custom resource's kind
 * and scope), or write it out by hand.
 *
 * @example
 * ```ts
 * import type { ResourceSpec } from 'tattler';
 *
 * const widgets: ResourceSpec = {
 *   group: 'example.com',
 *   version: 'v1',
 *   plural: 'widgets',
 *   kind: 'Widget',
 *   namespaced: true,
 * };
 * ```
 */
export interface ResourceSpec {
  /** The API group; `''` for the core group (Pods, Services, ConfigMaps...). */
  readonly group: string;
  /** The API version within the group, such as `v1`. */
  readonly version: string;
  /** The lowercase plural resource name used in paths, such as `deployments`. */
  readonly plural: string;
  /** The kind of the objects, such as `Deployment`. */
  readonly kind: string;
  /** `true` for resources that live in namespaces, `false` for cluster-scoped ones. */
  readonly namespaced: boolean;
  /**
   * `true` when readers should fetch only object metadata unless told otherwise, because
   * the bodies are large or rarely useful (ConfigMap) or secret (Secret). Missing means
   * `false`.
   */
  readonly defaultMetadataOnly?: boolean;
  /**
   * `true` when `kind` and `namespaced` were guessed from a `group/version/resource` name
   * rather than known: {@link resourceFor} on a custom resource. {@link discoverResource}
   * replaces the guess with the API server's answer. Missing means `false`.
   */
  readonly guessed?: boolean;
}

/**
 * The `apiVersion` that objects of a resource carry: `v1` for the core group, otherwise
 * `group/version` such as `apps/v1`.
 *
 * @param spec - The resource.
 * @returns The apiVersion string.
 * @example
 * ```ts
 * import { apiVersionOf } from 'tattler';
 *
 * apiVersionOf({ group: 'apps', version: 'v1' }); // 'apps/v1'
 * ```
 */
export function apiVersionOf(spec: Pick<ResourceSpec, 'group' | 'version'>): string {
  return spec.group === '' ? spec.version : `${spec.group}/${spec.version}`;
}

/**
 * The path of a resource's discovery document: `/api/v1` for the core group, otherwise
 * `/apis/{group}/{version}`.
 *
 * @param spec - The resource, or just its group and version.
 * @returns The path, to append to the cluster's server URL.
 */
export function groupVersionPath(spec: Pick<ResourceSpec, 'group' | 'version'>): string {
  return spec.group === '' ? `/api/${spec.version}` : `/apis/${spec.group}/${spec.version}`;
}

/**
 * The path to list or watch a resource: across all namespaces, or in one namespace.
 *
 * `/api/v1/pods`, `/api/v1/namespaces/default/pods`, `/apis/apps/v1/deployments`,
 * `/apis/apps/v1/namespaces/web/deployments`. Add `?watch=1` and the other query parameters
 * yourself.
 *
 * @param spec - The resource.
 * @param namespace - Limit to this namespace; leave out for all namespaces.
 * @returns The path, to append to the cluster's server URL.
 * @example
 * ```ts
 * import { either as E } from 'fp-ts';
 * import { resourceFor, resourcePath } from 'tattler';
 *
 * const spec = resourceFor('deploy');
 * if (E.isRight(spec)) resourcePath(spec.right, 'web'); // '/apis/apps/v1/namespaces/web/deployments'
 * ```
 *
 * Gotchas: a namespace given for a cluster-scoped resource (Node, ClusterRole...) is ignored,
 * because such objects belong to no namespace and the API server has no path for it.
 * The namespace is URL-encoded but not validated.
 */
export function resourcePath(spec: ResourceSpec, namespace?: string): string {
  const scope =
    spec.namespaced && namespace !== undefined && namespace !== ''
      ? `/namespaces/${encodeURIComponent(namespace)}`
      : '';
  return `${groupVersionPath(spec)}${scope}/${spec.plural}`;
}

export * from './resources-catalogue.js';
export * from './resources-lookup.js';
export * from './discover-resource.js';
