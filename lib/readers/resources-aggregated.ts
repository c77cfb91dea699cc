import type { KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { getDiscoveryDocument } from './discovery-request.js';
import type { ServedResource } from './resources-served.js';

/** Asks for aggregated discovery, as kubectl does; v2beta1 is what Kubernetes 1.27 to 1.29 serve. */
const AGGREGATED =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,' +
  'application/json';

/**
 * Every resource the API server serves, from its two aggregated discovery documents (`/api`
 * for the core group, `/apis` for all others, custom resources included): two requests in
 * all, whatever the number of groups.
 *
 * In the server's order: groups as it lists them, and within a group its preferred version
 * first. Subresources are left out.
 *
 * Resolves to a Left as {@link getDiscoveryDocument} does, and to a `ConfigError` when the
 * server answers the older, per-group discovery (Kubernetes before 1.27, or aggregated
 * discovery turned off).
 */
export async function servedResources(
  kubeConfig: KubeConfig,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<E.Either<TattlerError, readonly ServedResource[]>> {
  const documents = await Promise.all(
    ['/api', '/apis'].map((path) =>
      getDiscoveryDocument(kubeConfig, {
        path,
        accept: AGGREGATED,
        what: 'list the resources the API server serves',
        notFound: (url) =>
          new TattlerError(
            'ReaderError',
            `${url} answered 404; check that the kubeconfig points at a Kubernetes API server`,
          ),
        ...options,
      }),
    ),
  );
  const resources: ServedResource[] = [];
  for (const document of documents) {
    if (E.isLeft(document)) return document;
    const items = isRecord(document.right) ? document.right['items'] : undefined;
    if (!isRecord(document.right) || !Array.isArray(items)) return E.left(noAggregatedDiscovery());
    for (const item of items.filter(isRecord)) resources.push(...groupResources(item));
  }
  return E.right(resources);
}

// Limitation: a server without aggregated discovery (Kubernetes before 1.27) is not searched
// group by group, as kubectl does: a name outside the catalogue must be group/version/resource.
function noAggregatedDiscovery(): TattlerError {
  return new TattlerError(
    'ConfigError',
    'the API server does not offer aggregated discovery (Kubernetes 1.27 and later do), so ' +
      'it cannot be searched by kind, plural or short name',
  );
}

/** The resources of one APIGroupDiscovery, preferred version first as the server lists them. */
function groupResources(item: Record<string, unknown>): ServedResource[] {
  const metadata = item['metadata'];
  // The core group's entry has no name.
  const group = isRecord(metadata) ? text(metadata['name']) : '';
  return records(item['versions']).flatMap((entry) => {
    const version = text(entry['version']);
    return records(entry['resources']).map((raw): ServedResource => {
      const responseKind = raw['responseKind'];
      const kind = isRecord(responseKind) ? text(responseKind['kind']) : '';
      return {
        group,
        version,
        plural: text(raw['resource']),
        singular: text(raw['singularResource']) || kind.toLowerCase(),
        kind,
        namespaced: raw['scope'] === 'Namespaced',
        shortNames: texts(raw['shortNames']),
        verbs: texts(raw['verbs']),
      };
    });
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
