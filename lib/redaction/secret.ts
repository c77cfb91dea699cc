import { isBuiltInKind } from './kinds.js';
import { isRecord, type RedactionRun } from './policy.js';

/**
 * Removes `data` and `stringData` from a Secret of the core group (or without `apiVersion`);
 * answers any other object as it is.
 *
 * Each removed key counts as one redacted value. The rest of the Secret (metadata, `type`,
 * `immutable`) stays, so consumers still see that the Secret exists and what kind it is.
 */
export function redactSecret<T>(object: T, kind: string, run: RedactionRun): T {
  if (kind !== 'Secret' || !isRecord(object) || !isBuiltInKind(object, kind)) return object;
  const { data, stringData } = object;
  if (data === undefined && stringData === undefined) return object;
  const copy: Record<string, unknown> = { ...object };
  delete copy['data'];
  delete copy['stringData'];
  run.fields += countKeys(data) + countKeys(stringData);
  return copy as T;
}

function countKeys(value: unknown): number {
  // An empty or malformed field still goes; it counts as one value so the change is seen.
  if (!isRecord(value)) return value === undefined ? 0 : 1;
  return Math.max(Object.keys(value).length, 1);
}
