import { either as E } from 'fp-ts';
import { resourceFor } from '../readers/resources-lookup.js';

/**
 * The kind a resource name resolves to, as entries and reader events name it: `pods` and `po`
 * give `Pod`, a custom resource's `example.com/v1/widgets` its guessed `Widget`. A name that
 * does not resolve is answered as written.
 *
 * @param name - a kind as a config or `--kinds` writes it.
 * @returns the kind.
 */
export function kindOf(name: string): string {
  const resolved = resourceFor(name);
  return E.isRight(resolved) ? resolved.right.kind : name;
}
