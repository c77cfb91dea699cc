import type { KubernetesObject } from '@kubernetes/client-node';
import { TattlerError } from '../entry/tattler-error.js';

/** The text that replaces a redacted value. */
export const REDACTED = 'REDACTED';

/**
 * A user redaction rule: takes an object and its kind, returns the object to emit.
 *
 * A rule runs after the built-in ones, on every entry and also on the object parsed out of
 * the last-applied-configuration annotation. It must not mutate its input: return the same
 * object when there is nothing to change, or a new one (copy only the path you change).
 *
 * @example
 * ```ts
 * import type { RedactionRule } from 'tattler';
 *
 * const dropConfigMapData: RedactionRule = (object, kind) =>
 *   kind === 'ConfigMap' && 'data' in object ? { ...object, data: {} } : object;
 * ```
 *
 * Gotchas: a rule that throws, or returns something that is not an object, makes the entry
 * be dropped and reported as a `RedactionError`; it is never emitted unredacted.
 */
export type RedactionRule = (object: KubernetesObject, kind: string) => KubernetesObject;

/** Which env variables to redact: by name pattern or by a predicate on the name. */
export type EnvNameMatcher = RegExp | ((name: string) => boolean);

/**
 * What to do with objects of kinds the built-in rules do not know: `redact-env` redacts every
 * env list found in them outside `metadata`; `leave` leaves them to the user rules.
 */
export type OtherKindsPolicy = 'redact-env' | 'leave';

/**
 * The compiled options and the count of the entry being redacted. Built once per
 * subscription so that redacting an entry allocates no closures.
 */
export interface RedactionRun {
  readonly envName: ((name: string) => boolean) | undefined;
  readonly rules: readonly RedactionRule[];
  /** Whether objects of kinds the built-in rules do not know have their env lists redacted. */
  readonly otherKinds: boolean;
  /** Values redacted in the current entry; reset before each entry. */
  fields: number;
}

/** True for a plain JSON object: not null, not an array. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Compiles the matcher and copies the rules, so later changes by the caller have no effect.
 * Throws a `ConfigError` for options of the wrong type.
 */
export function createRun(
  envName: EnvNameMatcher | undefined,
  rules: readonly RedactionRule[] = [],
  otherKinds: OtherKindsPolicy = 'redact-env',
): RedactionRun {
  if (envName !== undefined && !(envName instanceof RegExp) && typeof envName !== 'function') {
    throw new TattlerError('ConfigError', 'envNames must be a RegExp or a function of the name.');
  }
  if (!Array.isArray(rules) || !rules.every((rule) => typeof rule === 'function')) {
    throw new TattlerError('ConfigError', 'rules must be an array of functions (object, kind).');
  }
  if (otherKinds !== 'redact-env' && otherKinds !== 'leave') {
    throw new TattlerError(
      'ConfigError',
      `otherKinds must be 'redact-env' or 'leave' (got ${JSON.stringify(otherKinds)}).`,
    );
  }
  return {
    envName: compileMatcher(envName),
    rules: [...rules],
    otherKinds: otherKinds === 'redact-env',
    fields: 0,
  };
}

function compileMatcher(matcher: EnvNameMatcher | undefined): RedactionRun['envName'] {
  if (matcher === undefined || typeof matcher === 'function') return matcher;
  // A global or sticky RegExp keeps `lastIndex` between calls and would match every other
  // name only; a copy without those flags answers the same for the same name every time.
  const pattern = new RegExp(matcher.source, matcher.flags.replace(/[gy]/g, ''));
  return (name) => pattern.test(name);
}
