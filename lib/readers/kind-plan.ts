import { either as E } from 'fp-ts';
import type { ReaderTarget } from './reader-event.js';
import type { KindSelection } from './reader-options.js';
import { apiVersionOf, isBareResourceName, resourceFor, type ResourceSpec } from './resources.js';

/**
 * A selection's resource as far as it is known before the API server is asked: a spec (a
 * built-in kind, a spec given whole), a guessed one to confirm (`group/version/resource`
 * of a custom resource), or only a bare name to look up (`ServiceAccount`, `wd`).
 */
export interface KindPlan {
  /** The spec; `undefined` for a bare name only discovery can resolve. */
  readonly spec: ResourceSpec | undefined;
  /** The name to ask the API server about, when the spec is guessed or missing. */
  readonly lookup: string | undefined;
  /** What events and the sync state call the kind until the server has answered. */
  readonly target: ReaderTarget;
}

/**
 * Plans the selection's resource, throwing the `ConfigError` for a name that cannot name
 * one (neither a known name, a `group/version/resource` nor a bare name to look up).
 */
export function planKind(selection: KindSelection): KindPlan {
  const { resource } = selection;
  if (typeof resource !== 'string') {
    return { spec: resource, lookup: undefined, target: targetOf(resource, undefined) };
  }
  const resolved = resourceFor(resource);
  if (E.isRight(resolved)) {
    const spec = resolved.right;
    const lookup = spec.guessed === true ? resource.trim() : undefined;
    return { spec, lookup, target: targetOf(spec, undefined) };
  }
  if (!isBareResourceName(resource)) throw resolved.left;
  const name = resource.trim();
  return {
    spec: undefined,
    lookup: name,
    target: { kind: name, resource: name, namespace: undefined },
  };
}

/** The target of a known spec, in a namespace or in all of them. */
export function targetOf(spec: ResourceSpec, namespace: string | undefined): ReaderTarget {
  return { kind: spec.kind, resource: `${apiVersionOf(spec)}/${spec.plural}`, namespace };
}
