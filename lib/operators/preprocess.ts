import { either as E } from 'fp-ts';
import { filter, map, type OperatorFunction } from 'rxjs';
import type { Entry } from '../entry/entry.js';
import { TattlerError, describeRef } from '../entry/tattler-error.js';

/**
 * What a {@link Transform} answers: the entry to pass on (the same or a new one), a Right of
 * it, a Left to drop the entry as failed, or `null` / `undefined` to filter it out.
 */
export type TransformResult = Entry | E.Either<TattlerError, Entry> | null | undefined;

/** A user transform run by {@link preprocess}; it must not mutate the entry it is given. */
export type Transform = (entry: Entry) => TransformResult;

/** Running totals that {@link preprocess} adds to, for metrics. */
export interface PreprocessCounters {
  /** Entries a transform filtered out with `null` or `undefined`. */
  filtered: number;
  /** Entries dropped because a transform threw or answered a Left. */
  dropped: number;
}

/** Options of {@link preprocess}. */
export interface PreprocessOptions {
  /** Called with the error of each dropped entry: a `PreprocessError`, or the Left's error. */
  readonly onError?: (error: TattlerError) => void;
  /** Totals to add to; pass `{ filtered: 0, dropped: 0 }` and read it any time. */
  readonly counters?: PreprocessCounters;
}

/**
 * Runs user transforms on each entry, in order, before batching.
 *
 * Emits the last transform's entry; an entry filtered out (`null` or `undefined`) or failed
 * (a throw or a Left) is not emitted and the transforms after it do not run. A failure drops
 * that entry only: it is counted, reported to `onError`, and the stream goes on. Completes
 * and errors when the source does. If `onError` throws, the stream errors with it.
 *
 * ```text
 * source:      --a--b--c--d--|
 * preprocess:  --a'-------d'-|
 *   b: a transform answers null: filtered out, counted
 *   c: a transform throws or answers a Left: dropped, onError(error)
 * ```
 *
 * @param transforms - One transform or a list, applied left to right.
 * @param options - `onError` and counters.
 * @returns An operator from entries to transformed entries.
 *
 * @example
 * ```ts
 * import { dropManagedFields, preprocess, type Entry } from 'tattler';
 *
 * const notKubeSystem = (entry: Entry) => (entry.namespace === 'kube-system' ? null : entry);
 * const slim$ = entries$.pipe(preprocess([dropManagedFields, notKubeSystem]));
 * ```
 *
 * Gotchas: a transform that changes `object.metadata` should keep the entry's identity
 * fields (`uid`, `name`, ...) in step; batching deduplicates on `entry.uid`, not on the object.
 */
export function preprocess(
  transforms: Transform | readonly Transform[],
  options: PreprocessOptions = {},
): OperatorFunction<Entry, Entry> {
  const list: readonly Transform[] =
    typeof transforms === 'function' ? [transforms] : [...transforms];
  if (!list.every((transform) => typeof transform === 'function')) {
    throw new TattlerError('ConfigError', 'preprocess takes a function or an array of functions.');
  }
  const { onError, counters } = options;
  // Limitation: a transform's new entry is not checked against its object: a transform that
  // changes `object.metadata.uid` without `entry.uid` makes batching key on the old UID.
  const step = (entry: Entry): Entry | undefined => {
    const outcome = runAll(list, entry);
    if (outcome === null) {
      if (counters !== undefined) counters.filtered++;
      return undefined;
    }
    if (outcome instanceof TattlerError) {
      if (counters !== undefined) counters.dropped++;
      onError?.(outcome);
      return undefined;
    }
    return outcome;
  };
  return (source) => source.pipe(map(step), filter(isEntry));
}

const isEntry = (entry: Entry | undefined): entry is Entry => entry !== undefined;

/** The entry after every transform, `null` when one filtered it out, or why one failed. */
function runAll(list: readonly Transform[], entry: Entry): Entry | TattlerError | null {
  let current = entry;
  for (let i = 0; i < list.length; i++) {
    const outcome = runOne(list[i] as Transform, i, current);
    if (outcome === null || outcome instanceof TattlerError) return outcome;
    current = outcome;
  }
  return current;
}

function runOne(transform: Transform, index: number, entry: Entry): Entry | TattlerError | null {
  let result: TransformResult;
  try {
    result = transform(entry);
  } catch (cause) {
    return failure(labelOf(transform, index), entry, 'threw', cause);
  }
  if (result === null || result === undefined) return null;
  if (isEither(result)) {
    if (E.isRight(result)) return checked(result.right, transform, index, entry);
    if (result.left instanceof TattlerError) return result.left;
    return failure(
      labelOf(transform, index),
      entry,
      'answered a Left that is not a TattlerError',
      result.left,
    );
  }
  return checked(result, transform, index, entry);
}

function isEither(result: object): result is E.Either<TattlerError, Entry> {
  const tag = (result as { _tag?: unknown })._tag;
  return tag === 'Left' || tag === 'Right';
}

function checked(
  result: unknown,
  transform: Transform,
  index: number,
  entry: Entry,
): Entry | TattlerError {
  const object = typeof result === 'object' && result !== null && (result as Entry).object;
  if (typeof object === 'object' && object !== null) return result as Entry;
  return failure(
    labelOf(transform, index),
    entry,
    'answered something that is not an Entry',
    result,
  );
}

function labelOf(transform: Transform, index: number): string {
  return `transform ${transform.name === '' ? `#${index}` : `"${transform.name}"`}`;
}

function failure(label: string, entry: Entry, problem: string, cause: unknown): TattlerError {
  const ref = { kind: entry.kind, namespace: entry.namespace, name: entry.name, uid: entry.uid };
  return new TattlerError(
    'PreprocessError',
    `${label} ${problem} for ${describeRef(ref)}; the entry was dropped. A transform ` +
      'answers an Entry, a Right of one, a Left of a TattlerError, null or undefined; ' +
      "the error's cause holds what it threw or gave.",
    { cause, ref },
  );
}

/**
 * A ready-made {@link Transform} that removes `metadata.managedFields`, which servers fill with
 * field ownership bookkeeping that few consumers read and that can be half of an object's size.
 * Answers the very same entry when there is none.
 *
 * @example
 * ```ts
 * import { dropManagedFields, preprocess } from 'tattler';
 *
 * const slim$ = entries$.pipe(preprocess(dropManagedFields));
 * ```
 */
export const dropManagedFields: Transform = (entry) => {
  const metadata = entry.object.metadata;
  if (metadata?.managedFields === undefined) return entry;
  const slim = { ...metadata };
  delete slim.managedFields;
  return { ...entry, object: { ...entry.object, metadata: slim } };
};
