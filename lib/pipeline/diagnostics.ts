import type { TattlerError } from '../entry/tattler-error.js';
import type { DropReason } from '../operators/bounded-drop.js';
import type { TattlerStats } from './stats.js';

/** A processor's queue dropped a batch; `totals` count every drop of that processor so far. */
export interface DroppedDiagnostic {
  readonly _tag: 'Dropped';
  readonly processor: string;
  readonly reason: DropReason;
  /** Entries in the dropped batch. */
  readonly entries: number;
  readonly totals: { readonly batches: number; readonly entries: number };
}

/** A processor failed on a batch (`phase: 'process'`) or in `close()` (`phase: 'close'`). */
export interface ProcessorFailedDiagnostic {
  readonly _tag: 'ProcessorFailed';
  readonly processor: string;
  readonly phase: 'process' | 'close';
  /** Entries in the failed batch; 0 for `close`. */
  readonly entries: number;
  /** A `ProcessorError` whose `cause` is what the processor threw or rejected with. */
  readonly error: TattlerError;
}

/** Redaction or preprocessing dropped one entry; `error.ref` names the object. */
export interface EntryFailedDiagnostic {
  readonly _tag: 'EntryFailed';
  readonly stage: 'redaction' | 'preprocess';
  readonly error: TattlerError;
}

/** A processor has received its last batch and `close()` has settled. */
export interface ProcessorClosedDiagnostic {
  readonly _tag: 'ProcessorClosed';
  readonly processor: string;
}

/** A reader (or a stage before batching) errored: the pipeline drains, closes and ends. */
export interface PipelineFailedDiagnostic {
  readonly _tag: 'PipelineFailed';
  readonly error: unknown;
}

/** What happened during one summary interval, and the counters at its end. */
export interface SummaryDiagnostic {
  readonly _tag: 'Summary';
  /**
   * The interval's length in milliseconds; the last summary may be shorter. It comes once
   * every processor's `close()` has settled, but its interval ends when the last route did.
   */
  readonly intervalMs: number;
  /** Counters as `stats()` answers them at the end of the interval. */
  readonly stats: TattlerStats;
  /** What changed during the interval. */
  readonly delta: SummaryDelta;
}

/** Growth of the counters over one summary interval. */
export interface SummaryDelta {
  readonly entriesIn: number;
  readonly batchesOut: number;
  readonly entriesFailed: number;
  /**
   * Per processor that delivered, failed or dropped anything during the interval; the final
   * summary, at the end, lists every processor.
   *
   * The entries of `failed` and `dropped` batches are both lost to that processor: `failed`
   * counts the batches its `process` rejected (after any retries of its own, as a webhook's),
   * `dropped` those its queue dropped (full, or abandoned at stop's deadline). The `tattler`
   * command's `tattler_dropped_entries_total` counts them as its reasons `failed`, and
   * `overflow` and `unsubscribed`.
   */
  readonly processors: Readonly<
    Record<
      string,
      {
        /** Batches delivered. */
        readonly delivered: number;
        readonly failed: { readonly batches: number; readonly entries: number };
        readonly dropped: { readonly batches: number; readonly entries: number };
      }
    >
  >;
}

/**
 * Everything a pipeline reports on `diagnostics$`, told apart by `_tag`.
 *
 * Per-item events (`Dropped`, `ProcessorFailed`, `EntryFailed`) come as they happen, one per
 * item; `Summary` comes once per interval and once at the end. None carries an object body.
 */
export type Diagnostic =
  | DroppedDiagnostic
  | ProcessorFailedDiagnostic
  | EntryFailedDiagnostic
  | ProcessorClosedDiagnostic
  | PipelineFailedDiagnostic
  | SummaryDiagnostic;
