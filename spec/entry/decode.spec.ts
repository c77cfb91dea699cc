import { either as E } from 'fp-ts';
import type { V1Pod } from '@kubernetes/client-node';
import {
  CHANGES,
  TattlerError,
  decodeObject,
  decodeWatchEvent,
  describeRef,
  type Entry,
} from '../../lib/index.js';

const context = { kind: 'Pod', source: 'apiserver.watch', observedAt: 1 } as const;
const pod: V1Pod = {
  metadata: { uid: 'u1', name: 'web', namespace: 'ns', resourceVersion: '7' },
};

function leftOf(result: E.Either<TattlerError, Entry>): TattlerError {
  if (E.isRight(result)) throw new Error('expected a Left');
  return result.left;
}

describe('decodeWatchEvent', () => {
  it('should decode an ADDED event into an added entry', () => {
    const result = decodeWatchEvent({ type: 'ADDED', object: pod }, context);
    expect(result).toEqual(
      E.right({
        object: pod,
        kind: 'Pod',
        uid: 'u1',
        resourceVersion: '7',
        namespace: 'ns',
        name: 'web',
        change: 'added',
        source: 'apiserver.watch',
        observedAt: 1,
      }),
    );
  });

  it.each([
    ['MODIFIED', 'modified'],
    ['DELETED', 'deleted'],
  ])('should decode a %s event into a %s entry', (type, change) => {
    const result = decodeWatchEvent({ type, object: pod }, context);
    expect(E.isRight(result) && result.right.change).toBe(change);
  });

  it('should keep the object itself, not a copy', () => {
    const result = decodeWatchEvent({ type: 'ADDED', object: pod }, context);
    expect(E.isRight(result) && result.right.object).toBe(pod);
  });

  it('should answer a Left naming the type for an unknown event type', () => {
    const error = leftOf(decodeWatchEvent({ type: 'EXPLODED', object: {} }, context));
    expect(error._tag).toBe('DecodeError');
    expect(error.message).toMatch(/"EXPLODED"; expected ADDED, MODIFIED or DELETED/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'should answer a Left for the type %s, which only an object prototype knows',
    (type) => {
      expect(leftOf(decodeWatchEvent({ type, object: pod }, context))._tag).toBe('DecodeError');
    },
  );

  it('should answer a Left, not throw, for an event whose type getter throws', () => {
    const event = {
      get type(): string {
        throw new Error('getter failed');
      },
    };
    const error = leftOf(decodeWatchEvent(event, context));
    expect(error.message).toContain('threw Error: getter failed');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it.each(['BOOKMARK', 'ERROR'])(
    'should answer a Left for a %s event, which carries no entry',
    (type) => {
      expect(E.isLeft(decodeWatchEvent({ type, object: pod }, context))).toBe(true);
    },
  );

  it('should answer a Left for an event without a type', () => {
    expect(leftOf(decodeWatchEvent({ object: pod }, context)).message).toMatch(/type undefined/);
  });

  it.each([
    ['null', null],
    ['a string', 'ADDED'],
    ['an array', [pod]],
  ])('should answer a Left for an event that is %s', (_what, event) => {
    const error = leftOf(decodeWatchEvent(event, context));
    expect(error.message).toMatch(/watch event is not a JSON object/);
    expect(error.ref).toEqual({ kind: 'Pod' });
  });

  it('should answer a Left for an event without an object', () => {
    const error = leftOf(decodeWatchEvent({ type: 'ADDED' }, context));
    expect(error.message).toMatch(/Pod is not a JSON object \(got undefined\)/);
  });
});

describe('decodeObject', () => {
  it('should take the kind from the context when the object carries none', () => {
    const result = decodeObject(pod, 'snapshot', { kind: 'Pod', source: 'apiserver.list' });
    expect(E.isRight(result) && result.right.kind).toBe('Pod');
    expect(E.isRight(result) && result.right.change).toBe('snapshot');
    expect(E.isRight(result) && result.right.source).toBe('apiserver.list');
  });

  it('should prefer the kind the object carries', () => {
    const result = decodeObject({ ...pod, kind: 'Mirror' }, 'snapshot', context);
    expect(E.isRight(result) && result.right.kind).toBe('Mirror');
  });

  it('should use the context kind when the object kind is not a string', () => {
    const result = decodeObject({ ...pod, kind: 42 }, 'snapshot', context);
    expect(E.isRight(result) && result.right.kind).toBe('Pod');
  });

  it('should decode a cluster-scoped object without a resourceVersion', () => {
    const node = { kind: 'Node', metadata: { uid: 'n1', name: 'node-1' } };
    const result = decodeObject(node, 'snapshot', context);
    expect(E.isRight(result) && result.right.namespace).toBeUndefined();
    expect(E.isRight(result) && result.right.resourceVersion).toBe('');
  });

  it('should stamp the observation time with the clock when the context has none', () => {
    const before = Date.now();
    const result = decodeObject(pod, 'added', { kind: 'Pod', source: 'apiserver.watch' });
    const observedAt = E.isRight(result) ? result.right.observedAt : -1;
    expect(observedAt).toBeGreaterThanOrEqual(before);
    expect(observedAt).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    ['no metadata', {}],
    ['no metadata.uid', { metadata: { name: 'x' } }],
    ['an empty metadata.uid', { metadata: { name: 'x', uid: '' } }],
    ['a metadata.uid that is not a string', { metadata: { name: 'x', uid: 7 } }],
  ])('should answer a Left for an object with %s', (_what, object) => {
    const error = leftOf(decodeObject(object, 'snapshot', context));
    expect(error).toBeInstanceOf(TattlerError);
    expect(error._tag).toBe('DecodeError');
    expect(error.message).toMatch(/has no metadata\.uid/);
  });

  it('should answer a Left naming the object for one without metadata.name', () => {
    const object = { kind: 'Pod', metadata: { uid: 'u9', namespace: 'ns' } };
    const error = leftOf(decodeObject(object, 'snapshot', context));
    expect(error.message).toMatch(/Pod ns \(uid u9\) has no metadata\.name/);
    expect(error.ref).toEqual({ kind: 'Pod', namespace: 'ns', name: undefined, uid: 'u9' });
  });

  it.each([
    ['undefined', undefined, 'undefined'],
    ['a number', 3, 'number'],
    ['an array', [], 'array'],
    ['null', null, 'null'],
  ])('should answer a Left for a value that is %s', (_what, raw, type) => {
    const error = leftOf(decodeObject(raw, 'snapshot', context));
    expect(error.message).toContain(`Pod is not a JSON object (got ${type})`);
    expect(error.message).toContain('from apiserver.watch');
  });

  it('should answer a Left, not throw, for an object whose metadata getter throws', () => {
    const object = {
      get metadata(): unknown {
        throw new Error('getter failed');
      },
    };
    const proxy = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap failed');
        },
      },
    );
    expect(leftOf(decodeObject(object, 'added', context)).message).toContain('getter failed');
    expect(leftOf(decodeObject(proxy, 'added', context)).message).toContain('trap failed');
  });

  it('should never put object contents in the message', () => {
    const object = { kind: 'Secret', metadata: { name: 's' }, data: { password: 'aHVudGVyMg==' } };
    expect(leftOf(decodeObject(object, 'snapshot', context)).message).not.toContain('aHVudGVy');
  });
});

describe('describeRef', () => {
  it('should name what is known and leave out the rest', () => {
    expect(describeRef({ kind: 'Pod', namespace: 'ns', name: 'web', uid: 'u' })).toBe(
      'Pod ns/web (uid u)',
    );
    expect(describeRef({ name: 'node-1' })).toBe('object node-1');
    expect(describeRef(undefined)).toBe('object');
  });
});

describe('CHANGES', () => {
  it('should list every change', () => {
    expect([...CHANGES].sort()).toEqual(['added', 'deleted', 'modified', 'snapshot']);
  });
});
