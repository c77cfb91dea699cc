import { defer, filter, map, type OperatorFunction } from 'rxjs';
import type { Entry } from '../entry/entry.js';
import { TattlerError } from '../entry/tattler-error.js';
import { createRun } from '../redaction/policy.js';
import { redactEntry, type RedactionOptions } from '../redaction/redact-object.js';

/** Running totals that {@link redactSecrets} adds to, for metrics. */
export interface RedactionCounters {
  /** Entries emitted with at least one value redacted. */
  entries: number;
  /** Values redacted: env values, Secret keys, unparseable annotations, rule changes. */
  fields: number;
  /** Entries dropped because a rule failed. */
  dropped: number;
}

/** Options of {@link redactSecrets}. */
export interface RedactSecretsOptions extends RedactionOptions {
  /** Called with each redacted entry (as emitted) and the number of values redacted in it. */
  readonly onRedact?: (entry: Entry, fields: number) => void;
  /** Called with the `RedactionError` of each entry dropped because a rule failed. */
  readonly onError?: (error: TattlerError) => void;
  /** Totals to add to; pass `{ entries: 0, fields: 0, dropped: 0 }` and read it any time. */
  readonly counters?: RedactionCounters;
}

const isEntry = (entry: Entry | undefined): entry is Entry => entry !== undefined;

/**
 * Redacts secrets out of every entry before anything else sees it.
 *
 * Emits one entry per source entry, redacted; an entry with nothing to redact is emitted as
 * the very same object, and a redacted one is a new object that shares every unchanged part.
 * Inputs are never mutated. By default it replaces env `value`s with `REDACTED` in the pod
 * spec of Pods, PodTemplates, ReplicationControllers, Deployments, ReplicaSets,
 * StatefulSets, DaemonSets, Jobs and CronJobs (all container lists), removes `data` and
 * `stringData` from Secrets, and scrubs the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation with the same rules. Objects of other kinds (custom resources that embed a pod
 * template, say) have every env list in them redacted, unless `otherKinds` is `'leave'`.
 * `valueFrom` and `envFrom` references stay.
 *
 * An entry whose redaction fails (a user rule throws or returns a non-object) is dropped,
 * counted and reported to `onError`: it is never emitted unredacted. Completes and errors
 * when the source does. If `onRedact` or `onError` throws, the stream errors with it.
 *
 * ```text
 * source:         --a--b--s--x--|
 * redactSecrets:  --a--b'-s'----|
 *   a: Pod without env values, emitted as is (same object)
 *   b: Pod with env values: b' has them REDACTED
 *   s: Secret: s' has no data or stringData
 *   x: a user rule throws: dropped, onError(RedactionError)
 * ```
 *
 * @param options - Which env names to redact, extra rules, callbacks and counters.
 * @returns An operator from entries to redacted entries.
 *
 * @example
 * ```ts
 * import { redactSecrets } from 'tattler';
 *
 * const counters = { entries: 0, fields: 0, dropped: 0 };
 * const safe$ = entries$.pipe(
 *   redactSecrets({
 *     envNames: /PASSWORD|TOKEN|KEY|SECRET/i,
 *     counters,
 *     onError: (error) => logger.warn({ ref: error.ref }, error.message),
 *   }),
 * );
 * ```
 *
 * Gotchas: only the places listed above are scrubbed. Container `args` and `command`, and
 * ConfigMap data, are not; add a rule for them. Kinds are matched by `entry.kind` and the
 * group of the object's `apiVersion` (see `KIND_GROUPS`); an object without `apiVersion` is
 * matched by kind alone.
 */
export function redactSecrets(options: RedactSecretsOptions = {}): OperatorFunction<Entry, Entry> {
  const { onRedact, onError, counters } = options;
  const compiled = createRun(options.envNames, options.rules, options.otherKinds);
  return (source) =>
    defer(() => {
      const run = { ...compiled, fields: 0 };
      const redact = (entry: Entry): Entry | undefined => {
        const result = redactEntry(entry, run);
        if (result instanceof TattlerError) {
          if (counters !== undefined) counters.dropped++;
          onError?.(result);
          return undefined;
        }
        if (result !== entry) {
          if (counters !== undefined) {
            counters.entries++;
            counters.fields += run.fields;
          }
          onRedact?.(result, run.fields);
        }
        return result;
      };
      return source.pipe(map(redact), filter(isEntry));
    });
}
