import { either as E } from 'fp-ts';
import fc from 'fast-check';
import {
  bookmarkKey,
  inMemoryBookmarkStore,
  resourceFor,
  type ResourceSpec,
} from '../../lib/index.js';

function spec(name: string): ResourceSpec {
  const result = resourceFor(name);
  if (E.isLeft(result)) throw result.left;
  return result.right;
}

describe('bookmarkKey', () => {
  it('should name the resource, and its group when it has one', () => {
    expect(bookmarkKey(spec('pods'))).toBe('pods');
    expect(bookmarkKey(spec('deployments'))).toBe('deployments.apps');
    expect(bookmarkKey(spec('example.com/v1/widgets'))).toBe('widgets.example.com');
  });

  it('should add the namespace of a namespaced resource', () => {
    expect(bookmarkKey(spec('deployments'), { namespace: 'web' })).toBe('deployments.apps_ns-web');
    expect(bookmarkKey(spec('pods'), { namespace: '' })).toBe('pods');
  });

  it('should ignore a namespace for a cluster-scoped resource', () => {
    expect(bookmarkKey(spec('nodes'), { namespace: 'web' })).toBe('nodes');
  });

  it('should leave the version out', () => {
    expect(bookmarkKey(spec('batch/v1beta1/cronjobs'))).toBe(bookmarkKey(spec('cronjobs')));
  });

  it('should tell selectors apart by a hash', () => {
    const pods = spec('pods');
    const a = bookmarkKey(pods, { labelSelector: 'app=a' });
    const b = bookmarkKey(pods, { labelSelector: 'app=b' });
    const field = bookmarkKey(pods, { fieldSelector: 'app=a' });
    expect(a).toMatch(/^pods_sel-[0-9a-f]{16}$/);
    expect(new Set([a, b, field, bookmarkKey(pods)]).size).toBe(4);
    expect(bookmarkKey(pods, { labelSelector: 'app=a' })).toBe(a);
  });

  it('should make keys valid as ConfigMap data keys, even for odd input', () => {
    const long = { group: `${'g'.repeat(250)}.example.com`, plural: 'widgets', namespaced: true };
    expect(bookmarkKey(long)).toMatch(/^key-[0-9a-f]{40}$/);
    expect(bookmarkKey(spec('pods'), { namespace: 'not valid/ns' })).toMatch(/^key-/);
  });

  it('should give different keys to different filters (property)', () => {
    const pods = spec('pods');
    const filters = fc.record({
      namespace: fc.constantFrom(undefined, 'a', 'b', 'kube-system'),
      labelSelector: fc.constantFrom(undefined, 'app=a', 'app=b', 'app in (a,b)'),
      fieldSelector: fc.constantFrom(undefined, 'spec.nodeName=n1', 'status.phase=Running'),
    });
    fc.assert(
      fc.property(filters, filters, (x, y) => {
        const same =
          x.namespace === y.namespace &&
          (x.labelSelector ?? '') === (y.labelSelector ?? '') &&
          (x.fieldSelector ?? '') === (y.fieldSelector ?? '');
        expect(bookmarkKey(pods, x) === bookmarkKey(pods, y)).toBe(same);
      }),
    );
  });
});

describe('inMemoryBookmarkStore', () => {
  it('should answer undefined for a key never saved', async () => {
    await expect(inMemoryBookmarkStore().load('pods')).resolves.toBeUndefined();
  });

  it('should answer the last value saved and the initial ones', async () => {
    const store = inMemoryBookmarkStore({ nodes: '7' });
    await store.save('pods', '1');
    await store.save('pods', '2');
    await expect(store.load('pods')).resolves.toBe('2');
    await expect(store.load('nodes')).resolves.toBe('7');
    expect(store.entries()).toEqual({ nodes: '7', pods: '2' });
  });
});
