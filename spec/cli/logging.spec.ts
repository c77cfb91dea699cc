import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { createCliLogger } from '../../lib/cli/logging.js';
import { StatusLine } from '../../lib/cli/status-line.js';

/** Resolves with what `stream` carried once `done` holds for it. */
function textUntil(stream: PassThrough, done: (text: string) => boolean): Promise<string> {
  let text = '';
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (done(text)) resolve(text);
    });
  });
}

describe('createCliLogger', () => {
  const wasTerminal = process.stderr.isTTY;
  afterEach(() => {
    process.stderr.isTTY = wasTerminal;
  });

  it('should write readable lines, not JSON, when standard error is a terminal', async () => {
    process.stderr.isTTY = true;
    const stream = new PassThrough();
    const logger = createCliLogger({ level: 'info', statusLine: new StatusLine(stream, false) });

    const written = once(stream, 'data');
    logger.info({ kind: 'Pod' }, 'initial lists delivered');
    const text = String((await written)[0]);

    expect(() => JSON.parse(text) as unknown).toThrow();
    // The level, the message and the fields on one line, with colours.
    expect(text).toMatch(/INFO.*initial lists delivered.*kind.*Pod/);
    expect(text).toContain('\x1b[');
    expect(text.trimEnd().split('\n')).toHaveLength(1);
  });

  it('should write the pretty lines above the progress line on a terminal', async () => {
    process.stderr.isTTY = true;
    const stream = Object.assign(new PassThrough(), { isTTY: true });
    const statusLine = new StatusLine(stream, true);
    statusLine.show('initial list: Pod 3');
    const logger = createCliLogger({ level: 'info', statusLine });

    const written = textUntil(
      stream,
      (text) => text.includes('a warning') && text.endsWith('initial list: Pod 3'),
    );
    logger.warn({}, 'a warning');

    // Cleared, the log line written, and the progress line drawn again below it.
    const frames = (await written).split('\r\x1b[2K');
    expect(frames.at(-1)).toMatch(/WARN.*a warning.*\ninitial list: Pod 3$/s);
  });
});
