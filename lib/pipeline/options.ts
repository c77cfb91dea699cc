import type { Observable, SchedulerLike } from 'rxjs';
import type { Entry } from '../entry/entry.js';
import type { Logger } from '../logger.js';
import type { OverflowPolicy } from '../operators/bounded-drop.js';
import type { Transform } from '../operators/preprocess.js';
import type { Processor } from '../processors/processor.js';
import type { RedactionOptions } from '../redaction/redact-object.js';

/** The queue settings a processor gets when its {@link ProcessorSpec} names none. */
export const DEFAULT_QUEUE = { capacity: 10, overflow: 'drop-oldest' } as const;

/** The default interval between summaries, in milliseconds. */
export const DEFAULT_SUMMARY_INTERVAL = 60_000;

/**
 * A processor with its own queue settings. `capacity` batches may wait while one is in
 * flight; when they are all taken, `overflow` decides which batch is dropped.
 */
export interface ProcessorSpec {
  readonly processor: Processor;
  /** Defaults to {@link DEFAULT_QUEUE}'s capacity, 10. */
  readonly capacity?: number;
  /** Defaults to `drop-oldest`: a slow processor gets the freshest state. */
  readonly overflow?: OverflowPolicy;
}

/** Options of {@link tattler}. */
export interface TattlerOptions {
  /** Entry sources, merged; typically the list-and-watch readers, one per resource. */
  readonly readers: readonly Observable<Entry>[];
  /** The consumers, each with its own bounded queue; more can be added later. */
  readonly processors: readonly (Processor | ProcessorSpec)[];
  /** Redaction settings; on by default with the built-in rules. `false` turns it off. */
  readonly redact?: RedactionOptions | false;
  /** Transforms run after redaction, before batching; see `preprocess`. */
  readonly preprocess?: Transform | readonly Transform[];
  /** Batching: a batch closes `timeSpan` ms after its first entry, or at `maxSize` UIDs. */
  readonly batch: { readonly timeSpan: number; readonly maxSize: number };
  /** Where summaries, drops and failures are logged; silent by default. */
  readonly logger?: Logger;
  /** Milliseconds between summaries; defaults to 60 000. */
  readonly summaryInterval?: number;
  /** Runs batching, summary and deadline timers; tests pass a virtual-time scheduler. */
  readonly scheduler?: SchedulerLike;
}
