import type { KubernetesObject } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import {
  REDACTED,
  redactObject,
  redactSecrets,
  type RedactionCounters,
  type RedactionOptions,
} from '../../lib/index.js';
import { container, deepFreeze, entryOf, envValues, runThrough } from './fixtures.js';

function redacted(object: object, options: RedactionOptions = {}): KubernetesObject {
  const kubernetesObject = object as KubernetesObject;
  const result = redactObject(kubernetesObject, kubernetesObject.kind ?? '', options);
  if (E.isLeft(result)) throw result.left;
  return result.right;
}

const podSpec = {
  containers: [container('app', { A: 'a' })],
  initContainers: [container('init', { B: 'b' })],
};

/** Custom resources as their projects document them, and a workload served by another group. */
const others: [string, object][] = [
  [
    'an Argo Rollout',
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { template: { spec: podSpec } } },
  ],
  [
    'a Knative Service',
    {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      spec: { template: { spec: podSpec } },
    },
  ],
  [
    'an OpenKruise CloneSet',
    {
      apiVersion: 'apps.kruise.io/v1alpha1',
      kind: 'CloneSet',
      spec: { template: { spec: podSpec } },
    },
  ],
  [
    'a Tekton Task',
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      spec: { steps: podSpec.containers, stepTemplate: { env: podSpec.initContainers[0]?.env } },
    },
  ],
  ['a custom Pod', { apiVersion: 'example.com/v1', kind: 'Pod', spec: podSpec }],
  [
    'a Deployment served as v1',
    { apiVersion: 'v1', kind: 'Deployment', spec: { template: { spec: podSpec } } },
  ],
];

describe('redactObject on kinds the built-in rules do not know', () => {
  it.each(others)('should redact every env value of %s, wherever it is', (_what, object) => {
    const out = redacted(deepFreeze(object));
    expect(envValues(out)).toEqual([REDACTED, REDACTED]);
    expect(JSON.stringify(out).match(/secretKeyRef/g)).toHaveLength(2);
  });

  it('should copy only the path down to each changed env variable', () => {
    const rollout = deepFreeze({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'web', managedFields: [{ manager: 'kubectl', fieldsV1: {} }] },
      spec: {
        strategy: { canary: { steps: [{ setWeight: 20 }] } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [container('app', { TOKEN: 't' }), container('sidecar')] },
        },
      },
      status: { phase: 'Healthy', conditions: [{ type: 'Available' }] },
    });
    const out = redacted(rollout) as typeof rollout;
    expect(out).not.toBe(rollout);
    expect(out.metadata).toBe(rollout.metadata);
    expect(out.status).toBe(rollout.status);
    expect(out.spec.strategy).toBe(rollout.spec.strategy);
    expect(out.spec.template.metadata).toBe(rollout.spec.template.metadata);
    const [app, sidecar] = out.spec.template.spec.containers;
    const [appBefore, sidecarBefore] = rollout.spec.template.spec.containers;
    expect(sidecar).toBe(sidecarBefore);
    expect(app?.env[0]).toEqual({ name: 'TOKEN', value: REDACTED });
    expect(app?.env[1]).toBe(appBefore?.env[1]);
    expect(app?.image).toBe(appBefore?.image);
  });

  it.each([
    ['a Node', { apiVersion: 'v1', kind: 'Node', status: { images: [{ names: ['nginx'] }] } }],
    ['a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', data: { env: 'production' } }],
    ['a Rollout with references only', { kind: 'Rollout', spec: { containers: [container('a')] } }],
  ])('should answer %s with nothing to redact as the very same object', (_what, object) => {
    const frozen = deepFreeze(object);
    expect(redacted(frozen)).toBe(frozen);
  });

  it("should leave them as they are with otherKinds: 'leave'", () => {
    for (const [, object] of others) {
      const frozen = deepFreeze(object);
      expect(redacted(frozen, { otherKinds: 'leave' })).toBe(frozen);
    }
  });

  it('should redact only the env names that match envNames', () => {
    const knative = others[1]?.[1] as object;
    const out = redacted(knative, { envNames: /^B$/ });
    expect(envValues(out)).toEqual(['a', REDACTED]);
  });

  it('should count each value redacted', async () => {
    const counters: RedactionCounters = { entries: 0, fields: 0, dropped: 0 };
    const entries = others.map(([, object]) => entryOf(object as KubernetesObject));
    await runThrough(redactSecrets({ counters }), ...entries);
    expect(counters).toEqual({ entries: others.length, fields: 2 * others.length, dropped: 0 });
  });

  it('should throw a ConfigError at construction for an unknown otherKinds', () => {
    const otherKinds = 'everything' as unknown as RedactionOptions['otherKinds'];
    expect(() => redactSecrets({ otherKinds })).toThrow(
      expect.objectContaining({
        _tag: 'ConfigError',
        message: expect.stringMatching(/otherKinds/),
      }),
    );
  });
});
