import type { KubernetesObject, V1Container, V1Pod } from '@kubernetes/client-node';
import { TestScheduler } from 'rxjs/testing';
import {
  LAST_APPLIED_ANNOTATION,
  REDACTED,
  redactSecrets,
  type Entry,
  type RedactionCounters,
  type TattlerError,
} from '../../lib/index.js';
import { container, entryOf, runThrough } from '../redaction/fixtures.js';

const plainPod = entryOf({ kind: 'Pod', metadata: { name: 'plain' }, spec: { containers: [] } });
const envPod = entryOf({
  kind: 'Pod',
  metadata: { name: 'env' },
  spec: { containers: [container('app', { PASSWORD: 'hunter2' })] },
});
const secret = entryOf({ kind: 'Secret', metadata: { name: 's' }, data: { token: 'c2VjcmV0' } });

const podOf = (entry: Entry | undefined) => entry?.object as V1Pod;
const specOf = (pod: V1Pod) => pod.spec ?? { containers: [] };
const envOf = (spec: { containers: V1Container[] }, index: number) =>
  spec.containers[index]?.env ?? [];
const redactedEnvPod = {
  ...envPod,
  object: {
    ...envPod.object,
    spec: {
      containers: [
        {
          ...container('app'),
          env: [{ name: 'PASSWORD', value: REDACTED }, container('app').env[0]],
        },
      ],
    },
  },
};
const redactedSecret = { ...secret, object: { kind: 'Secret', metadata: { name: 's' } } };

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('redactSecrets', () => {
  it('should complete without emitting for an empty source', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Entry>('|');
      const subs = '              (^!)';
      expectObservable(source.pipe(redactSecrets())).toBe('|');
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should emit one entry with nothing to redact as it is', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('--a--|', { a: plainPod });
      expectObservable(source.pipe(redactSecrets())).toBe('--a--|', { a: plainPod });
    });
  });

  it('should redact many entries in order and keep their timing', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-b-s-|', { a: plainPod, b: envPod, s: secret });
      const expected = { a: plainPod, b: redactedEnvPod, s: redactedSecret };
      expectObservable(source.pipe(redactSecrets())).toBe('-a-b-s-|', expected);
    });
  });

  it('should pass a source error through', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-b-#', { b: envPod }, new Error('watch failed'));
      const subs = '       ^--!';
      const expected = '   -b-#';
      const error = new Error('watch failed');
      expectObservable(source.pipe(redactSecrets())).toBe(expected, { b: redactedEnvPod }, error);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should keep going on a source that never ends and unsubscribe from it early', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--a--b--s--a--', { a: plainPod, b: envPod, s: secret });
      const unsub = '     -----------!';
      const subs = '      ^----------!';
      const expected = '  --a--b--s---';
      const values = { a: plainPod, b: redactedEnvPod, s: redactedSecret };
      expectObservable(source.pipe(redactSecrets()), unsub).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should drop an entry whose rule throws, report it and go on', () => {
    const errors: TattlerError[] = [];
    const counters: RedactionCounters = { entries: 0, fields: 0, dropped: 0 };
    const explode = (object: KubernetesObject) => {
      if (object.metadata?.name === 'env') throw new Error('boom hunter2');
      return object;
    };
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-a-|', { a: plainPod, b: envPod });
      const operator = redactSecrets({
        rules: [explode],
        onError: (e) => errors.push(e),
        counters,
      });
      expectObservable(source.pipe(operator)).toBe('-a---a-|', { a: plainPod });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
    expect(counters).toEqual({ entries: 0, fields: 0, dropped: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]?._tag).toBe('RedactionError');
    expect(errors[0]?.ref).toEqual({
      kind: 'Pod',
      namespace: 'default',
      name: 'env',
      uid: envPod.uid,
    });
    expect(errors[0]?.message).toMatch(/rule "explode" threw/);
    expect(errors[0]?.message).not.toMatch(/hunter2/);
    expect((errors[0]?.cause as Error).message).toBe('boom hunter2');
  });

  it('should drop an entry whose rule answers something that is not an object', () => {
    const errors: TattlerError[] = [];
    const rules = [(() => undefined) as unknown as (o: KubernetesObject) => KubernetesObject];
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-a-|', { a: plainPod });
      const operator = redactSecrets({ rules, onError: (e) => errors.push(e) });
      expectObservable(source.pipe(operator)).toBe('---|');
    });
    expect(errors[0]?.message).toMatch(/rule #0 returned undefined; expected an object/);
  });

  it('should error the stream with what onRedact throws and unsubscribe from the source', () => {
    const thrown = new Error('metrics are down');
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-a-|', { a: plainPod, b: envPod });
      const operator = redactSecrets({
        onRedact: () => {
          throw thrown;
        },
      });
      expectObservable(source.pipe(operator)).toBe('-a-#', { a: plainPod }, thrown);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('should error the stream with what onError throws and unsubscribe from the source', () => {
    const thrown = new Error('no');
    const rules = [
      (): never => {
        throw new Error('rule');
      },
    ];
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const operator = redactSecrets({
        rules,
        onError: () => {
          throw thrown;
        },
      });
      const source = cold('-a-a-|', { a: plainPod });
      const subs = '       ^!';
      const expected = '   -#';
      expectObservable(source.pipe(operator)).toBe(expected, {}, thrown);
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it('should count redacted entries and values and tell onRedact', async () => {
    const counters: RedactionCounters = { entries: 0, fields: 0, dropped: 0 };
    const seen: [Entry, number][] = [];
    const twoSecrets = entryOf({ kind: 'Secret', data: { a: 'YQ==' }, stringData: { b: 'b' } });
    const out = await runThrough(
      redactSecrets({ counters, onRedact: (entry, fields) => seen.push([entry, fields]) }),
      plainPod,
      envPod,
      twoSecrets,
    );
    expect(counters).toEqual({ entries: 2, fields: 3, dropped: 0 });
    expect(seen).toEqual([
      [out[1], 1],
      [out[2], 2],
    ]);
    expect(seen[0]?.[0]).toBe(out[1]);
  });

  it('should emit an entry with nothing to redact as the very same object', async () => {
    const withValueFrom = entryOf({
      kind: 'Deployment',
      spec: { template: { spec: { containers: [container('app')] } } },
    });
    const out = await runThrough(redactSecrets(), plainPod, withValueFrom);
    expect(out[0]).toBe(plainPod);
    expect(out[1]).toBe(withValueFrom);
  });

  it('should copy only the path down to the changed env variable', async () => {
    const pod = entryOf({
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'x' } },
      spec: {
        containers: [container('a'), container('b', { TOKEN: 't' }), container('c')],
        initContainers: [container('init')],
        volumes: [],
      },
      status: { phase: 'Running' },
    } as V1Pod);
    const [out] = await runThrough(redactSecrets(), pod);
    const before = podOf(pod);
    const after = podOf(out);
    expect(after).not.toBe(before);
    expect(after.metadata).toBe(before.metadata);
    expect(after.status).toBe(before.status);
    const [beforeSpec, afterSpec] = [specOf(before), specOf(after)];
    expect(afterSpec.volumes).toBe(beforeSpec.volumes);
    expect(afterSpec.initContainers).toBe(beforeSpec.initContainers);
    expect(afterSpec.containers[0]).toBe(beforeSpec.containers[0]);
    expect(afterSpec.containers[2]).toBe(beforeSpec.containers[2]);
    const [beforeEnv, afterEnv] = [envOf(beforeSpec, 1), envOf(afterSpec, 1)];
    expect(afterEnv[1]).toBe(beforeEnv[1]);
    expect(afterEnv[0]).toEqual({ name: 'TOKEN', value: REDACTED });
    expect(out?.uid).toBe(pod.uid);
  });

  it('should redact only env names that match a RegExp, even a global one', async () => {
    const pod = entryOf({
      kind: 'Pod',
      spec: {
        containers: [container('a', { DB_PASSWORD: 'p', LOG_LEVEL: 'debug', API_PASSWORD: 'q' })],
      },
    });
    const [out] = await runThrough(redactSecrets({ envNames: /password/gi }), pod);
    expect(podOf(out).spec?.containers[0]?.env?.map((v) => v.value)).toEqual([
      REDACTED,
      'debug',
      REDACTED,
      undefined,
    ]);
  });

  it('should redact only env names that a predicate accepts', async () => {
    const pod = entryOf({
      kind: 'Pod',
      spec: { containers: [container('a', { KEEP: 'k', HIDE: 'h' })] },
    });
    const [out] = await runThrough(redactSecrets({ envNames: (name) => name === 'HIDE' }), pod);
    expect(podOf(out).spec?.containers[0]?.env?.map((v) => v.value)).toEqual([
      'k',
      REDACTED,
      undefined,
    ]);
  });

  it('should apply user rules after the built-in ones, inside the annotation too', async () => {
    const seen: string[] = [];
    const hideArgs = (object: KubernetesObject, kind: string) => {
      seen.push(`${kind}:${JSON.stringify(object).includes('hunter2')}`);
      return { ...object, metadata: { ...object.metadata, labels: { ruled: 'yes' } } };
    };
    const applied = { kind: 'Pod', spec: { containers: [container('a', { P: 'hunter2' })] } };
    const pod = entryOf({
      kind: 'Pod',
      metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) } },
      spec: applied.spec,
    });
    const [out] = await runThrough(redactSecrets({ rules: [hideArgs] }), pod);
    expect(seen).toEqual(['Pod:false', 'Pod:false']);
    expect(out?.object.metadata?.labels).toEqual({ ruled: 'yes' });
    const inner = JSON.parse(out?.object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION] ?? '');
    expect(inner.metadata.labels).toEqual({ ruled: 'yes' });
  });

  it('should throw a ConfigError at construction for invalid options', () => {
    expect(() => redactSecrets({ envNames: 'PASSWORD' as unknown as RegExp })).toThrow(
      expect.objectContaining({ _tag: 'ConfigError' }),
    );
    expect(() => redactSecrets({ rules: [null as never] })).toThrow(/rules must be/);
  });
});
