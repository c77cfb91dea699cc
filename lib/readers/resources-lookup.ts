import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import {
  BUILT_IN_RESOURCES,
  builtInResource,
  type BuiltInResource,
} from './resources-catalogue.js';
import type { ResourceSpec } from './resources.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

// Bare names outside the catalogue are resolved by discoverResource and the readers, which
// ask the API server's aggregated discovery; this lookup never contacts the server.
const byName = indexByName(BUILT_IN_RESOURCES);

/**
 * Whether a name is written as a bare name (a kind, plural, singular or short name, such as
 * `ServiceAccount`, `widgets` or `wd`) rather than `group/version/resource`: a name that the
 * API server may know though the catalogue does not. Case-insensitive; surrounding spaces are
 * ignored.
 *
 * @param name - the name as written.
 * @returns `true` for letters, digits and inner dashes only.
 * @example
 * ```ts
 * import { isBareResourceName } from 'tattler';
 *
 * isBareResourceName('Widget'); // true
 * isBareResourceName('example.com/v1/widgets'); // false
 * ```
 */
export function isBareResourceName(name: string): boolean {
  return DNS_LABEL.test(name.trim().toLowerCase());
}

/**
 * Resolves a resource name, as a user writes it, to a {@link ResourceSpec}.
 *
 * Accepts, case-insensitively:
 * - a built-in kind (`Pod`, `deployment`), its plural (`pods`) or short name (`po`, `deploy`);
 * - `group/version/resource` (`apps/v1/deployments`, `example.com/v1/widgets`), with
 *   `version/resource` (`v1/pods`) or `core/version/resource` for the core group.
 *
 * Returns a Left `ConfigError` naming what is accepted for anything else; never throws and
 * never contacts the API server. A bare name outside the catalogue (`ServiceAccount`, a
 * custom resource's kind or short name) is such a Left here; {@link discoverResource} and the
 * readers look it up on the API server instead.
 *
 * @param name - The name to resolve.
 * @returns The resource, or the error.
 * @example
 * ```ts
 * import { resourceFor } from 'tattler';
 *
 * resourceFor('deploy'); // Right({ group: 'apps', version: 'v1', plural: 'deployments', ... })
 * resourceFor('example.com/v1/widgets'); // Right({ kind: 'Widget', guessed: true, ... })
 * ```
 *
 * Gotchas: for a `group/version/resource` outside the catalogue the kind is guessed from the
 * plural (`widgets` -> `Widget`, which misses inner capitals such as `VirtualMachine`) and the
 * resource is assumed namespaced; the result says `guessed: true`. Call
 * {@link discoverResource} to get the API server's answer instead.
 */
export function resourceFor(name: string): E.Either<TattlerError, ResourceSpec> {
  const trimmed = name.trim().toLowerCase();
  if (trimmed.includes('/')) return fromGroupVersionResource(name, trimmed.split('/'));
  const matches = byName.get(trimmed) ?? [];
  const [match] = matches;
  if (match === undefined) return E.left(unknownName(name));
  if (matches.length > 1) {
    const candidates = matches.map((resource) => `${resource.group}/v1/${resource.plural}`);
    return E.left(
      configError(
        `resource name "${name}" is ambiguous: it names ${candidates.join(' and ')}; ` +
          'write group/version/resource instead',
      ),
    );
  }
  return E.right(toSpec(match, match.version));
}

function fromGroupVersionResource(
  name: string,
  parts: readonly string[],
): E.Either<TattlerError, ResourceSpec> {
  if (parts.length < 2 || parts.length > 3) return E.left(unknownName(name));
  const [first = '', version = '', plural = ''] = parts.length === 2 ? ['core', ...parts] : parts;
  const group = first === 'core' ? '' : first;
  const problem = invalidPart(first, version, plural);
  if (problem !== undefined) return E.left(unknownName(name, problem));
  const known = builtInResource(group, plural);
  if (known !== undefined) return E.right(toSpec(known, version));
  return E.right({
    group,
    version,
    plural,
    kind: guessKind(plural),
    namespaced: true,
    guessed: true,
  });
}

function invalidPart(group: string, version: string, plural: string): string | undefined {
  if (group === '') return 'the group is empty; write v1/pods or core/v1/pods for the core group';
  if (group !== 'core' && !DNS_SUBDOMAIN.test(group)) {
    return `the group "${group}" is not a DNS subdomain such as apps or example.com`;
  }
  if (!VERSION.test(version)) {
    return `the version "${version}" is not an API version such as v1 or v1beta1`;
  }
  if (!DNS_LABEL.test(plural)) {
    return `the resource "${plural}" is not a plural resource name such as deployments`;
  }
  return undefined;
}

function toSpec(resource: BuiltInResource, version: string): ResourceSpec {
  const { group, plural, kind, namespaced } = resource;
  const spec = { group, version, plural, kind, namespaced };
  return resource.defaultMetadataOnly ? { ...spec, defaultMetadataOnly: true } : spec;
}

/** `widgets` -> `Widget`, `policies` -> `Policy`, `ingresses` -> `Ingress`. */
function guessKind(plural: string): string {
  const singular = plural.endsWith('ies')
    ? `${plural.slice(0, -3)}y`
    : /(s|x|z|ch|sh)es$/.test(plural)
      ? plural.slice(0, -2)
      : plural.endsWith('s')
        ? plural.slice(0, -1)
        : plural;
  const words = singular.split('-').filter((word) => word !== '');
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function indexByName(resources: readonly BuiltInResource[]): Map<string, BuiltInResource[]> {
  const index = new Map<string, BuiltInResource[]>();
  for (const resource of resources) {
    const names = new Set([resource.kind.toLowerCase(), resource.plural, ...resource.shortNames]);
    for (const key of names) index.set(key, [...(index.get(key) ?? []), resource]);
  }
  return index;
}

function unknownName(name: string, problem?: string): TattlerError {
  const kinds = BUILT_IN_RESOURCES.map((resource) =>
    [resource.kind, resource.plural, ...resource.shortNames].join('|'),
  );
  return configError(
    `unknown resource "${name}"${problem === undefined ? '' : `: ${problem}`}. Expected a ` +
      'built-in kind, its plural or short name, case-insensitive (' +
      `${kinds.join(', ')}), or group/version/resource such as apps/v1/deployments, ` +
      'v1/pods (core group) or example.com/v1/widgets (custom resource)',
  );
}

function configError(message: string): TattlerError {
  return new TattlerError('ConfigError', message);
}
