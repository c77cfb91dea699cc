import type { KubernetesObject } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { LAST_APPLIED_ANNOTATION, REDACTED, redactObject } from '../../lib/index.js';
import { container, deepFreeze } from './fixtures.js';

function withAnnotation(kind: string, value: unknown, rest: object = {}): KubernetesObject {
  return deepFreeze({
    kind,
    metadata: {
      name: 'x',
      labels: { a: 'b' },
      annotations: { other: 'o', [LAST_APPLIED_ANNOTATION]: value },
    },
    ...rest,
  }) as KubernetesObject;
}

function redacted(object: KubernetesObject): KubernetesObject {
  const result = redactObject(object, object.kind ?? '');
  if (E.isLeft(result)) throw result.left;
  return result.right;
}

const annotationOf = (object: KubernetesObject) =>
  object.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];

describe('redactObject on the last-applied-configuration annotation', () => {
  it('should redact env values inside it and keep its trailing newline', () => {
    const applied = {
      kind: 'Deployment',
      spec: { template: { spec: { containers: [container('a', { P: 'hunter2' })] } } },
    };
    const object = withAnnotation('Deployment', `${JSON.stringify(applied)}\n`);
    const out = redacted(object);
    const text = annotationOf(out) ?? '';
    expect(text).not.toContain('hunter2');
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text).spec.template.spec.containers[0].env).toEqual([
      { name: 'P', value: REDACTED },
      container('a').env[0],
    ]);
    expect(out.metadata?.labels).toBe(object.metadata?.labels);
    expect(out.metadata?.annotations?.['other']).toBe('o');
  });

  it('should remove Secret data inside it, by the kind written in it', () => {
    const applied = { apiVersion: 'v1', kind: 'Secret', stringData: { password: 'hunter2' } };
    const out = redacted(withAnnotation('Secret', JSON.stringify(applied)));
    expect(JSON.parse(annotationOf(out) ?? '')).toEqual({ apiVersion: 'v1', kind: 'Secret' });
  });

  it('should use the outer kind when the applied object names none', () => {
    const applied = { spec: { containers: [container('a', { P: 'hunter2' })] } };
    const out = redacted(withAnnotation('Pod', JSON.stringify(applied)));
    expect(annotationOf(out)).not.toContain('hunter2');
  });

  it('should answer the same object when nothing inside it needs redacting', () => {
    const object = withAnnotation('ConfigMap', JSON.stringify({ kind: 'ConfigMap', data: {} }));
    expect(redacted(object)).toBe(object);
  });

  it.each([
    ['text that is not JSON', '{"kind": "Secret", "data": {"p": "aHVudGVy'],
    ['JSON that is not an object', '["hunter2"]'],
    ['a value that is not a string', 42],
  ])('should replace %s with REDACTED', (_what, value) => {
    const out = redacted(withAnnotation('ConfigMap', value));
    expect(annotationOf(out)).toBe(REDACTED);
    expect(out.metadata?.annotations?.['other']).toBe('o');
  });

  it('should redact an annotation nested inside the applied object', () => {
    const inner = { kind: 'Secret', data: { password: 'aHVudGVyMg==' } };
    const applied = {
      kind: 'Secret',
      metadata: { annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(inner) } },
    };
    const out = redacted(withAnnotation('Secret', JSON.stringify(applied)));
    expect(annotationOf(out)).not.toContain('aHVudGVy');
    const outer = JSON.parse(annotationOf(out) ?? '');
    expect(JSON.parse(outer.metadata.annotations[LAST_APPLIED_ANNOTATION])).toEqual({
      kind: 'Secret',
    });
  });

  it('should leave an annotation that is already REDACTED as it is', () => {
    const object = withAnnotation('Pod', REDACTED);
    expect(redacted(object)).toBe(object);
  });

  describe('when the kind written in it is not one the rules know', () => {
    it('should redact env values under a misspelt kind', () => {
      const applied = { kind: 'pod', spec: { containers: [container('a', { P: 'hunter2' })] } };
      const out = redacted(withAnnotation('Pod', JSON.stringify(applied)));
      expect(annotationOf(out)).not.toContain('hunter2');
      expect(annotationOf(out)).toContain('secretKeyRef');
    });

    it('should redact env values and Secret data in every item of a List', () => {
      const applied = {
        kind: 'List',
        items: [
          { kind: 'Pod', spec: { initContainers: [container('i', { A: 'hunter2' })] } },
          { kind: 'secret', data: { password: 'aHVudGVyMg==' } },
          { kind: 'Widget', spec: { jobs: [{ env: [{ name: 'B', value: 'swordfish' }] }] } },
        ],
      };
      const text = annotationOf(redacted(withAnnotation('Pod', JSON.stringify(applied)))) ?? '';
      expect(text).not.toMatch(/hunter2|aHVudGVyMg==|swordfish/);
      expect(JSON.parse(text).items[1]).toEqual({ kind: 'secret' });
    });

    it('should keep env values whose names do not match envNames', () => {
      const applied = { kind: 'List', items: [{ env: [{ name: 'LOG_LEVEL', value: 'debug' }] }] };
      const object = withAnnotation('Pod', JSON.stringify(applied));
      const result = redactObject(object, 'Pod', { envNames: /PASSWORD/ });
      expect(E.isRight(result) && result.right).toBe(object);
    });
  });
});
