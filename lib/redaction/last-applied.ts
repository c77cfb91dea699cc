import type { KubernetesObject } from '@kubernetes/client-node';
import { redactAnywhere } from './anywhere.js';
import { REDACTED, isRecord, type RedactionRun } from './policy.js';

/** The annotation `kubectl apply` writes: the whole applied object as JSON, env values too. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

type Redact = (object: KubernetesObject, kind: string, run: RedactionRun) => KubernetesObject;

/**
 * Scrubs the last-applied-configuration annotation: parses it, redacts the parsed object with
 * `redact` (the same rules as the object itself) and writes it back as JSON.
 *
 * Answers the object itself when it has no such annotation or nothing in it matched, so the
 * JSON round trip happens only for objects that carry it. A value that is not a JSON object
 * is replaced with {@link REDACTED} as a whole: what it holds cannot be known.
 */
export function redactLastApplied<T extends KubernetesObject>(
  object: T,
  kind: string,
  run: RedactionRun,
  redact: Redact,
): T {
  const annotations = object.metadata?.annotations;
  if (!isRecord(annotations)) return object;
  const text: unknown = annotations[LAST_APPLIED_ANNOTATION];
  if (text === undefined || text === REDACTED) return object;
  const scrubbed = scrub(text, kind, run, redact);
  if (scrubbed === text) return object;
  return {
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...annotations, [LAST_APPLIED_ANNOTATION]: scrubbed },
    },
  };
}

// Limitation: the annotation is parsed on every entry that carries it, even when nothing in
// it needs redacting, so objects with a large annotation cost about one JSON.parse each.
function scrub(text: unknown, kind: string, run: RedactionRun, redact: Redact): unknown {
  const applied = typeof text === 'string' ? parse(text) : undefined;
  if (applied === undefined) {
    run.fields++;
    return REDACTED;
  }
  const appliedKind = typeof applied.kind === 'string' ? applied.kind : kind;
  // Env lists and Secret data anywhere first, whatever the annotation says its kind is; then
  // the same rules as the object itself, which also cover user rules and nested annotations.
  const anywhere = redactAnywhere(applied, run) as KubernetesObject;
  const redacted = redact(anywhere, appliedKind, run);
  if (redacted === applied) return text;
  // kubectl ends the annotation with a newline; keep the text's shape apart from the values.
  const newline = (text as string).endsWith('\n') ? '\n' : '';
  return JSON.stringify(redacted) + newline;
}

function parse(text: string): KubernetesObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? (value as KubernetesObject) : undefined;
  } catch {
    return undefined;
  }
}
