import type { KubernetesObject } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { POD_SPEC_PATHS, REDACTED, redactObject } from '../../lib/index.js';
import { container, deepFreeze, envValues } from './fixtures.js';

/** Builds an object of the kind with the pod spec at `path`; a Pod by default. */
function workload(
  kind: string,
  podSpec: object,
  path = ['spec'],
  apiVersion = 'v1',
): KubernetesObject {
  let node: object = podSpec;
  for (let i = path.length - 1; i >= 0; i--) node = { [path[i] as string]: node };
  return deepFreeze({ apiVersion, kind, metadata: { name: 'w', uid: 'u' }, ...node });
}

function redacted(object: KubernetesObject, kind = object.kind ?? ''): KubernetesObject {
  const result = redactObject(object, kind);
  if (E.isLeft(result)) throw result.left;
  return result.right;
}

const podSpec = {
  containers: [container('app', { A: 'a' })],
  initContainers: [container('init', { B: 'b' })],
  ephemeralContainers: [container('debug', { C: 'c' })],
};

describe('redactObject', () => {
  it.each([
    ['Pod', 'v1', ['spec']],
    ['PodTemplate', 'v1', ['template', 'spec']],
    ['ReplicationController', 'v1', ['spec', 'template', 'spec']],
    ['Deployment', 'apps/v1', ['spec', 'template', 'spec']],
    ['Deployment', 'extensions/v1beta1', ['spec', 'template', 'spec']],
    ['ReplicaSet', 'apps/v1', ['spec', 'template', 'spec']],
    ['StatefulSet', 'apps/v1', ['spec', 'template', 'spec']],
    ['DaemonSet', 'apps/v1', ['spec', 'template', 'spec']],
    ['Job', 'batch/v1', ['spec', 'template', 'spec']],
    ['CronJob', 'batch/v1', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ])('should redact env values in every container list of a %s (%s)', (kind, apiVersion, path) => {
    expect(POD_SPEC_PATHS[kind]).toEqual(path);
    const out = redacted(workload(kind, podSpec, path, apiVersion));
    expect(envValues(out)).toEqual([REDACTED, REDACTED, REDACTED]);
    let spec: unknown = out;
    for (const key of path) spec = (spec as Record<string, unknown>)[key];
    for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
      const env = (spec as Record<string, { env: unknown[] }[]>)[list]?.[0]?.env;
      expect(env?.[1]).toEqual(container('x').env[0]);
    }
  });

  describe('when the object names its apiVersion', () => {
    it.each([
      ['Pod', 'example.com/v1', ['spec']],
      ['Deployment', 'v1', ['spec', 'template', 'spec']],
      ['CronJob', 'apps/v1', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
    ])('should not redact a %s served as %s like the built-in kind', (kind, apiVersion, path) => {
      const custom = workload(kind, podSpec, path, apiVersion);
      const result = redactObject(custom, kind, { otherKinds: 'leave' });
      expect(E.isRight(result) && result.right).toBe(custom);
    });

    it('should leave the data of a Secret from another group', () => {
      const custom = deepFreeze({
        apiVersion: 'vault.example.com/v1',
        kind: 'Secret',
        data: { path: 'kv/app' },
      });
      expect(redacted(custom)).toBe(custom);
    });

    it('should remove the data of a core Secret', () => {
      const secret = deepFreeze({ apiVersion: 'v1', kind: 'Secret', data: { p: 'aHVudGVyMg==' } });
      expect(redacted(secret)).toEqual({ apiVersion: 'v1', kind: 'Secret' });
    });

    it.each([[''], [42]])('should match by kind alone when apiVersion is %j', (apiVersion) => {
      const path = ['spec', 'template', 'spec'];
      const deployment = workload('Deployment', podSpec, path, apiVersion as string);
      expect(envValues(redacted(deployment))).toEqual([REDACTED, REDACTED, REDACTED]);
    });
  });

  it('should remove data and stringData from a Secret and keep the rest', () => {
    const secret = deepFreeze({
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 's' },
      data: { password: 'aHVudGVyMg==' },
      stringData: { token: 't' },
    });
    const out = redacted(secret);
    expect(out).toEqual({ kind: 'Secret', type: 'Opaque', metadata: { name: 's' } });
    expect(out.metadata).toBe(secret.metadata);
  });

  it('should answer a Secret without data as it is', () => {
    const secret = deepFreeze({ kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' });
    expect(redacted(secret)).toBe(secret);
  });

  it('should leave ConfigMaps alone', () => {
    const configMap = deepFreeze({ kind: 'ConfigMap', data: { 'app.conf': 'level=debug' } });
    expect(redacted(configMap)).toBe(configMap);
  });

  it('should keep valueFrom and envFrom references', () => {
    const pod = workload('Pod', {
      containers: [{ ...container('app', { A: 'a' }), envFrom: [{ secretRef: { name: 's' } }] }],
    });
    const out = redacted(pod) as { spec: { containers: Record<string, unknown>[] } };
    expect(out.spec.containers[0]?.['envFrom']).toEqual([{ secretRef: { name: 's' } }]);
    expect(out.spec.containers[0]?.['env']).toEqual([
      { name: 'A', value: REDACTED },
      { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
    ]);
  });

  it('should redact empty and non-string env values too', () => {
    const pod = workload('Pod', {
      containers: [
        {
          name: 'a',
          env: [
            { name: 'E', value: '' },
            { name: 'N', value: 3 },
          ],
        },
      ],
    });
    expect(envValues(redacted(pod))).toEqual([REDACTED, REDACTED]);
  });

  it('should skip shapes that are not Kubernetes objects without failing', () => {
    const odd = deepFreeze({
      kind: 'Pod',
      spec: { containers: [null, 'x', { env: 'nope' }, { env: [null, 7] }], initContainers: {} },
    });
    expect(redacted(odd as KubernetesObject)).toBe(odd);
  });

  it('should answer a Left RedactionError when a rule throws', () => {
    const result = redactObject({ kind: 'Pod', metadata: { name: 'p', uid: 'u' } }, 'Pod', {
      rules: [
        () => {
          throw new Error('bad');
        },
      ],
    });
    expect(E.isLeft(result) && result.left._tag).toBe('RedactionError');
    expect(E.isLeft(result) && result.left.ref).toEqual({
      kind: 'Pod',
      namespace: undefined,
      name: 'p',
      uid: 'u',
    });
  });

  it('should answer the same object when redacting again', () => {
    const cronJobPath = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    const once = redacted(workload('CronJob', podSpec, cronJobPath, 'batch/v1'));
    expect(redacted(once)).toBe(once);
  });
});
