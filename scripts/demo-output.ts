/**
 * The demo's narration on standard error, and what it does when standard output or standard
 * error closes.
 */

/** Which stream failed, and whether that is the normal end of a pipe. */
export interface OutputEnd {
  readonly stream: 'standard output' | 'standard error';
  /** `EPIPE`: the reader went away (`| head`); anything else (a full disk) loses output. */
  readonly closed: boolean;
  readonly code: string | undefined;
}

/**
 * Narrates on standard error, and reports the first error of standard output and of standard
 * error to the function given to {@link DemoOutput.onEnd}.
 *
 * `npm start | head` or `npm start 2>&1 | head` closes the pipe: the next write fails with
 * `EPIPE`, which without a listener would crash the demo and leave the local API server and
 * its data dir behind. After standard error has failed the narration is silent.
 */
export class DemoOutput {
  private stderrOpen = true;
  private readonly ended = new Set<OutputEnd['stream']>();

  /** Writes one line of narration on standard error, in bold on a terminal. */
  say(text: string): void {
    if (!this.stderrOpen) return;
    const line = process.stderr.isTTY === true ? `\x1b[1m>> ${text}\x1b[0m` : `>> ${text}`;
    process.stderr.write(`\n${line}\n`);
  }

  /** Starts listening for errors of both streams: `end` is called once for each. */
  onEnd(end: (what: OutputEnd) => void): void {
    const failed = (stream: OutputEnd['stream'], error: NodeJS.ErrnoException): void => {
      if (this.ended.has(stream)) return;
      this.ended.add(stream);
      end({ stream, closed: error.code === 'EPIPE', code: error.code });
    };
    process.stdout.on('error', (error) => failed('standard output', error));
    process.stderr.on('error', (error) => {
      this.stderrOpen = false;
      failed('standard error', error);
    });
  }
}
