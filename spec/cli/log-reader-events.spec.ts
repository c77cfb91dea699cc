import { logReaderFailure } from '../../lib/cli/log-reader-events.js';
import { TattlerError } from '../../lib/index.js';
import { ApiStatusError } from '../../lib/readers/api-error.js';
import { targetOf } from './fake-reader.js';

type Line = [level: string, fields: object, message: string | undefined];

function recording(): { lines: Line[]; logger: Parameters<typeof logReaderFailure>[0] } {
  const lines: Line[] = [];
  const at = (level: string) => (fields: object, message?: string) =>
    void lines.push([level, fields, message]);
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

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
