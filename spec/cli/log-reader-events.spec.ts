import { logReaderFailure, logReaderRetry } from '../../lib/cli/log-reader-events.js';
import { TattlerError, type ReaderEvent } from '../../lib/index.js';
import { ApiStatusError, WatchIdleError } from '../../lib/readers/api-error.js';
import { targetOf } from './fake-reader.js';

type Line = [level: string, fields: object, message: string | undefined];

function recording(): { lines: Line[]; logger: Parameters<typeof logReaderRetry>[0] } {
  const lines: Line[] = [];
  const at = (level: string) => (fields: object, message?: string) =>
    void lines.push([level, fields, message]);
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

const retry = (attempt: number, cause: unknown): Extract<ReaderEvent, { type: 'retry' }> => ({
  type: 'retry',
  target: targetOf('Node'),
  attempt,
  delayMs: 500,
  error: new TattlerError('ReaderError', 'the watch of v1/nodes received nothing', { cause }),
});

describe('logReaderRetry', () => {
  it('should log the first retry of a quiet watch at info, as routine', () => {
    const { lines, logger } = recording();

    logReaderRetry(logger, retry(1, new WatchIdleError(120_000, 'watch')));

    expect(lines).toEqual([
      [
        'info',
        {
          kind: 'Node',
          resource: 'v1/nodes',
          namespace: undefined,
          attempt: 1,
          delayMs: 500,
          tag: 'ReaderError',
        },
        'reader watches again after a quiet watch: the watch of v1/nodes received nothing',
      ],
    ]);
  });

  it('should warn about a quiet watch that follows failures in a row', () => {
    const { lines, logger } = recording();

    logReaderRetry(logger, retry(2, new WatchIdleError(120_000, 'watch')));

    expect(lines.map(([level, , message]) => [level, message])).toEqual([
      ['warn', 'reader retries after an error: the watch of v1/nodes received nothing'],
    ]);
  });

  it.each([
    ['a list page that went quiet', new WatchIdleError(120_000, 'list')],
    ['an API error', new ApiStatusError(503, 'the server is busy', { verb: 'watch' })],
    ['a network error', new Error('connect ECONNREFUSED 127.0.0.1:6443')],
  ])('should warn about %s, even the first time', (_what, cause) => {
    const { lines, logger } = recording();

    logReaderRetry(logger, retry(1, cause));

    expect(lines.map(([level]) => level)).toEqual(['warn']);
  });
});

describe('logReaderFailure', () => {
  it('should log one error line with the resource, verb, status and user, and the cause', () => {
    const { lines, logger } = recording();
    const denied = new ApiStatusError(403, 'nodes is forbidden', {
      verb: 'list',
      user: 'restricted',
    });

    logReaderFailure(logger, {
      type: 'failed',
      target: targetOf('Node'),
      error: new TattlerError('AccessDeniedError', 'user "restricted" may not list v1/nodes', {
        cause: denied,
      }),
    });

    expect(lines).toEqual([
      [
        'error',
        {
          kind: 'Node',
          resource: 'v1/nodes',
          namespace: undefined,
          tag: 'AccessDeniedError',
          verb: 'list',
          status: 403,
          user: 'restricted',
        },
        'stopped reading Node for good: user "restricted" may not list v1/nodes',
      ],
    ]);
  });
});
