import { isRecord } from './policy.js';

/**
 * The API groups in which the built-in rules recognise each kind; `''` is the core group
 * (`apiVersion: v1`). `extensions` served Deployments, ReplicaSets and DaemonSets until
 * Kubernetes 1.16, and old last-applied annotations still name it.
 *
 * A kind listed here but served by another group (a custom resource whose kind is `Secret`,
 * say) is not redacted as the built-in kind.
 */
export const KIND_GROUPS: Readonly<Record<string, readonly string[]>> = {
  Secret: [''],
  Pod: [''],
  PodTemplate: [''],
  ReplicationController: [''],
  Deployment: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  DaemonSet: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  Job: ['batch'],
  CronJob: ['batch'],
};

/**
 * Whether an object of `kind` is the built-in kind of that name: the kind is listed in
 * {@link KIND_GROUPS} and the group of the object's `apiVersion` is one of its groups. An
 * object without an `apiVersion` (a hand-made one; readers always set it) is matched by kind
 * alone.
 */
// Limitation: an object without `apiVersion` is matched by kind alone, so a hand-made custom
// resource of kind Secret or Pod without one is redacted like the core kind.
export function isBuiltInKind(object: unknown, kind: string): boolean {
  const groups = Object.hasOwn(KIND_GROUPS, kind) ? KIND_GROUPS[kind] : undefined;
  if (groups === undefined) return false;
  const group = groupOf(object);
  return group === undefined || groups.includes(group);
}

/** The group an `apiVersion` names: `apps` for `apps/v1`, `''` for `v1`; none without one. */
function groupOf(object: unknown): string | undefined {
  const apiVersion = isRecord(object) ? object['apiVersion'] : undefined;
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}
