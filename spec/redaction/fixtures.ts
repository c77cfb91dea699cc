import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';
import { firstValueFrom, of, toArray, type OperatorFunction } from 'rxjs';
import type { Entry } from '../../lib/index.js';

/** Freezes a value and everything in it, so that a mutation throws (ES modules are strict). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

let uid = 0;

/** Any object with Kubernetes metadata, as literals in tests write them. */
export interface AnyObject {
  readonly kind?: string;
  readonly metadata?: V1ObjectMeta;
  readonly [field: string]: unknown;
}

/** An entry for an object, frozen, as a reader would emit it. */
export function entryOf(object: AnyObject | KubernetesObject, kind = object.kind ?? 'Pod'): Entry {
  uid++;
  const metadata = object.metadata ?? {};
  return deepFreeze({
    object: object as KubernetesObject,
    kind,
    uid: metadata.uid ?? `uid-${uid}`,
    resourceVersion: metadata.resourceVersion ?? '1',
    namespace: metadata.namespace ?? 'default',
    name: metadata.name ?? `object-${uid}`,
    change: 'added',
    source: 'apiserver.watch',
    observedAt: 0,
  });
}

/** A container with the given env (name to value) and one `valueFrom` variable. */
export function container(name: string, env: Record<string, string> = {}) {
  return {
    name,
    image: 'nginx',
    env: [
      ...Object.entries(env).map(([key, value]) => ({ name: key, value })),
      { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ],
  };
}

/** Runs entries through an operator synchronously and answers what it emitted. */
export function runThrough(
  operator: OperatorFunction<Entry, Entry>,
  ...entries: Entry[]
): Promise<Entry[]> {
  return firstValueFrom(of(...entries).pipe(operator, toArray()));
}

/** Every env `value` found anywhere in a value, for assertions that none survived. */
export function envValues(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) {
    for (const item of value) envValues(item, found);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (Array.isArray(record['env'])) {
      for (const variable of record['env'] as Record<string, unknown>[]) {
        if ('value' in variable) found.push(variable['value']);
      }
    }
    for (const child of Object.values(record)) envValues(child, found);
  }
  return found;
}
