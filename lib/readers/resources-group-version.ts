import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { getDiscoveryDocument } from './discovery-request.js';
import { readableSpec, type ServedResource } from './resources-served.js';
import { apiVersionOf, groupVersionPath, type ResourceSpec } from './resources.js';

/**
 * Asks for one group/version's discovery document (`/apis/{group}/{version}`, or `/api/v1`)
 * and answers the resources it serves, subresources (`pods/log`) left out.
 */
export async function groupVersionResources(
  kubeConfig: KubeConfig,
  spec: Pick<ResourceSpec, 'group' | 'version'>,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<E.Either<TattlerError, readonly ServedResource[]>> {
  const apiVersion = apiVersionOf(spec);
  const body = await getDiscoveryDocument(kubeConfig, {
    path: groupVersionPath(spec),
    accept: 'application/json',
    what: `discover ${apiVersion}`,
    notFound: (url) =>
      new TattlerError(
        'ConfigError',
        `the API server does not serve ${apiVersion} (HTTP 404 from ${url}); check the group ` +
          'and version, or that the CustomResourceDefinition is installed and established',
      ),
    ...options,
  });
  if (E.isLeft(body)) return body;
  const resources = isRecord(body.right) ? body.right['resources'] : undefined;
  if (!Array.isArray(resources)) {
    return E.left(
      new TattlerError(
        'ReaderError',
        `the discovery document of ${apiVersion} is no APIResourceList; check that the ` +
          'kubeconfig points at a Kubernetes API server',
      ),
    );
  }
  return E.right(
    resources
      .filter(isRecord)
      .map((raw) => toServed(spec, raw))
      .filter((resource) => resource.plural !== '' && !resource.plural.includes('/')),
  );
}

/**
 * The served resource a `group/version/resource` names, ready to read; a `ConfigError`
 * listing what the group/version serves when it has no such resource.
 */
export function specFromGroupVersion(
  spec: ResourceSpec,
  served: readonly ServedResource[],
): E.Either<TattlerError, ResourceSpec> {
  const found = served.find((resource) => resource.plural === spec.plural);
  if (found !== undefined) return readableSpec(found);
  const apiVersion = apiVersionOf(spec);
  return E.left(
    new TattlerError(
      'ConfigError',
      `the API server serves no resource "${spec.plural}" in ${apiVersion}; it serves: ` +
        `${served.map((resource) => resource.plural).join(', ') || 'nothing'}. Check the ` +
        `name of ${apiVersion}/${spec.plural}`,
    ),
  );
}

function toServed(
  spec: Pick<ResourceSpec, 'group' | 'version'>,
  raw: Record<string, unknown>,
): ServedResource {
  const kind = text(raw['kind']);
  return {
    group: spec.group,
    version: spec.version,
    plural: text(raw['name']),
    singular: text(raw['singularName']) || kind.toLowerCase(),
    kind,
    namespaced: raw['namespaced'] === true,
    shortNames: texts(raw['shortNames']),
    verbs: texts(raw['verbs']),
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
