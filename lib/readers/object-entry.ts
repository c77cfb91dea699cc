import type { KubernetesObject } from '@kubernetes/client-node';
import type { either as E } from 'fp-ts';
import { decodeObject } from '../entry/decode.js';
import type { Change, Entry, EntrySource } from '../entry/entry.js';
import type { TattlerError } from '../entry/tattler-error.js';
import { apiVersionOf, type ResourceSpec } from './resources.js';
import type { IndexedObject, VersionIndex } from './version-index.js';

/** How a target shapes the objects it reads. */
export interface ObjectShape {
  readonly spec: ResourceSpec;
  /** Keep only `apiVersion`, `kind` and `metadata`. */
  readonly metadataOnly: boolean;
}

/**
 * Decodes an object from a list or a watch into an entry of the target's kind.
 *
 * List items carry no `apiVersion` and `kind`, and metadata-only objects carry
 * `PartialObjectMetadata`; both get the resource's own, so every entry's object says what it
 * is. Metadata-only objects keep nothing but `metadata`.
 */
export function toEntry(
  raw: Record<string, unknown>,
  change: Change,
  source: EntrySource,
  shape: ObjectShape,
): E.Either<TattlerError, Entry> {
  const apiVersion = apiVersionOf(shape.spec);
  const kind = shape.spec.kind;
  const object = shape.metadataOnly
    ? { apiVersion, kind, metadata: raw['metadata'] }
    : raw['kind'] === kind && raw['apiVersion'] === apiVersion
      ? raw
      : { ...raw, apiVersion, kind };
  return decodeObject(object, change, { kind, source });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Keeps a listed object that could not be decoded from counting as deleted when the relist
 * ends: it is listed, so it exists. Answers nothing; an object without a UID cannot be kept.
 */
export function keepUndecoded(index: VersionIndex, raw: unknown): void {
  const metadata = isRecord(raw) ? raw['metadata'] : undefined;
  const uid = isRecord(metadata) ? metadata['uid'] : undefined;
  if (typeof uid === 'string' && uid !== '') index.keep(uid);
}

/**
 * The `deleted` entry for an object that a relist no longer found: only its identity and
 * last known resourceVersion survive, since the reader keeps no object bodies.
 */
export function deletedEntry(indexed: IndexedObject, shape: ObjectShape): Entry {
  const metadata: Record<string, string> = {
    name: indexed.name,
    uid: indexed.uid,
    resourceVersion: indexed.resourceVersion,
  };
  if (indexed.namespace !== undefined) metadata['namespace'] = indexed.namespace;
  const object = { apiVersion: apiVersionOf(shape.spec), kind: shape.spec.kind, metadata };
  return {
    object: object as KubernetesObject,
    kind: shape.spec.kind,
    uid: indexed.uid,
    resourceVersion: indexed.resourceVersion,
    namespace: indexed.namespace,
    name: indexed.name,
    change: 'deleted',
    source: 'apiserver.list',
    observedAt: Date.now(),
  };
}
