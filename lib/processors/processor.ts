import type { Observable } from 'rxjs';
import type { Batch } from '../entry/batch.js';

/**
 * A consumer of batches: the last stage of a pipeline.
 *
 * `process` is called with one batch at a time and the next call waits until the returned
 * Promise settles or the returned Observable completes or errors. A rejection or error counts
 * as a failed batch for this processor only; the pipeline goes on.
 *
 * @example
 * ```ts
 * import type { Processor } from 'tattler';
 *
 * const countPods: Processor = {
 *   name: 'count-pods',
 *   async process(batch) {
 *     inventory.add(batch.byKind().get('Pod') ?? []);
 *   },
 * };
 * ```
 */
export interface Processor {
  /** A name unique within a pipeline, used in logs, metrics and drop reports. */
  readonly name: string;
  process(batch: Batch): Promise<unknown> | Observable<unknown>;
  /** Called once after the last batch, to flush and release resources. */
  close?(): Promise<void>;
}
