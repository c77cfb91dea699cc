import type { Logger } from '../logger.js';
import type { Diagnostic, SummaryDelta } from './diagnostics.js';
import type { ProcessorStats, TattlerStats } from './stats.js';

/**
 * Turns counters into one summary per interval: a `Summary` diagnostic and one log line, a
 * warning when anything was dropped or failed during the interval.
 */
export class SummaryReporter {
  private previous: TattlerStats | undefined;
  private since: number;

  constructor(
    private readonly stats: () => TattlerStats,
    private readonly report: (diagnostic: Diagnostic) => void,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.since = now();
  }

  /**
   * Emits the summary of the interval that ends now, and starts the next one. The final
   * summary passes `final.endedAt`, the time the pipeline ended: it is emitted after the
   * closes (counting what they settled) but its interval ends there, and its delta lists every
   * processor, not only those that delivered, failed or dropped something.
   */
  tick(final?: { readonly endedAt: number }): void {
    const now = final?.endedAt ?? this.now();
    const stats = this.stats();
    const delta = deltaOf(this.previous, stats, final !== undefined);
    const intervalMs = now - this.since;
    this.previous = stats;
    this.since = now;
    this.report({ _tag: 'Summary', intervalMs, stats, delta });
    this.log(intervalMs, delta);
  }

  private log(intervalMs: number, delta: SummaryDelta): void {
    let droppedBatches = 0;
    let droppedEntries = 0;
    let failures = 0;
    for (const processor of Object.values(delta.processors)) {
      droppedBatches += processor.dropped.batches;
      droppedEntries += processor.dropped.entries;
      failures += processor.failures;
    }
    const fields = { intervalMs, ...delta };
    const traffic = `${delta.entriesIn} entries in, ${delta.batchesOut} batches out`;
    if (droppedBatches + failures + delta.entriesFailed === 0) {
      this.logger.info(fields, `tattler: ${traffic} in the last ${intervalMs} ms`);
      return;
    }
    this.logger.warn(
      fields,
      `tattler: ${traffic}; ${droppedBatches} batches (${droppedEntries} entries) dropped, ` +
        `${failures} processor failures, ${delta.entriesFailed} entries failed redaction or ` +
        `preprocessing in the last ${intervalMs} ms`,
    );
  }
}

type ProcessorDelta = SummaryDelta['processors'][string];

function deltaOf(
  before: TattlerStats | undefined,
  after: TattlerStats,
  everyProcessor: boolean,
): SummaryDelta {
  const processors: Record<string, ProcessorDelta> = {};
  for (const [name, now] of Object.entries(after.processors)) {
    const delta = processorDelta(before?.processors[name], now);
    const active = delta.delivered + delta.failures + delta.dropped.batches > 0;
    if (active || everyProcessor) processors[name] = delta;
  }
  const failed = (stats: TattlerStats): number => stats.redaction.failed + stats.preprocess.failed;
  return {
    entriesIn: after.entriesIn - (before?.entriesIn ?? 0),
    batchesOut: after.batchesOut - (before?.batchesOut ?? 0),
    entriesFailed: failed(after) - (before === undefined ? 0 : failed(before)),
    processors,
  };
}

/** Growth of one processor's counters; a processor re-added under the same name starts over. */
function processorDelta(then: ProcessorStats | undefined, now: ProcessorStats): ProcessorDelta {
  const base = then !== undefined && then.received <= now.received ? then : ZERO;
  return {
    delivered: now.delivered - base.delivered,
    failures: now.failures - base.failures,
    dropped: {
      batches: now.dropped.batches - base.dropped.batches,
      entries: now.dropped.entries - base.dropped.entries,
    },
  };
}

const ZERO = { delivered: 0, failures: 0, dropped: { batches: 0, entries: 0 } } as const;
