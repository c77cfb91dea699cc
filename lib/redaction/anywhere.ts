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
  if (Array.isArray(node)) return redactEach(node, run);
  if (!isRecord(node)) return node;
  let copy = withoutSecretData(node, run);
  for (const key of Object.keys(copy ?? node)) {
    const child = node[key];
    const redacted =
      key === 'env' && Array.isArray(child) ? redactEnv(child, run) : redactAnywhere(child, run);
    if (redacted !== child) {
      copy ??= { ...node };
      copy[key] = redacted;
    }
  }
  return copy ?? node;
}

function redactEach(list: readonly unknown[], run: RedactionRun): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const redacted = redactAnywhere(list[i], run);
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
