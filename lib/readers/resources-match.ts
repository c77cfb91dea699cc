import { distance } from 'fastest-levenshtein';
import { either as E } from 'fp-ts';
import { TattlerError } from '../entry/tattler-error.js';
import { BUILT_IN_RESOURCES } from './resources-catalogue.js';
import { readableSpec, servedName, type ServedResource } from './resources-served.js';
import type { ResourceSpec } from './resources.js';

/**
 * Finds the resource a bare name (a kind, plural, singular or short name) stands for among
 * those the API server serves, as kubectl does: case-insensitively, full names before short
 * names (a custom resource's short name cannot hide a kind), the core group before the others
 * (`Event` is `v1/events`, not `events.k8s.io/v1/events`), and in each group its preferred
 * version.
 *
 * Answers a `ConfigError` when nothing has that name (with the closest names), when it names
 * resources of several groups other than core (with the `group/version/resource` of each),
 * or when the resource cannot be listed and watched.
 *
 * @param name - the name as written, such as `ServiceAccount`, `widgets` or `wd`.
 * @param served - every served resource, preferred versions first.
 * @returns the spec, or the error.
 */
export function matchResource(
  name: string,
  served: readonly ServedResource[],
): E.Either<TattlerError, ResourceSpec> {
  const wanted = name.trim().toLowerCase();
  const full = served.filter(
    (resource) =>
      resource.plural === wanted ||
      resource.singular === wanted ||
      resource.kind.toLowerCase() === wanted,
  );
  const matches = full.length > 0 ? full : served.filter((r) => r.shortNames.includes(wanted));
  // One per group and resource: the first version listed, the preferred one among them.
  const seen = new Set<string>();
  const distinct = matches.filter((resource) => {
    const key = `${resource.group}/${resource.plural}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // As kubectl does, the core group wins a name it shares (`events` over `events.k8s.io`);
  // between other groups there is no order users could rely on, so that stays an error.
  const core = distinct.filter((resource) => resource.group === '');
  const candidates = core.length === 1 ? core : distinct;
  const [match] = candidates;
  if (match === undefined) return E.left(unknownResource(name, served));
  if (candidates.length > 1) {
    const choices = distinct.map((resource) => `${servedName(resource)} (${resource.kind})`).sort();
    return E.left(
      new TattlerError(
        'ConfigError',
        `resource name "${name}" is ambiguous: the API server serves ${choices.join(', ')}; ` +
          'write the group/version/resource of the one to read',
      ),
    );
  }
  return readableSpec(match);
}

/**
 * Up to three kinds whose names (kind, plural, singular or short name) are within a few
 * edits of `name`, closest first.
 *
 * @param name - the name as written.
 * @param served - the resources to search, besides the built-in kinds.
 * @returns the kinds, such as `['Pod']` for `Podd`.
 */
export function closestKinds(name: string, served: readonly ServedResource[] = []): string[] {
  // A stray character (`pods,`, `Pod s`) is as likely a typo as a wrong letter.
  const wanted = name.toLowerCase().replace(/[^a-z0-9-]/g, '');
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const known = [
    ...BUILT_IN_RESOURCES.map((r) => ({ ...r, singular: r.kind.toLowerCase() })),
    ...served,
  ].flatMap((r) =>
    [r.kind.toLowerCase(), r.plural, r.singular, ...r.shortNames].map((n) => [n, r.kind] as const),
  );
  const scored = known
    .map(([candidate, kind]) => ({ kind, edits: distance(wanted, candidate) }))
    .filter(({ edits }) => edits <= limit)
    .sort((a, b) => a.edits - b.edits);
  return [...new Set(scored.map(({ kind }) => kind))].slice(0, 3);
}

function unknownResource(name: string, served: readonly ServedResource[]): TattlerError {
  const closest = closestKinds(name, served);
  return new TattlerError(
    'ConfigError',
    `unknown resource "${name}": neither the built-in kinds nor the API server's discovery ` +
      'know it as a kind, plural, singular or short name' +
      (closest.length === 0 ? '.' : `; did you mean ${closest.join(' or ')}?`) +
      ' Name a resource the server serves (kubectl api-resources lists them), or write ' +
      'group/version/resource such as example.com/v1/widgets',
  );
}
