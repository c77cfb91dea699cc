import type { Writable } from 'node:stream';

/**
 * One line at the bottom of a terminal that can be rewritten in place (the initial-list
 * progress), with log lines written above it rather than into it.
 *
 * Off a terminal it shows nothing and passes log lines straight through.
 */
export class StatusLine {
  private text = '';

  constructor(private readonly stream: Writable & { isTTY?: boolean } = process.stderr) {}

  /** Whether the stream is a terminal, where the line is shown. */
  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

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
