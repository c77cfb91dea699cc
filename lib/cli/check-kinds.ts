import { either as E } from 'fp-ts';
import { kindNameProblem } from '../config/kind-names.js';
import { TattlerError } from '../entry/tattler-error.js';

/**
 * Checks every name given to `--kinds` at once, before anything starts, so that each
 * mistyped name is reported, with the closest known kinds, rather than only the first one a
 * reader meets. (The config file's kinds are checked with the rest of the file.)
 *
 * @param names - the names, as given.
 * @returns nothing, or a `ConfigError` with one line per name that resolves to no resource.
 */
export function checkKindsFlag(names: readonly string[]): E.Either<TattlerError, void> {
  const problems = names.flatMap((name) => {
    const problem = kindNameProblem(name);
    return problem === undefined ? [] : [`  --kinds: ${problem}, found "${name}"`];
  });
  if (problems.length === 0) return E.right(undefined);
  return E.left(
    new TattlerError(
      'ConfigError',
      `invalid --kinds:\n${problems.join('\n')}\nFix the names above.`,
    ),
  );
}
