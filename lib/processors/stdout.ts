import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Batch } from '../entry/batch.js';
import { TattlerError } from '../entry/tattler-error.js';
import { toNdjson } from './ndjson.js';
import type { Processor } from './processor.js';

/** Options of {@link stdoutProcessor}. */
export interface StdoutProcessorOptions {
  /** The processor's name in logs and metrics; defaults to `stdout`. */
  readonly name?: string;
  /** Where to write; defaults to `process.stdout`. Tests pass a PassThrough. */
  readonly stream?: Writable;
}

/**
 * A processor that writes every entry of every batch as one NDJSON line to standard output.
 *
 * Each line is an `EntryRecord` (kind, namespace, name, uid, resourceVersion, change, source,
 * observedAt, object). `process` settles once the stream has taken the batch: when the stream's
 * buffer is full it waits for `drain`, so a slow reader of the pipe slows this processor down
 * (and only this one: the pipeline's bounded buffer in front of it drops what does not fit).
 * It rejects when the stream is closed or fails (for example `EPIPE` after `| head`).
 *
 * @param options - see {@link StdoutProcessorOptions}.
 * @returns the processor.
 * @example
 * ```ts
 * import { stdoutProcessor } from 'tattler';
 *
 * const processors = [stdoutProcessor()];
 * ```
 *
 * Gotchas: anything else that writes to the same stream interleaves with the NDJSON. The
 * `tattler` command therefore logs to standard error.
 */
export function stdoutProcessor(options: StdoutProcessorOptions = {}): Processor {
  const name = options.name ?? 'stdout';
  const stream = options.stream ?? process.stdout;
  return {
    name,
    async process(batch: Batch): Promise<void> {
      if (batch.size === 0) return;
      if (stream.destroyed || stream.writableEnded) {
        throw new TattlerError(
          'ProcessorError',
          `processor ${name} cannot write a batch of ${batch.size}: its stream is closed. ` +
            'Keep the reading end of the pipe open while tattler runs.',
        );
      }
      if (!stream.write(toNdjson(batch.entries))) await drained(stream, name);
    },
  };
}

/** Resolves on `drain`; rejects on `error`, or on `close` before `drain`. */
async function drained(stream: Writable, name: string): Promise<void> {
  const controller = new AbortController();
  const closed = once(stream, 'close', { signal: controller.signal }).then(() => {
    throw new TattlerError(
      'ProcessorError',
      `processor ${name}: its stream closed before taking the batch. ` +
        'Keep the reading end of the pipe open while tattler runs.',
    );
  });
  try {
    await Promise.race([once(stream, 'drain', { signal: controller.signal }), closed]);
  } finally {
    controller.abort();
    closed.catch(() => undefined);
  }
}
