import type { PreprocessCounters } from '../operators/preprocess.js';
import type { RedactionCounters } from '../operators/redact-secrets.js';
import type { ProcessorState, ProcessorStats, TattlerStats } from './stats.js';

/** The mutable counters behind {@link ProcessorStats}. */
export interface ProcessorCounters {
  readonly name: string;
  state: ProcessorState;
  received: number;
  delivered: number;
  deliveredEntries: number;
  failures: number;
  failedEntries: number;
  droppedBatches: number;
  droppedEntries: number;
}

/** The mutable counters behind {@link TattlerStats}, shared by the pipeline's stages. */
export class StatsRecorder {
  entriesIn = 0;
  entriesBatched = 0;
  batchesOut = 0;
  entriesOut = 0;
  readonly redaction: RedactionCounters = { entries: 0, fields: 0, dropped: 0 };
  readonly preprocess: PreprocessCounters = { filtered: 0, dropped: 0 };
  private readonly processors = new Map<string, ProcessorCounters>();

  /** Starts counting for a processor; its counters start over if the name was used before. */
  addProcessor(name: string): ProcessorCounters {
    const counters: ProcessorCounters = {
      name,
      state: 'running',
      received: 0,
      delivered: 0,
      deliveredEntries: 0,
      failures: 0,
      failedEntries: 0,
      droppedBatches: 0,
      droppedEntries: 0,
    };
    this.processors.set(name, counters);
    return counters;
  }

  snapshot(): TattlerStats {
    const processors: Record<string, ProcessorStats> = {};
    for (const counters of this.processors.values()) {
      processors[counters.name] = processorSnapshot(counters);
    }
    return {
      entriesIn: this.entriesIn,
      redaction: { redacted: this.redaction.entries, failed: this.redaction.dropped },
      preprocess: { filtered: this.preprocess.filtered, failed: this.preprocess.dropped },
      entriesBatched: this.entriesBatched,
      batchesOut: this.batchesOut,
      entriesOut: this.entriesOut,
      processors,
    };
  }
}

function processorSnapshot(counters: ProcessorCounters): ProcessorStats {
  const { name, state, received, delivered, deliveredEntries, failures, failedEntries } = counters;
  const dropped = { batches: counters.droppedBatches, entries: counters.droppedEntries };
  const pending = received - delivered - failures - dropped.batches;
  return {
    name,
    state,
    received,
    delivered,
    deliveredEntries,
    failures,
    failedEntries,
    dropped,
    pending,
  };
}
