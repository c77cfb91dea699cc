/** Where a processor is in its life: receiving batches, ended (no more batches), or closed. */
export type ProcessorState = 'running' | 'ended' | 'closed';

/** Counters of one processor in a pipeline; batches unless the name says entries. */
export interface ProcessorStats {
  readonly name: string;
  readonly state: ProcessorState;
  /** Batches the router handed to this processor's queue. */
  readonly received: number;
  /** Batches `process` finished without error. */
  readonly delivered: number;
  /** Entries in the delivered batches. */
  readonly deliveredEntries: number;
  /**
   * Batches `process` rejected, errored or threw on (after any retries of the processor's
   * own): their entries are lost to this processor, as dropped ones are.
   */
  readonly failures: number;
  /** Entries in the failed batches. */
  readonly failedEntries: number;
  /**
   * Batches and entries the queue dropped: by the overflow policy, or in flight or waiting
   * when stop's deadline hit. Failed batches are counted in `failures`, not here.
   */
  readonly dropped: { readonly batches: number; readonly entries: number };
  /**
   * `received - delivered - failures - dropped.batches`: batches waiting or in flight; 0 once
   * the processor ended (stop's deadline counts what it abandons as dropped).
   */
  readonly pending: number;
}

/**
 * A snapshot of a pipeline's counters, from `TattlerHandle.stats()`. Counters only grow; read
 * them as Prometheus counters (except `pending` and `state`).
 */
export interface TattlerStats {
  /** Entries the readers emitted. */
  readonly entriesIn: number;
  /** Entries redacted (with at least one value replaced), and dropped because a rule failed. */
  readonly redaction: { readonly redacted: number; readonly failed: number };
  /** Entries filtered out by a transform, and dropped because a transform failed. */
  readonly preprocess: { readonly filtered: number; readonly failed: number };
  /** Entries that reached batching (after redaction and preprocessing). */
  readonly entriesBatched: number;
  /** Batches emitted by batching. */
  readonly batchesOut: number;
  /** Entries in those batches: `entriesBatched` minus the older versions batching replaced. */
  readonly entriesOut: number;
  /** One entry per processor ever added, by name. */
  readonly processors: Readonly<Record<string, ProcessorStats>>;
}
