import type { Transform } from '../operators/preprocess.js';

/** A field to drop: `metadata.managedFields`, or the segments when a key holds dots. */
export type FieldPath = string | readonly string[];

/**
 * A `preprocess` transform that removes fields from every object, copying only the
 * objects on the way to each field (the entry's object is never mutated).
 *
 * @param paths - dotted paths such as `metadata.managedFields`, or lists of segments such
 *   as `['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration']`.
 * @returns the transform; it answers the very same entry when no field was present. The
 *   command passes it to the pipeline's `preprocess` option.
 */
export function dropFields(paths: readonly FieldPath[]): Transform {
  const split = paths.map((path) => (typeof path === 'string' ? path.split('.') : path));
  return (entry) => {
    let object: unknown = entry.object;
    for (const segments of split) object = without(object, segments);
    return object === entry.object ? entry : { ...entry, object: object as typeof entry.object };
  };
}

function without(value: unknown, segments: readonly string[]): unknown {
  const [head, ...rest] = segments;
  if (head === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return value;
  }
  const record = value as Record<string, unknown>;
  if (!Object.hasOwn(record, head)) return value;
  if (rest.length === 0) {
    const copy = { ...record };
    delete copy[head];
    return copy;
  }
  const inner = without(record[head], rest);
  return inner === record[head] ? value : { ...record, [head]: inner };
}
