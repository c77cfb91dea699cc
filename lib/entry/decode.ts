import type { KubernetesObject } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import type { Change, Entry, EntrySource } from './entry.js';
import { TattlerError, describeRef, type ObjectRef } from './tattler-error.js';

/** Where an object came from, which the object itself does not say. */
export interface DecodeContext {
  /** The kind to record when the object carries none (list items carry none). */
  readonly kind: string;
  readonly source: EntrySource;
  /** The observation time; defaults to `Date.now()`. */
  readonly observedAt?: number;
}

// A Map, not an object literal, so that a type such as `constructor` finds nothing inherited.
const WATCH_EVENT_CHANGES: ReadonlyMap<string, Change> = new Map([
  ['ADDED', 'added'],
  ['MODIFIED', 'modified'],
  ['DELETED', 'deleted'],
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/**
 * Decodes one object, from a list or from a watch event, into an {@link Entry}.
 *
 * Returns a Left `DecodeError` for anything that is not an object with `metadata.uid` and
 * `metadata.name`; never throws.
 *
 * @example
 * ```ts
 * import { decodeObject } from 'tattler';
 *
 * declare const item: unknown; // one of a list's items
 * const result = decodeObject(item, 'snapshot', { kind: 'Pod', source: 'apiserver.list' });
 * ```
 */
export function decodeObject(
  raw: unknown,
  change: Change,
  context: DecodeContext,
): E.Either<TattlerError, Entry> {
  return guarded(() => decodeRecord(raw, change, context), context);
}

function decodeRecord(
  raw: unknown,
  change: Change,
  context: DecodeContext,
): E.Either<TattlerError, Entry> {
  if (!isRecord(raw)) {
    return E.left(
      decodeError(`${context.kind} is not a JSON object (got ${typeOf(raw)})`, context),
    );
  }
  const metadata = isRecord(raw['metadata']) ? raw['metadata'] : {};
  const ref = refOf(raw, metadata, context);
  if (ref.uid === undefined || ref.uid === '') {
    return E.left(decodeError(`${describeRef(ref)} has no metadata.uid`, context, { ref }));
  }
  if (ref.name === undefined) {
    return E.left(decodeError(`${describeRef(ref)} has no metadata.name`, context, { ref }));
  }
  return E.right({
    object: raw as KubernetesObject,
    kind: ref.kind ?? context.kind,
    uid: ref.uid,
    resourceVersion: optionalString(metadata['resourceVersion']) ?? '',
    namespace: ref.namespace,
    name: ref.name,
    change,
    source: context.source,
    observedAt: context.observedAt ?? Date.now(),
  });
}

/**
 * Decodes a watch event (`{ type, object }`) of type ADDED, MODIFIED or DELETED.
 *
 * BOOKMARK and ERROR events carry no entry; readers handle them before decoding, and this
 * function answers a Left for them as for any other type it does not know.
 */
export function decodeWatchEvent(
  raw: unknown,
  context: DecodeContext,
): E.Either<TattlerError, Entry> {
  return guarded(() => decodeEvent(raw, context), context);
}

function decodeEvent(raw: unknown, context: DecodeContext): E.Either<TattlerError, Entry> {
  if (!isRecord(raw)) {
    return E.left(decodeError(`watch event is not a JSON object (got ${typeOf(raw)})`, context));
  }
  const type = raw['type'];
  const change = typeof type === 'string' ? WATCH_EVENT_CHANGES.get(type) : undefined;
  if (change === undefined) {
    return E.left(
      decodeError(
        `watch event for ${context.kind} has type ${JSON.stringify(type)}; ` +
          'expected ADDED, MODIFIED or DELETED',
        context,
      ),
    );
  }
  return decodeRecord(raw['object'], change, context);
}

// JSON.parse never makes a getter or a Proxy that throws, but an object built in code may.
function guarded(
  decode: () => E.Either<TattlerError, Entry>,
  context: DecodeContext,
): E.Either<TattlerError, Entry> {
  try {
    return decode();
  } catch (error) {
    const problem = `reading the ${context.kind} threw ${String(error)}`;
    return E.left(decodeError(problem, context, { cause: error }));
  }
}

function refOf(
  raw: Record<string, unknown>,
  metadata: Record<string, unknown>,
  context: DecodeContext,
): ObjectRef {
  return {
    kind: optionalString(raw['kind']) ?? context.kind,
    namespace: optionalString(metadata['namespace']),
    name: optionalString(metadata['name']),
    uid: optionalString(metadata['uid']),
  };
}

function decodeError(
  problem: string,
  context: DecodeContext,
  { ref, cause }: { readonly ref?: ObjectRef; readonly cause?: unknown } = {},
): TattlerError {
  return new TattlerError(
    'DecodeError',
    `cannot decode an object from ${context.source}: ${problem}. It was skipped; check ` +
      'that the reader points at a Kubernetes API server and resource.',
    { ref: ref ?? { kind: context.kind }, cause },
  );
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
