import { readerLogger } from '../../lib/cli/reader-logger.js';
import type { Logger } from '../../lib/index.js';

function recording(): { levels: [string, string | undefined][]; logger: Logger } {
  const levels: [string, string | undefined][] = [];
  const at = (level: string) => (_fields: object, message?: string) =>
    void levels.push([level, message]);
  return {
    levels,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

describe('readerLogger', () => {
  it("should lower the readers' failure and retry lines, which the command logs from events", () => {
    const { levels, logger } = recording();
    const readers = readerLogger(logger);

    readers.error({ kind: 'Node', tag: 'AccessDeniedError' }, 'reader stopped reading a kind');
    readers.warn({ kind: 'Node', attempt: 1, delayMs: 500 }, 'reader retries after an error');

    expect(levels).toEqual([
      ['debug', 'reader stopped reading a kind'],
      ['debug', 'reader retries after an error'],
    ]);
  });

  it('should keep the level of every other reader line', () => {
    const { levels, logger } = recording();
    const readers = readerLogger(logger);

    readers.warn({ kind: 'Pod' }, 'reader could not load its bookmark; listing from scratch');
    readers.info({ kind: 'Pod' }, 'the API server refused a streaming list');
    readers.debug({ kind: 'Pod' }, 'watch started');

    expect(levels).toEqual([
      ['warn', 'reader could not load its bookmark; listing from scratch'],
      ['info', 'the API server refused a streaming list'],
      ['debug', 'watch started'],
    ]);
  });
});
