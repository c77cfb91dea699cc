import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * What happened to an object.
 *
 * `added`, `modified` and `deleted` come from watch events. `snapshot` marks an object that
 * came from a list or a relist: it says "this is the object now", not that it just changed.
 */
export type Change = 'added' | 'modified' | 'deleted' | 'snapshot';

/** Every value of {@link Change}, for validation and exhaustive checks. */
export const CHANGES: readonly Change[] = ['added', 'modified', 'deleted', 'snapshot'];

/**
 * Which reader produced an entry, such as `apiserver.watch` or `apiserver.list`.
 *
 * A plain string so that readers outside Tattler can name themselves.
 */
export type EntrySource = 'apiserver.watch' | 'apiserver.list' | (string & {});

/**
 * One observed state of one Kubernetes object: the unit that flows through a pipeline.
 *
 * The identifying fields are copied out of `object.metadata` when the entry is decoded, so
 * operators and processors can route, batch and log without reaching into the object.
 *
 * @example
 * ```ts
 * import type { V1Pod } from '@kubernetes/client-node';
 * import type { Entry } from 'tattler';
 *
 * const describe = (entry: Entry<V1Pod>): string =>
 *   `${entry.change} ${entry.kind} ${entry.namespace}/${entry.name}`;
 * ```
 *
 * Gotchas: `object` is shared, not copied. Operators in Tattler never mutate it and
 * neither should yours; return a new object instead.
 */
export interface Entry<T extends KubernetesObject = KubernetesObject> {
  /** The object as the API server sent it (after redaction and preprocessing, downstream). */
  readonly object: T;
  /** The object's kind, such as `Pod`; list items carry none, so readers supply it. */
  readonly kind: string;
  /** `metadata.uid`: the key batching deduplicates on. */
  readonly uid: string;
  /** `metadata.resourceVersion`; an empty string when the object had none. */
  readonly resourceVersion: string;
  /** `metadata.namespace`; `undefined` for cluster-scoped objects such as Nodes. */
  readonly namespace: string | undefined;
  /** `metadata.name`. */
  readonly name: string;
  readonly change: Change;
  readonly source: EntrySource;
  /** When Tattler observed the object, in milliseconds since the Unix epoch. */
  readonly observedAt: number;
}
