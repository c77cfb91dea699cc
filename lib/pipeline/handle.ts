import type { Observable } from 'rxjs';
import type { Processor } from '../processors/processor.js';
import type { Diagnostic } from './diagnostics.js';
import type { ProcessorSpec } from './options.js';
import type { TattlerStats } from './stats.js';

/** Options of {@link TattlerHandle.stop}. */
export interface StopOptions {
  /**
   * Milliseconds the processors get to work through their queues after the last batch.
   * When it passes, the batch in flight and the waiting batches of each processor still busy
   * are dropped (counted, and reported as `Dropped` with reason `unsubscribed`), and every
   * processor is closed. No deadline by default. Calling `stop()` again with a deadline that
   * ends sooner brings it forward; one that ends later changes nothing.
   */
  readonly deadline?: number;
  /**
   * Why the pipeline stops, such as `SIGTERM`: a field of the `tattler: stopping` log line,
   * which the first call logs.
   */
  readonly reason?: string;
}

/** How a pipeline ended, from `done` and `stop()`. */
export interface PipelineEnd {
  /** `completed`: every reader completed; `stopped`: `stop()`; `errored`: a reader failed. */
  readonly reason: 'completed' | 'stopped' | 'errored';
  /** What the pipeline errored with, when `reason` is `errored`. */
  readonly error?: unknown;
  /** The counters at the end. */
  readonly stats: TattlerStats;
}

/** A running pipeline, as {@link tattler} returns it. */
export interface TattlerHandle {
  /**
   * Stops the readers, emits the pending batch, lets every processor work through its
   * queue (within `deadline`), calls each processor's `close()`, and settles with how the
   * pipeline ended. Calling it again, or after the end, answers the same promise.
   */
  stop(options?: StopOptions): Promise<PipelineEnd>;
  /** Settles once every processor is closed, however the pipeline ended; never rejects. */
  readonly done: Promise<PipelineEnd>;
  /** Drops, failures and summaries as they happen; hot, so subscribe early. */
  readonly diagnostics$: Observable<Diagnostic>;
  /** The counters now. */
  stats(): TattlerStats;
  /**
   * Adds a processor that receives every batch from now on.
   *
   * @throws TattlerError `ConfigError` when a running processor already has this name.
   */
  addProcessor(processor: Processor | ProcessorSpec): void;
}
