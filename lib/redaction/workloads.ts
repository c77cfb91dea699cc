import { redactPodSpec } from './env.js';
import { isBuiltInKind } from './kinds.js';
import { isRecord, type RedactionRun } from './policy.js';

/**
 * Where each kind keeps its pod spec, as a path of field names from the object's root.
 *
 * The built-in env redaction looks only here, and only for objects of the kind's API group
 * (see `KIND_GROUPS`). A workload kind not listed (a custom resource that embeds a pod
 * template, say) needs a user rule.
 */
export const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * Redacts env values in the pod spec of a workload of the given kind, copying only the path
 * down to what changed. Answers the object itself for other kinds, for a kind of that name
 * from another API group (see `KIND_GROUPS`), and when nothing matched.
 */
// Limitation: custom resources that embed a pod template (an Argo Rollout, say) are not
// listed; they need a user rule.
export function redactWorkload<T>(object: T, kind: string, run: RedactionRun): T {
  const path = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  if (path === undefined || !isBuiltInKind(object, kind)) return object;
  return redactAt(object, path, 0, run) as T;
}

function redactAt(
  node: unknown,
  path: readonly string[],
  depth: number,
  run: RedactionRun,
): unknown {
  const key = path[depth];
  if (key === undefined) return redactPodSpec(node, run);
  if (!isRecord(node)) return node;
  const child = node[key];
  if (child === undefined) return node;
  const redacted = redactAt(child, path, depth + 1, run);
  return redacted === child ? node : { ...node, [key]: redacted };
}
