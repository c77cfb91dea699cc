import { either as E } from 'fp-ts';
import { isBareResourceName, resourceFor } from '../readers/resources-lookup.js';
import { closestKinds } from '../readers/resources-match.js';

/**
 * What is wrong with a kind name, in the words of a config error (`expected ...`), with the
 * closest built-in kinds for a likely typo; `undefined` when the name resolves, or may: a
 * bare name outside the built-in catalogue (`ServiceAccount`, a custom resource's `wd`) is
 * left for the API server's discovery to judge when the command starts.
 *
 * @param name - a kind as written in `kinds[].kind` or `--kinds`.
 * @returns the problem, or `undefined`.
 */
export function kindNameProblem(name: string): string | undefined {
  const resolved = resourceFor(name);
  if (E.isRight(resolved) || isBareResourceName(name)) return undefined;
  if (name.includes('/')) {
    // The lookup's own words for the part that is wrong, without its list of every kind.
    const [first = ''] = resolved.left.message.split('. Expected a built-in kind');
    const part = first.replace(/^unknown resource "[^"]*"(: )?/, '');
    return `expected group/version/resource such as apps/v1/deployments${part === '' ? '' : ` (${part})`}`;
  }
  const closest = closestKinds(name);
  return (
    'expected a kind, its plural or short name (letters, digits and dashes; docs/resources.md ' +
    'lists the built-in ones), or group/version/resource' +
    (closest.length === 0 ? '' : `; did you mean ${closest.join(' or ')}?`)
  );
}
