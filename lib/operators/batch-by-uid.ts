import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { Subscription } from 'rxjs';
import type { Batch } from '../entry/batch.js';
import { createBatch } from '../entry/create-batch.js';
import type { Entry } from '../entry/entry.js';
import { TattlerError } from '../entry/tattler-error.js';
import { subscribeWhileOpen } from './subscribe-while-open.js';

/** The longest delay Node's timers accept, in milliseconds (about 24.8 days). */
const MAX_TIMER_DELAY = 2_147_483_647;

/** Options of {@link batchByUid}. */
export interface BatchByUidOptions {
  /**
   * How long a batch stays open, in milliseconds, counted from its first entry. A finite
   * number greater than 0.
   */
  readonly timeSpan: number;
  /**
   * How many distinct UIDs close a batch early: an integer of at least 1, or `Infinity` to
   * close batches on time only.
   */
  readonly maxSize: number;
  /** Where the `timeSpan` timers run; defaults to `asyncScheduler`. Tests pass a virtual one. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Groups entries into batches that hold the newest entry of each object UID.
 *
 * A batch opens with its first entry and is emitted `timeSpan` milliseconds later, or at once
 * when `maxSize` distinct UIDs are pending, whichever comes first. A size-triggered flush
 * cancels the timer; the next entry opens a new batch and starts a new timer, so no entry
 * waits longer than `timeSpan`. No timer runs while nothing is pending and a batch is never
 * empty. On completion the pending batch is emitted, then the output completes. On error the
 * pending batch is emitted too, then the error: entries that arrived intact are not lost
 * (`bufferTime` drops them instead). Unsubscribing discards the pending batch.
 *
 * Within a batch, a later entry for a UID replaces the pending one in place, so the batch
 * keeps the order of each UID's first appearance. One exception: a pending `deleted` entry is
 * replaced only by an entry that is provably newer, that is when both resourceVersions are
 * decimal integers and the new one is greater. Kubernetes documents resourceVersions as opaque
 * strings, so when either is not an integer the order is unknown and the delete stays: a UID
 * is never reused, so anything arriving after its deletion is most likely a stale read (a
 * relist that raced the delete).
 *
 * ```text
 * source:  -a-b-A---c-------d-e-f-|     timeSpan 5, maxSize 3; A is a newer version of a
 * output:  ------x-------y------z-|
 *
 * x = [A, b]     time: 5 frames after a opened the batch; A took a's place
 * y = [c]        time: 5 frames after c
 * z = [d, e, f]  size: the timer that d started is cancelled
 *                nothing is pending at completion, so no batch is emitted there
 * ```
 *
 * @param options - the time span, the size limit and optionally the scheduler.
 * @returns an operator from entries to batches.
 * @throws TattlerError `ConfigError` when `timeSpan` or `maxSize` is out of range.
 * @example
 * ```ts
 * import { batchByUid } from 'tattler';
 *
 * entries$.pipe(batchByUid({ timeSpan: 1000, maxSize: 1000 })).subscribe((batch) => {
 *   console.log(batch.size, [...batch.byKind().keys()]);
 * });
 * ```
 *
 * Gotchas: the time span is the same for every kind. Deduplication happens within a batch
 * only: the same UID appears again in the next batch if it changes again.
 */
export function batchByUid(options: BatchByUidOptions): OperatorFunction<Entry, Batch> {
  const { timeSpan, maxSize } = validate(options);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<Batch>((subscriber) => {
      let pending = new Map<string, Entry>();
      let timer: Subscription | undefined;
      const flush = (): void => {
        timer?.unsubscribe();
        timer = undefined;
        if (pending.size === 0) return;
        const entries = Array.from(pending.values());
        pending = new Map();
        subscriber.next(createBatch(entries));
      };
      const upstream = subscribeWhileOpen(source, subscriber, {
        next: (entry) => {
          const current = pending.get(entry.uid);
          if (current?.change === 'deleted' && !isProvablyNewer(entry, current)) return;
          pending.set(entry.uid, entry);
          if (pending.size >= maxSize) flush();
          else timer ??= scheduler.schedule(flush, timeSpan);
        },
        error: (error: unknown) => {
          flush();
          subscriber.error(error);
        },
        complete: () => {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
        pending.clear();
      };
    });
}

function validate(options: BatchByUidOptions): BatchByUidOptions {
  const { timeSpan, maxSize } = options;
  if (!(Number.isFinite(timeSpan) && timeSpan > 0 && timeSpan <= MAX_TIMER_DELAY)) {
    throw new TattlerError(
      'ConfigError',
      `batchByUid: timeSpan must be a number of milliseconds greater than 0 and at most ` +
        `${MAX_TIMER_DELAY} (got ${String(timeSpan)}); pass for example { timeSpan: 1000 }.`,
    );
  }
  if (!(maxSize === Infinity || (Number.isInteger(maxSize) && maxSize >= 1))) {
    throw new TattlerError(
      'ConfigError',
      `batchByUid: maxSize must be an integer of at least 1, or Infinity ` +
        `(got ${String(maxSize)}); pass for example { maxSize: 1000 }.`,
    );
  }
  return options;
}

/**
 * Whether `next` is provably newer than `current`: both resourceVersions are decimal integers
 * and `next`'s is greater. Compares digit strings without parsing, so versions beyond 2^53
 * compare exactly.
 */
function isProvablyNewer(next: Entry, current: Entry): boolean {
  const a = withoutLeadingZeros(next.resourceVersion);
  const b = withoutLeadingZeros(current.resourceVersion);
  if (a === undefined || b === undefined) return false;
  return a.length === b.length ? a > b : a.length > b.length;
}

function withoutLeadingZeros(version: string): string | undefined {
  if (!/^\d+$/.test(version)) return undefined;
  let start = 0;
  while (start < version.length - 1 && version[start] === '0') start += 1;
  return start === 0 ? version : version.slice(start);
}
