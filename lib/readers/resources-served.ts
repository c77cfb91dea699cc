import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { builtInResource } from './resources-catalogue.js';
import { apiVersionOf, type ResourceSpec } from './resources.js';

/** A resource as the API server's discovery documents describe it. */
export interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  /** The singular name, lowercase; the lowercase kind when the server names none. */
  readonly singular: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames: readonly string[];
  readonly verbs: readonly string[];
}

/** `apps/v1/deployments`, `v1/pods`: how a user names the resource without ambiguity. */
export function servedName(resource: Pick<ServedResource, 'group' | 'version' | 'plural'>): string {
  return `${apiVersionOf(resource)}/${resource.plural}`;
}

/**
 * The spec a reader reads a served resource by, or a `ConfigError` when the server cannot
 * list and watch it (`v1/bindings`, `authorization.k8s.io/v1/selfsubjectreviews`).
 * ConfigMap and Secret keep their metadata-only default however they were named.
 */
export function readableSpec(resource: ServedResource): E.Either<TattlerError, ResourceSpec> {
  const missing = ['list', 'watch'].filter((verb) => !resource.verbs.includes(verb));
  if (missing.length > 0) {
    return E.left(
      new TattlerError(
        'ConfigError',
        `${servedName(resource)} cannot be read: the API server does not support ` +
          `${missing.join(' and ')} on it. Choose a resource that can be listed and watched`,
      ),
    );
  }
  const { group, version, plural, kind, namespaced } = resource;
  const spec = { group, version, plural, kind, namespaced };
  const metadataOnly = builtInResource(group, plural)?.defaultMetadataOnly === true;
  return E.right(metadataOnly ? { ...spec, defaultMetadataOnly: true } : spec);
}
