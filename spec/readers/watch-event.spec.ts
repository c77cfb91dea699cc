import { either as E } from 'fp-ts';
import { parseWatchLine } from '../../lib/index.js';

const pod = { kind: 'Pod', metadata: { name: 'web', uid: 'u1', resourceVersion: '7' } };

describe('parseWatchLine', () => {
  it('should parse ADDED, MODIFIED and DELETED events with their object', () => {
    for (const type of ['ADDED', 'MODIFIED', 'DELETED']) {
      const parsed = parseWatchLine(JSON.stringify({ type, object: pod }), 'Pod');
      expect(parsed).toEqual(E.right({ type, object: pod }));
    }
  });

  it('should parse a bookmark with its resourceVersion', () => {
    const line = JSON.stringify({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '12' } },
    });
    expect(parseWatchLine(line, 'Pod')).toEqual(
      E.right({ type: 'BOOKMARK', resourceVersion: '12', initialEventsEnd: false }),
    );
  });

  it('should mark the bookmark that ends a streaming list', () => {
    const metadata = {
      resourceVersion: '40',
      annotations: { 'k8s.io/initial-events-end': 'true' },
    };
    const line = JSON.stringify({ type: 'BOOKMARK', object: { metadata } });
    expect(parseWatchLine(line, 'Pod')).toEqual(
      E.right({ type: 'BOOKMARK', resourceVersion: '40', initialEventsEnd: true }),
    );
  });

  it('should parse an ERROR event into its status code, reason and message', () => {
    const status = {
      kind: 'Status',
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 1 (200)',
    };
    expect(parseWatchLine(JSON.stringify({ type: 'ERROR', object: status }), 'Pod')).toEqual(
      E.right({
        type: 'ERROR',
        code: 410,
        reason: 'Expired',
        message: 'too old resource version: 1 (200)',
      }),
    );
  });

  it('should answer a DecodeError naming the kind for a line that is not JSON', () => {
    const parsed = parseWatchLine('{"type":"ADDED","obj', 'Node');
    expect(E.isLeft(parsed) && parsed.left._tag).toBe('DecodeError');
    expect(E.isLeft(parsed) && parsed.left.message).toContain('Node');
  });

  it('should answer a DecodeError for an unknown type or a missing object', () => {
    expect(E.isLeft(parseWatchLine('{"type":"WHAT","object":{}}', 'Pod'))).toBe(true);
    expect(E.isLeft(parseWatchLine('{"type":"ADDED"}', 'Pod'))).toBe(true);
    expect(E.isLeft(parseWatchLine('[1,2]', 'Pod'))).toBe(true);
  });
});
