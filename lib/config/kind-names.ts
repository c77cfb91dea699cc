import { either as E } from 'fp-ts';
import { distance } from 'fastest-levenshtein';
import { BUILT_IN_RESOURCES } from '../readers/resources-catalogue.js';
import { resourceFor } from '../readers/resources-lookup.js';

/** Every name a built-in kind goes by (kind, plural, short names), lowercase, with its kind. */
const KNOWN: readonly (readonly [name: string, kind: string])[] = BUILT_IN_RESOURCES.flatMap(
  (resource) =>
    [resource.kind.toLowerCase(), resource.plural, ...resource.shortNames].map(
      (name) => [name, resource.kind] as const,
    ),
);

/**
 * What is wrong with a kind name, in the words of a config error (`expected ...`), with the
 * closest built-in kinds for a likely typo; `undefined` when the name resolves.
 *
 * @param name - a kind as written in `kinds[].kind` or `--kinds`.
 * @returns the problem, or `undefined`.
 */
export function kindNameProblem(name: string): string | undefined {
  const resolved = resourceFor(name);
  if (E.isRight(resolved)) return undefined;
  if (name.includes('/')) {
    // The lookup's own words for the part that is wrong, without its list of every kind.
    const [first = ''] = resolved.left.message.split('. Expected a built-in kind');
    const part = first.replace(/^unknown resource "[^"]*"(: )?/, '');
    return `expected group/version/resource such as apps/v1/deployments${part === '' ? '' : ` (${part})`}`;
  }
  const closest = closestKinds(name);
  return (
    'expected a built-in kind, its plural or short name (docs/resources.md lists them), or ' +
    'group/version/resource' +
    (closest.length === 0 ? '' : `; did you mean ${closest.join(' or ')}?`)
  );
}

/** Up to three kinds whose names are within a few edits of `name`, closest first. */
function closestKinds(name: string): string[] {
  const wanted = name.trim().toLowerCase();
  const limit = Math.max(1, Math.floor(wanted.length / 3));
  const scored = KNOWN.map(([known, kind]) => ({ kind, edits: distance(wanted, known) }))
    .filter(({ edits }) => edits <= limit)
    .sort((a, b) => a.edits - b.edits);
  return [...new Set(scored.map(({ kind }) => kind))].slice(0, 3);
}
