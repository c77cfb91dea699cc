import type { KubernetesObject } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import type { Entry } from '../entry/entry.js';
import { TattlerError, describeRef } from '../entry/tattler-error.js';
import { redactLastApplied } from './last-applied.js';
import { createRun, isRecord, type EnvNameMatcher, type RedactionRule } from './policy.js';
import type { OtherKindsPolicy } from './policy.js';
import type { RedactionRun } from './policy.js';
import { redactSecret } from './secret.js';
import { redactWorkload } from './workloads.js';

/** What to redact, for {@link redactObject} and `redactSecrets`. */
export interface RedactionOptions {
  /**
   * Redact only env variables whose name matches; by default every env `value` is redacted.
   * A RegExp is tested without its `g` and `y` flags.
   */
  readonly envNames?: EnvNameMatcher;
  /** Rules applied, in order, after the built-in ones; see {@link RedactionRule}. */
  readonly rules?: readonly RedactionRule[];
  /**
   * Objects of kinds the built-in rules do not know (custom resources, and built-in kinds
   * such as ConfigMap or a workload served by another group): `'redact-env'`, the default,
   * redacts every env list found anywhere in them outside `metadata`, which covers custom
   * resources that embed a pod template; `'leave'` leaves them to `rules` and saves walking
   * each such object.
   */
  readonly otherKinds?: OtherKindsPolicy;
}

/** A rule failed; carries what to say, the entry level adds which object it was. */
class RuleFailure {
  constructor(
    readonly detail: string,
    readonly cause: unknown,
  ) {}
}

/**
 * Redacts one object with the built-in rules and then the user rules, without mutating it.
 *
 * Answers a Right with the very same object when nothing was redacted, a Right with a new
 * object (sharing every unchanged part) otherwise, and a Left `RedactionError` when a user
 * rule threw or returned something that is not an object.
 *
 * @param object - The object, as the API server sent it.
 * @param kind - Its kind, which with the group of its `apiVersion` selects the built-in rules
 *   (`Secret`, `Pod`, `Deployment`...).
 * @param options - Which env names to redact, and extra rules.
 * @returns The redacted object, or why it cannot be redacted.
 *
 * @example
 * ```ts
 * import { redactObject } from 'tattler';
 *
 * const safe = redactObject(pod, 'Pod'); // Right({ ...pod with env values REDACTED })
 * ```
 */
export function redactObject(
  object: KubernetesObject,
  kind: string,
  options: RedactionOptions = {},
): E.Either<TattlerError, KubernetesObject> {
  const run = createRun(options.envNames, options.rules, options.otherKinds);
  try {
    return E.right(redactWith(object, kind, run));
  } catch (error) {
    return E.left(redactionError(error, { kind, ...object.metadata }));
  }
}

/**
 * Redacts an entry's object and wraps it in a new entry; the same entry when nothing changed.
 * Answers the error instead of an Either so that the hot path allocates nothing for entries
 * without secrets. Leaves the number of redacted values in `run.fields`.
 */
// Limitation: a dropped entry is not retried; consumers miss that object's state until its
// next change or the next relist.
export function redactEntry(entry: Entry, run: RedactionRun): Entry | TattlerError {
  run.fields = 0;
  try {
    const object = redactWith(entry.object, entry.kind, run);
    return object === entry.object ? entry : { ...entry, object };
  } catch (error) {
    return redactionError(error, entry);
  }
}

/** Built-in rules, then user rules. Throws a RuleFailure when a user rule fails. */
function redactWith(object: KubernetesObject, kind: string, run: RedactionRun): KubernetesObject {
  let redacted = redactSecret(object, kind, run);
  redacted = redactWorkload(redacted, kind, run);
  redacted = redactLastApplied(redacted, kind, run, redactWith);
  for (let i = 0; i < run.rules.length; i++) {
    redacted = applyRule(redacted, kind, run, i);
  }
  return redacted;
}

function applyRule(
  object: KubernetesObject,
  kind: string,
  run: RedactionRun,
  index: number,
): KubernetesObject {
  const rule = run.rules[index] as RedactionRule;
  const label = `redaction rule ${rule.name === '' ? `#${index}` : `"${rule.name}"`}`;
  let result: unknown;
  try {
    result = rule(object, kind);
  } catch (cause) {
    throw new RuleFailure(`${label} threw (see the error's cause)`, cause);
  }
  if (!isRecord(result)) {
    throw new RuleFailure(`${label} returned ${typeOf(result)}; expected an object`, undefined);
  }
  if (result !== object) run.fields++;
  return result as KubernetesObject;
}

function redactionError(
  error: unknown,
  ref: { kind?: string; namespace?: string | undefined; name?: string; uid?: string },
): TattlerError {
  // The cause's own message is not quoted: it may have been built from the object's contents.
  const failure =
    error instanceof RuleFailure ? error : new RuleFailure('the built-in rules threw', error);
  const refOnly = { kind: ref.kind, namespace: ref.namespace, name: ref.name, uid: ref.uid };
  return new TattlerError(
    'RedactionError',
    `cannot redact ${describeRef(refOnly)}: ${failure.detail}. The object was dropped so ` +
      'that it never goes out unredacted; fix the rule so that it returns an object.',
    { cause: failure.cause, ref: refOnly },
  );
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
