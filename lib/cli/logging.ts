import { Writable } from 'node:stream';
import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import { StatusLine } from './status-line.js';

/** Options of {@link createCliLogger}. */
export interface CliLoggerOptions {
  readonly level: LevelWithSilent;
  /** Human-readable lines instead of JSON; defaults to whether standard error is a terminal. */
  readonly pretty?: boolean;
  /** The status line that pretty log lines are written above; defaults to a new one. */
  readonly statusLine?: StatusLine;
}

/**
 * The `tattler` command's logger: pino writing to standard error, so that standard output
 * carries only the stdout processor's NDJSON.
 *
 * JSON lines by default; colourised, human-readable lines through pino-pretty when standard
 * error is a terminal.
 *
 * @param options - the level, and whether to pretty-print.
 * @returns a pino logger, which is also a Tattler `Logger`.
 */
export function createCliLogger(options: CliLoggerOptions): PinoLogger {
  const base = { level: options.level, base: { name: 'tattler' } };
  if (options.pretty ?? process.stderr.isTTY === true) {
    const statusLine = options.statusLine ?? new StatusLine();
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        statusLine.writeAbove(chunk);
        callback();
      },
    });
    return pino(
      base,
      pretty({ destination, colorize: true, singleLine: true, ignore: 'pid,hostname,name' }),
    );
  }
  return pino(base, pino.destination({ fd: 2, sync: true }));
}
