import type { Logger } from '../logger.js';
import type { Diagnostic, SummaryDelta } from './diagnostics.js';
import { counted } from './plural.js';
import type { ProcessorStats, TattlerStats } from './stats.js';

/**
 * Turns counters into one summary per interval: a `Summary` diagnostic and one log line, a
 * warning when anything was dropped or failed during the interval, naming each loss:
 * batches that failed in their processor, batches a queue dropped, and entries that failed
 * redaction or preprocessing.
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
    const failed = { batches: 0, entries: 0 };
    const dropped = { batches: 0, entries: 0 };
    for (const processor of Object.values(delta.processors)) {
      failed.batches += processor.failed.batches;
      failed.entries += processor.failed.entries;
      dropped.batches += processor.dropped.batches;
      dropped.entries += processor.dropped.entries;
    }
    const fields = { intervalMs, ...delta };
    const traffic =
      `tattler: ${counted(delta.entriesIn, 'entry', 'entries')} in, ` +
      `${counted(delta.batchesOut, 'batch', 'batches')} out in the last ${intervalMs} ms`;
    const losses = [
      failed.batches > 0
        ? `${batchesOf(failed)} failed in their processor (after any retries of its own)`
        : '',
      dropped.batches > 0 ? `${batchesOf(dropped)} dropped by a full queue or at the deadline` : '',
      delta.entriesFailed > 0
        ? `${counted(delta.entriesFailed, 'entry', 'entries')} failed redaction or preprocessing`
        : '',
    ].filter((loss) => loss !== '');
    if (losses.length === 0) {
      this.logger.info(fields, traffic);
      return;
    }
    this.logger.warn(fields, `${traffic}; ${losses.join('; ')}`);
  }
}

/** `3 batches (2800 entries)`. */
function batchesOf(count: { readonly batches: number; readonly entries: number }): string {
  return (
    `${counted(count.batches, 'batch', 'batches')} ` +
    `(${counted(count.entries, 'entry', 'entries')})`
  );
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
    const active = delta.delivered + delta.failed.batches + delta.dropped.batches > 0;
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
    failed: {
      batches: now.failures - base.failures,
      entries: now.failedEntries - base.failedEntries,
    },
    dropped: {
      batches: now.dropped.batches - base.dropped.batches,
      entries: now.dropped.entries - base.dropped.entries,
    },
  };
}

const ZERO = {
  delivered: 0,
  failures: 0,
  failedEntries: 0,
  dropped: { batches: 0, entries: 0 },
} as const;
