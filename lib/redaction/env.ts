import { REDACTED, isRecord, type RedactionRun } from './policy.js';

/** The container lists of a pod spec; templates carry no ephemeral containers, Pods may. */
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/**
 * Replaces env `value`s in every container list of a pod spec with {@link REDACTED}.
 *
 * Copy on write: answers the very same spec when nothing matched, and otherwise copies only
 * the path down to each changed env variable. `valueFrom` and `envFrom` are references to
 * Secrets and ConfigMaps, which hold no secret themselves, and stay.
 */
// Limitation: only env values are scrubbed; secrets passed in container `args` or `command`
// stay, since free text cannot be scrubbed reliably. Add a user rule for those.
export function redactPodSpec(spec: unknown, run: RedactionRun): unknown {
  if (!isRecord(spec)) return spec;
  let copy: Record<string, unknown> | undefined;
  for (const field of CONTAINER_LISTS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    const redacted = redactContainers(list, run);
    if (redacted !== list) {
      copy ??= { ...spec };
      copy[field] = redacted;
    }
  }
  return copy ?? spec;
}

function redactContainers(list: readonly unknown[], run: RedactionRun): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const container = list[i];
    if (!isRecord(container) || !Array.isArray(container['env'])) continue;
    const env = redactEnv(container['env'], run);
    if (env !== container['env']) {
      copy ??= list.slice();
      copy[i] = { ...container, env };
    }
  }
  return copy ?? list;
}

/** Replaces the `value` of each env variable that matches; copy on write. */
export function redactEnv(env: readonly unknown[], run: RedactionRun): readonly unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < env.length; i++) {
    const variable = env[i];
    if (!isRecord(variable) || !needsRedaction(variable, run)) continue;
    copy ??= env.slice();
    copy[i] = { ...variable, value: REDACTED };
    run.fields++;
  }
  return copy ?? env;
}

function needsRedaction(variable: Record<string, unknown>, run: RedactionRun): boolean {
  const value = variable['value'];
  if (value === undefined || value === REDACTED) return false;
  if (run.envName === undefined) return true;
  const name = variable['name'];
  return run.envName(typeof name === 'string' ? name : '');
}
