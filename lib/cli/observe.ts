import { from, lastValueFrom, type Observable, type Subscription } from 'rxjs';
import { describeRef } from '../entry/tattler-error.js';
import type { Logger } from '../logger.js';
import type { TattlerHandle } from '../pipeline/handle.js';
import type { Processor } from '../processors/processor.js';
import type { ReaderEvent } from '../readers/reader-event.js';
import { processorFailureLogger } from './log-processor-failures.js';
import { logReaderFailure, logReaderRetry } from './log-reader-events.js';
import type { CliMetrics } from './metrics.js';
import type { ListProgress } from './progress.js';

/**
 * Turns reader events into metrics, progress and log lines: each kind that fails for good at
 * error level, with its resource, verb, namespace, user and cause; each retry at warn level,
 * or at info for a quiet watch watched again; synced kinds and watch restarts at debug level.
 * These are the only lines about them: `readerLogger` lowers the readers' own to debug.
 */
export function recordReaderEvents(
  events$: Observable<ReaderEvent>,
  sinks: { readonly logger: Logger; readonly metrics: CliMetrics; readonly progress: ListProgress },
): Subscription {
  const { logger, metrics, progress } = sinks;
  return events$.subscribe((event) => {
    const kind = event.target.kind;
    const namespace = event.target.namespace;
    switch (event.type) {
      case 'list-started':
        metrics.relists.inc({ kind, reason: event.reason });
        break;
      case 'list-finished':
        logger.debug({ kind, namespace, objects: event.objects }, 'list finished');
        break;
      case 'watch-ended':
        metrics.watchRestarts.inc({ kind, reason: event.reason });
        logger.debug({ kind, namespace, reason: event.reason }, 'watch ended; restarting');
        break;
      case 'synced':
        logger.debug({ kind, namespace }, 'synced');
        break;
      case 'failed':
        // Logged here for every failure, whatever stage of the reader it came from (a
        // discovery error is not logged by the reader itself); a `failed` event is final.
        logReaderFailure(logger, event);
        metrics.readerFailures.inc({ kind });
        progress.settle(kind, 'failed');
        break;
      case 'retry':
        logReaderRetry(logger, event);
        break;
      case 'skipped':
        logger.warn({ kind, namespace, object: describeRef(event.error.ref) }, 'skipped');
        break;
      default:
        break;
    }
  });
}

/**
 * Turns pipeline diagnostics and counters into metrics: drops per processor and reason,
 * failed batches, and (at each scrape) redactions and batches out. A failed batch is also
 * logged, with its cause, once per processor and reason.
 */
export function recordDiagnostics(
  handle: TattlerHandle,
  metrics: CliMetrics,
  logger: Logger,
): Subscription {
  const logFailure = processorFailureLogger(logger);
  let seen = { redacted: 0, batchesOut: 0 };
  metrics.collectFrom(() => {
    const stats = handle.stats();
    metrics.redactedEntries.inc(stats.redaction.redacted - seen.redacted);
    metrics.batchesOut.inc(stats.batchesOut - seen.batchesOut);
    seen = { redacted: stats.redaction.redacted, batchesOut: stats.batchesOut };
  });
  return handle.diagnostics$.subscribe((diagnostic) => {
    if (diagnostic._tag === 'Dropped') {
      metrics.dropped.inc(
        { processor: diagnostic.processor, reason: diagnostic.reason },
        diagnostic.entries,
      );
    } else if (diagnostic._tag === 'ProcessorFailed' && diagnostic.phase === 'process') {
      logFailure(diagnostic);
      metrics.dropped.inc(
        { processor: diagnostic.processor, reason: 'failed' },
        diagnostic.entries,
      );
    }
  });
}

/** Wraps a processor to time each batch into the latency histogram and count outcomes. */
export function timeProcessor(processor: Processor, metrics: CliMetrics): Processor {
  const name = processor.name;
  return {
    name,
    async process(batch) {
      const end = metrics.latency.startTimer({ processor: name });
      try {
        await lastValueFrom(from(processor.process(batch)), { defaultValue: undefined });
        metrics.batches.inc({ processor: name, outcome: 'ok' });
      } catch (error) {
        metrics.batches.inc({ processor: name, outcome: 'failed' });
        throw error;
      } finally {
        end();
      }
    },
    ...(processor.close === undefined
      ? {}
      : { close: () => processor.close?.() ?? Promise.resolve() }),
  };
}
