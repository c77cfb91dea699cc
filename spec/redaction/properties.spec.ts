import fc from 'fast-check';
import {
  LAST_APPLIED_ANNOTATION,
  POD_SPEC_PATHS,
  REDACTED,
  redactSecrets,
  type Entry,
} from '../../lib/index.js';
import { deepFreeze, entryOf, envValues, runThrough } from './fixtures.js';

const KINDS = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

const envVar = fc.oneof(
  fc.record({ name: fc.string(), value: fc.string() }),
  fc.record({
    name: fc.string(),
    valueFrom: fc.record({ secretKeyRef: fc.record({ name: fc.string(), key: fc.string() }) }),
  }),
  fc.record({ name: fc.string() }),
);
const containerArb = fc.record(
  { name: fc.string(), image: fc.string(), env: fc.array(envVar, { maxLength: 6 }) },
  { requiredKeys: ['name'] },
);
const podSpecArb = fc.record(
  {
    containers: fc.array(containerArb, { maxLength: 4 }),
    initContainers: fc.array(containerArb, { maxLength: 2 }),
    ephemeralContainers: fc.array(containerArb, { maxLength: 2 }),
  },
  { requiredKeys: ['containers'] },
);

/** A Pod or workload of any of the listed kinds, maybe carrying its own last-applied copy. */
const workloadArb = fc
  .record({ kind: fc.constantFrom(...KINDS), spec: podSpecArb, annotate: fc.boolean() })
  .map(({ kind, spec, annotate }) => {
    let body: object = spec;
    const path = POD_SPEC_PATHS[kind] ?? [];
    for (let i = path.length - 1; i >= 0; i--) body = { [path[i] as string]: body };
    const applied = JSON.stringify({ kind, ...body });
    const annotations: Record<string, string> = annotate
      ? { [LAST_APPLIED_ANNOTATION]: applied }
      : {};
    return entryOf({ kind, metadata: { name: 'w', annotations }, ...body });
  });

function appliedOf(entry: Entry | undefined): unknown {
  const text = entry?.object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  return text === undefined ? undefined : JSON.parse(text);
}

/** Every `valueFrom` anywhere in a value, in document order. */
function valueFroms(value: unknown, found: unknown[] = []): unknown[] {
  if (typeof value !== 'object' || value === null) return found;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'valueFrom') found.push(child);
    else valueFroms(child, found);
  }
  return found;
}

describe('redactSecrets (properties)', () => {
  it('should let no env value survive, in the object or in its last-applied annotation', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async (entry) => {
        const [out] = await runThrough(redactSecrets(), entry);
        const values = [...envValues(out?.object), ...envValues(appliedOf(out))];
        expect(values.every((value) => value === REDACTED)).toBe(true);
      }),
    );
  });

  it('should keep every valueFrom and the number of env variables', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async (entry) => {
        const [out] = await runThrough(redactSecrets(), entry);
        expect(valueFroms(out?.object)).toEqual(valueFroms(entry.object));
        expect(valueFroms(appliedOf(out))).toEqual(valueFroms(appliedOf(entry)));
        expect(envValues(out?.object)).toHaveLength(envValues(entry.object).length);
      }),
    );
  });

  it('should never mutate its input and answer the same object on a second pass', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async (entry) => {
        const before = JSON.stringify(entry);
        const [once] = await runThrough(redactSecrets(), entry);
        expect(JSON.stringify(entry)).toBe(before);
        const [twice] = await runThrough(redactSecrets(), deepFreeze(once as Entry));
        expect(twice).toBe(once);
      }),
    );
  });

  it('should redact only the env names a predicate accepts', async () => {
    const secretName = (name: string) => name.length % 2 === 0;
    await fc.assert(
      fc.asyncProperty(workloadArb, async (entry) => {
        const [out] = await runThrough(redactSecrets({ envNames: secretName }), entry);
        const pairs = (object: unknown) =>
          JSON.stringify(object)
            .match(/\{"name":"(?:[^"\\]|\\.)*","value":"(?:[^"\\]|\\.)*"\}/g)
            ?.map((text) => JSON.parse(text) as { name: string; value: string }) ?? [];
        const expected = pairs(entry.object).map(({ name, value }) => ({
          name,
          value: secretName(name) ? REDACTED : value,
        }));
        expect(pairs(out?.object)).toEqual(expected);
      }),
    );
  });
});
