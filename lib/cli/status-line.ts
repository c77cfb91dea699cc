import type { Writable } from 'node:stream';

/**
 * One line at the bottom of a terminal that can be rewritten in place (the initial-list
 * progress), with log lines written above it rather than into it.
 *
 * Off a terminal, or when standard output shares the terminal, it shows nothing and passes
 * log lines straight through.
 */
export class StatusLine {
  private text = '';

  /**
   * @param stream - where to draw; standard error by default.
   * @param enabled - whether to draw at all; by default when `stream` is a terminal and
   *   standard output is not (NDJSON lines on the same terminal would run into the line).
   */
  constructor(
    private readonly stream: Writable & { isTTY?: boolean } = process.stderr,
    readonly enabled: boolean = stream.isTTY === true && process.stdout.isTTY !== true,
  ) {}

  /** Shows `text` as the status line, replacing the previous one. */
  show(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    this.stream.write(`\r\x1b[2K${text}`);
  }

  /** Leaves the current status line in place and stops rewriting it. */
  done(): void {
    if (this.text !== '') this.stream.write('\n');
    this.text = '';
  }

  /** Writes a log chunk (ending in a newline) above the status line, then redraws it. */
  writeAbove(chunk: string | Buffer): void {
    if (this.text === '') {
      this.stream.write(chunk);
      return;
    }
    this.stream.write('\r\x1b[2K');
    this.stream.write(chunk);
    this.stream.write(this.text);
  }
}
