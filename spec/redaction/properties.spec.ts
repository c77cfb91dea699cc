import fc from 'fast-check';
import { LAST_APPLIED_ANNOTATION, REDACTED, redactSecrets, type Entry } from '../../lib/index.js';
import { deepFreeze, entryOf, envValues, runThrough } from './fixtures.js';

/**
 * Where each kind keeps its pod spec and the apiVersion it is served as, written out here from
 * the Kubernetes API reference rather than read from the table the code uses: a wrong entry in
 * that table makes the code look where these objects have no env, and the properties fail.
 */
const WORKLOADS: Readonly<Record<string, { apiVersion: string; podSpecAt: readonly string[] }>> = {
  Pod: { apiVersion: 'v1', podSpecAt: ['spec'] },
  PodTemplate: { apiVersion: 'v1', podSpecAt: ['template', 'spec'] },
  ReplicationController: { apiVersion: 'v1', podSpecAt: ['spec', 'template', 'spec'] },
  Deployment: { apiVersion: 'apps/v1', podSpecAt: ['spec', 'template', 'spec'] },
  ReplicaSet: { apiVersion: 'apps/v1', podSpecAt: ['spec', 'template', 'spec'] },
  StatefulSet: { apiVersion: 'apps/v1', podSpecAt: ['spec', 'template', 'spec'] },
  DaemonSet: { apiVersion: 'apps/v1', podSpecAt: ['spec', 'template', 'spec'] },
  Job: { apiVersion: 'batch/v1', podSpecAt: ['spec', 'template', 'spec'] },
  CronJob: {
    apiVersion: 'batch/v1',
    podSpecAt: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  },
};

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

type EnvVar = { name: string; value?: string; valueFrom?: unknown };
type Container = { name: string; image?: string; env?: EnvVar[] };
type PodSpec = Partial<Record<(typeof CONTAINER_LISTS)[number], Container[]>>;

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
const podSpecArb: fc.Arbitrary<PodSpec> = fc.record(
  {
    containers: fc.array(containerArb, { maxLength: 4 }),
    initContainers: fc.array(containerArb, { maxLength: 2 }),
    ephemeralContainers: fc.array(containerArb, { maxLength: 2 }),
  },
  { requiredKeys: ['containers'] },
);

/** A path of field names, and `0` for the first item of an array. */
type Path = readonly (string | 0)[];

/** Wraps `leaf` in one object per field of `path` (an array for `0`), outermost first. */
function nest(path: Path, leaf: object): Record<string, unknown> {
  let node: unknown = leaf;
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i] as string | 0;
    node = key === 0 ? [node] : { [key]: node };
  }
  return node as Record<string, unknown>;
}

/** The value at `path`, or undefined where the path stops. */
function at(value: unknown, path: Path): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | 0, unknown> | undefined)?.[key];
  return node;
}

/** The pod spec as redaction must leave it: every env `value` REDACTED, nothing else changed. */
function redactedSpec(spec: PodSpec): PodSpec {
  const redactEnv = (env: EnvVar[]) =>
    env.map((variable) => ('value' in variable ? { ...variable, value: REDACTED } : variable));
  const out: PodSpec = {};
  for (const list of CONTAINER_LISTS) {
    const containers = spec[list];
    if (containers === undefined) continue;
    out[list] = containers.map((c) => (c.env === undefined ? c : { ...c, env: redactEnv(c.env) }));
  }
  return out;
}

/** What the arbitraries make: the entry, and the pod spec it was built around and where. */
interface Generated {
  readonly entry: Entry;
  readonly spec: PodSpec;
  readonly podSpecAt: Path;
  /** Whether the built-in rules know the kind, so that `otherKinds: 'leave'` still redacts. */
  readonly builtIn: boolean;
}

/** An object with the pod spec at `podSpecAt`, maybe carrying its own last-applied copy. */
function generated(
  head: { apiVersion?: string; kind: string },
  built: Omit<Generated, 'entry'> & { annotate: boolean },
): Generated {
  const { spec, podSpecAt, annotate, builtIn } = built;
  const body = { ...head, ...nest(podSpecAt, spec) };
  const annotations: Record<string, string> = annotate
    ? { [LAST_APPLIED_ANNOTATION]: JSON.stringify(body) }
    : {};
  const entry = entryOf({ ...body, metadata: { name: 'w', annotations } }, head.kind);
  return { entry, spec, podSpecAt, builtIn };
}

/** A Pod or workload of any kind above, with or without its apiVersion. */
const builtInArb = fc
  .record({
    kind: fc.constantFrom(...Object.keys(WORKLOADS)),
    spec: podSpecArb,
    annotate: fc.boolean(),
    withApiVersion: fc.boolean(),
  })
  .map(({ kind, spec, annotate, withApiVersion }) => {
    const { apiVersion, podSpecAt } = WORKLOADS[kind] as (typeof WORKLOADS)[string];
    const head = withApiVersion ? { apiVersion, kind } : { kind };
    return generated(head, { spec, podSpecAt, annotate, builtIn: true });
  });

/**
 * A custom resource with a pod spec at a path of its own, as Argo Rollouts, Knative Services
 * or OpenKruise CloneSets have; some borrow the name of a built-in kind.
 */
const customArb = fc
  .record({
    kind: fc.constantFrom('Rollout', 'CloneSet', 'Service', 'Widget', 'Pod', 'CronJob', 'Secret'),
    group: fc.constantFrom('argoproj.io', 'apps.kruise.io', 'serving.knative.dev', 'example.com'),
    path: fc.array(fc.constantFrom<string | 0>('spec', 'template', 'jobTemplate', 'status', 0), {
      maxLength: 5,
    }),
    spec: podSpecArb,
    annotate: fc.boolean(),
  })
  .map(({ kind, group, path, spec, annotate }) =>
    generated(
      { apiVersion: `${group}/v1`, kind },
      { spec, podSpecAt: ['spec', ...path], annotate, builtIn: false },
    ),
  );

const workloadArb = fc.oneof(builtInArb, customArb);

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
  it('should redact every env value of every container list, annotation included', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async ({ entry, spec, podSpecAt }) => {
        const [out] = await runThrough(redactSecrets(), entry);
        const expected = redactedSpec(spec);
        expect(at(out?.object, podSpecAt)).toEqual(expected);
        const applied = appliedOf(out);
        if (applied !== undefined) expect(at(applied, podSpecAt)).toEqual(expected);
        const values = [...envValues(out?.object), ...envValues(applied)];
        expect(values.every((value) => value === REDACTED)).toBe(true);
      }),
    );
  });

  it("should redact the built-in kinds and leave the others with otherKinds: 'leave'", async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async ({ entry, spec, podSpecAt, builtIn }) => {
        const unannotated = { ...entry, object: { ...entry.object, metadata: { name: 'w' } } };
        const [out] = await runThrough(redactSecrets({ otherKinds: 'leave' }), unannotated);
        if (builtIn) expect(at(out?.object, podSpecAt)).toEqual(redactedSpec(spec));
        else expect(out).toBe(unannotated);
      }),
    );
  });

  it('should keep every valueFrom and the number of env variables', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async ({ entry }) => {
        const [out] = await runThrough(redactSecrets(), entry);
        expect(valueFroms(out?.object)).toEqual(valueFroms(entry.object));
        expect(valueFroms(appliedOf(out))).toEqual(valueFroms(appliedOf(entry)));
        expect(envValues(out?.object)).toHaveLength(envValues(entry.object).length);
      }),
    );
  });

  it('should never mutate its input and answer the same object on a second pass', async () => {
    await fc.assert(
      fc.asyncProperty(workloadArb, async ({ entry }) => {
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
      fc.asyncProperty(workloadArb, async ({ entry }) => {
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
