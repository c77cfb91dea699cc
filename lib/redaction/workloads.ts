import { redactEnvLists } from './anywhere.js';
import { redactPodSpec } from './env.js';
import { isBuiltInKind } from './kinds.js';
import { isRecord, type RedactionRun } from './policy.js';

/**
 * Where each kind keeps its pod spec, as a path of field names from the object's root.
 *
 * For the kinds listed here, in their API groups (see `KIND_GROUPS`), the built-in env
 * redaction looks only here. Objects of other kinds have every env list redacted, wherever
 * it is, unless redaction is told to leave them (`otherKinds: 'leave'`).
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
 * down to what changed. An object of a kind the built-in rules do not know (see
 * `KIND_GROUPS`) has every env list outside its metadata redacted instead, unless the run
 * says to leave such kinds. Answers the object itself when nothing matched.
 */
// Limitation: objects of other kinds (ConfigMaps and Nodes as well as custom resources) are
// walked whole but for metadata, about twice the cost of a known path for a Pod-sized object.
export function redactWorkload<T>(object: T, kind: string, run: RedactionRun): T {
  if (!isBuiltInKind(object, kind)) return run.otherKinds ? redactEnvLists(object, run) : object;
  const path = Object.hasOwn(POD_SPEC_PATHS, kind) ? POD_SPEC_PATHS[kind] : undefined;
  return path === undefined ? object : (redactAt(object, path, 0, run) as T);
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
