import { redactEnv } from './env.js';
import { isRecord, type RedactionRun } from './policy.js';

/**
 * Scrubs a tree that is free text to the API server, such as the parsed last-applied
 * annotation, wherever secrets can sit in it: every `env` list at any depth loses its values,
 * and every object whose `kind` is Secret, in any letter case, loses `data` and `stringData`.
 *
 * The kind-based rules look only where a kind keeps its pod spec. An annotation is not
 * validated by anyone, so its kind may be misspelt (`pod`), a `List` of items, or missing,
 * and the kind-based rules would then leave env values in it.
 *
 * Copy on write: answers the very same tree when nothing matched.
 */
export function redactAnywhere(node: unknown, run: RedactionRun): unknown {
  return walk(node, run, true, undefined);
}

/**
 * Redacts every `env` list found anywhere in an object of a kind the built-in rules do not
 * know, except under its `metadata`: a custom resource that embeds a pod template (an Argo
 * Rollout, a Knative Service, an OpenKruise CloneSet) or pod-like containers (a Tekton Task's
 * steps) loses its env values as a Pod would, whatever path its schema puts them at.
 *
 * `metadata` holds names, labels, annotations and managedFields, none of which is an env
 * list; skipping it saves walking managedFields, often the largest part of an object. The
 * last-applied annotation has its own pass. Copy on write, like {@link redactAnywhere}.
 */
// Limitation: only env lists are found. A custom resource that keeps secrets elsewhere (a
// whole Secret manifest embedded in its spec, a `password` field) keeps them; add a rule.
export function redactEnvLists<T>(object: T, run: RedactionRun): T {
  return walk(object, run, false, 'metadata') as T;
}

function walk(
  node: unknown,
  run: RedactionRun,
  secrets: boolean,
  skip: string | undefined,
): unknown {
  if (Array.isArray(node)) return walkEach(node, run, secrets);
  if (!isRecord(node)) return node;
  let copy = secrets ? withoutSecretData(node, run) : undefined;
  for (const key of Object.keys(copy ?? node)) {
    if (key === skip) continue;
    const child = node[key];
    const redacted =
      key === 'env' && Array.isArray(child)
        ? redactEnv(child, run)
        : walk(child, run, secrets, undefined);
    if (redacted !== child) {
      copy ??= { ...node };
      copy[key] = redacted;
    }
  }
  return copy ?? node;
}

function walkEach(
  list: readonly unknown[],
  run: RedactionRun,
  secrets: boolean,
): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const redacted = walk(list[i], run, secrets, undefined);
    if (redacted !== list[i]) {
      copy ??= list.slice();
      copy[i] = redacted;
    }
  }
  return copy ?? list;
}

/** A copy without `data` and `stringData` when the node is a Secret that has them. */
function withoutSecretData(
  node: Record<string, unknown>,
  run: RedactionRun,
): Record<string, unknown> | undefined {
  const kind = node['kind'];
  if (typeof kind !== 'string' || kind.toLowerCase() !== 'secret') return undefined;
  if (node['data'] === undefined && node['stringData'] === undefined) return undefined;
  const copy = { ...node };
  delete copy['data'];
  delete copy['stringData'];
  run.fields++;
  return copy;
}
