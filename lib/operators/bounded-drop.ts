import { either as E } from 'fp-ts';
import { Observable, from, type ObservableInput, type OperatorFunction } from 'rxjs';
import type { Subscription } from 'rxjs';
import { TattlerError } from '../entry/tattler-error.js';
import { subscribeWhileOpen } from './subscribe-while-open.js';

/**
 * What {@link boundedDrop} does with a value that arrives while the queue is full:
 * `drop-newest` drops the arriving value, `drop-oldest` drops the longest-waiting one and
 * queues the arriving value.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/**
 * Why a value was dropped: `overflow` when the queue was full, `unsubscribed` when the
 * output was unsubscribed while the value was in flight or still waited.
 */
export type DropReason = 'overflow' | 'unsubscribed';

/** Running totals of what one {@link boundedDrop} has dropped, including the current drop. */
export interface DropTotals {
  /** Values dropped. */
  readonly values: number;
  /** The sum of `size(value)` over the dropped values. */
  readonly size: number;
}

/** What {@link BoundedDropOptions.onDrop} receives, once per dropped value. */
export interface DropReport<T> {
  readonly reason: DropReason;
  readonly value: T;
  readonly totals: DropTotals;
}

/** A value the processor failed on, and why: the Left of {@link boundedDrop}'s output. */
export interface ProcessFailure<T> {
  readonly value: T;
  /** What the processor threw, rejected or errored with. */
  readonly error: unknown;
}

/** Options of {@link boundedDrop}. */
export interface BoundedDropOptions<T> {
  /** How many values may wait besides the one in flight: an integer of at least 0. */
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  /** The slow consumer, called with one value at a time. */
  readonly process: (value: T) => ObservableInput<unknown>;
  /** The size of a value in drop totals (entries in a batch, say); defaults to 1. */
  readonly size?: (value: T) => number;
  /** Called synchronously for each dropped value. */
  readonly onDrop?: (report: DropReport<T>) => void;
}

/**
 * Puts a bounded queue in front of a slow consumer, dropping by policy when it is full.
 *
 * `process` runs on one value at a time, in arrival order. While it runs, up to `capacity`
 * values wait; a value that arrives when they are all taken is dropped according to
 * `overflow`, counted, and reported to `onDrop`. Memory stays bounded however slow `process`
 * is. For every value `process` finishes, the output emits `right(value)` when it resolved or
 * completed, and `left({ value, error })` when it rejected, errored or threw; either way the
 * next value goes on. Values `process` emits are ignored. When the source completes or errors,
 * the queue drains first, then the output completes or errors. Unsubscribing cancels the
 * running Observable (a Promise cannot be cancelled: its outcome is ignored) and reports the
 * value in flight, then each waiting value, to `onDrop` with reason `unsubscribed`.
 *
 * ```text
 * capacity 1, process takes 5 frames per value
 * source:               a-b-c-d-------|
 * drop-newest output:   -----A----B----(D|)   c dropped: b was waiting
 * drop-oldest output:   -----A----C----(D|)   b dropped: c took its place
 *
 * A = right(a); had process failed on a, left({ value: a, error }) instead
 * ```
 *
 * @param options - capacity, overflow policy, the consumer, and the optional size and onDrop.
 * @returns an operator that emits one Either per processed value.
 * @throws TattlerError `ConfigError` when `capacity` is not an integer of at least 0.
 * @example
 * ```ts
 * import { Gauge } from 'prom-client';
 * import { boundedDrop } from 'tattler';
 *
 * const droppedEntries = new Gauge({ name: 'webhook_dropped_entries', help: 'Entries dropped' });
 * batch$.pipe(
 *   boundedDrop({
 *     capacity: 10,
 *     overflow: 'drop-oldest',
 *     process: (batch) => webhook.process(batch),
 *     size: (batch) => batch.size,
 *     onDrop: ({ totals }) => droppedEntries.set(totals.size),
 *   }),
 * );
 * ```
 *
 * Gotchas: an `onDrop` that throws errors the output, as a throwing `tap` callback does, and
 * the queue is discarded. The value in flight at unsubscription is reported as dropped even
 * when `process` returned a Promise that goes on and may still reach its destination.
 */
export function boundedDrop<T>(
  options: BoundedDropOptions<T>,
): OperatorFunction<T, E.Either<ProcessFailure<T>, T>> {
  validate(options);
  return (source) =>
    new Observable<E.Either<ProcessFailure<T>, T>>((subscriber) => {
      const { capacity, overflow, process, size = () => 1, onDrop } = options;
      const queue = new RingQueue<T>(capacity);
      const totals = { values: 0, size: 0 };
      let inFlight: Subscription | undefined;
      // The value `process` is working on; meaningful only while `busy`.
      let current: T | undefined;
      let busy = false;
      let pumping = false;
      let ended: { readonly error: unknown } | 'completed' | undefined;
      let callbackFailed = false;
      const drop = (value: T, reason: DropReason): void => {
        totals.values += 1;
        totals.size += size(value);
        onDrop?.({ reason, value, totals: { ...totals } });
      };
      const settle = (outcome: E.Either<ProcessFailure<T>, T>): void => {
        busy = false;
        inFlight = undefined;
        current = undefined;
        subscriber.next(outcome);
        pump();
      };
      const run = (value: T): void => {
        busy = true;
        current = value;
        let input: Observable<unknown>;
        try {
          input = from(process(value));
        } catch (error) {
          settle(E.left({ value, error }));
          return;
        }
        inFlight = input.subscribe({
          error: (error: unknown) => settle(E.left({ value, error })),
          complete: () => settle(E.right(value)),
        });
      };
      const pump = (): void => {
        if (pumping) return;
        pumping = true;
        while (!busy && queue.length > 0 && !subscriber.closed) run(queue.shift() as T);
        pumping = false;
        if (busy || queue.length > 0 || ended === undefined) return;
        if (ended === 'completed') subscriber.complete();
        else subscriber.error(ended.error);
      };
      const accept = (value: T): void => {
        // When nothing is in flight, the head of the queue starts next (a value that arrives
        // while an outcome is being delivered waits only for that delivery), so it does not
        // count as waiting.
        if (queue.length >= (busy ? capacity : capacity + 1)) {
          if (overflow === 'drop-newest' || capacity === 0) return drop(value, 'overflow');
          drop(queue.shift() as T, 'overflow');
        }
        queue.push(value);
        pump();
      };
      const upstream = subscribeWhileOpen(source, subscriber, {
        next: (value) => {
          try {
            accept(value);
          } catch (error) {
            callbackFailed = true;
            subscriber.error(error);
          }
        },
        error: (error: unknown) => {
          ended = { error };
          pump();
        },
        complete: () => {
          ended = 'completed';
          pump();
        },
      });
      return () => {
        upstream.unsubscribe();
        // Limitation: a Promise cannot be cancelled; its work goes on and its outcome is ignored.
        inFlight?.unsubscribe();
        if (callbackFailed) return;
        // Limitation: an onDrop that throws here makes unsubscribe() throw, and the values
        // after it go unreported; there is no open output left to report it on.
        if (busy) {
          busy = false;
          drop(current as T, 'unsubscribed');
        }
        while (queue.length > 0) drop(queue.shift() as T, 'unsubscribed');
      };
    });
}

function validate<T>(options: BoundedDropOptions<T>): void {
  const { capacity, overflow } = options;
  if (!(Number.isInteger(capacity) && capacity >= 0)) {
    throw new TattlerError(
      'ConfigError',
      `boundedDrop: capacity must be an integer of at least 0 (got ${String(capacity)}); ` +
        'pass for example { capacity: 10 }.',
    );
  }
  if (overflow !== 'drop-newest' && overflow !== 'drop-oldest') {
    throw new TattlerError(
      'ConfigError',
      `boundedDrop: overflow must be 'drop-newest' or 'drop-oldest' ` +
        `(got ${JSON.stringify(overflow)}).`,
    );
  }
}

/** A first-in first-out queue over a growable ring, O(1) at both ends. */
class RingQueue<T> {
  private slots: (T | undefined)[] = [];
  private head = 0;
  length = 0;

  constructor(private readonly capacity: number) {}

  push(value: T): void {
    if (this.length === this.slots.length) this.grow();
    this.slots[(this.head + this.length) % this.slots.length] = value;
    this.length += 1;
  }

  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const value = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.length -= 1;
    return value;
  }

  private grow(): void {
    const size = Math.max(this.length + 1, Math.min(this.capacity + 1, this.slots.length * 2));
    const slots = new Array<T | undefined>(size);
    for (let i = 0; i < this.length; i += 1) {
      slots[i] = this.slots[(this.head + i) % this.slots.length];
    }
    this.slots = slots;
    this.head = 0;
  }
}
