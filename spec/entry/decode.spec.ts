import { either as E } from 'fp-ts';
import type { V1Pod } from '@kubernetes/client-node';
import { decodeObject, decodeWatchEvent } from '../../lib/index.js';

const context = { kind: 'Pod', source: 'apiserver.watch', observedAt: 1 } as const;

describe('decodeWatchEvent', () => {
  it('should decode an ADDED event into an added entry', () => {
    const pod: V1Pod = {
      metadata: { uid: 'u1', name: 'web', namespace: 'ns', resourceVersion: '7' },
    };
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

  it('should answer a Left naming the type for an unknown event type', () => {
    const result = decodeWatchEvent({ type: 'EXPLODED', object: {} }, context);
    expect(E.isLeft(result) && result.left.message).toMatch(/"EXPLODED"/);
  });
});

describe('decodeObject', () => {
  it('should answer a Left for an object without metadata.uid', () => {
    const result = decodeObject({ metadata: { name: 'x' } }, 'snapshot', context);
    expect(E.isLeft(result) && result.left._tag).toBe('DecodeError');
  });
});
