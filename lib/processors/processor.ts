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
 * import type { Entry, Processor } from 'tattler';
 *
 * declare const inventory: { add(pods: readonly Entry[]): Promise<void> };
 *
 * const podInventory: Processor = {
 *   name: 'pod-inventory',
 *   async process(batch) {
 *     await inventory.add(batch.byKind().get('Pod') ?? []);
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
