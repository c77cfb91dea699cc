import type { KubeConfig } from '@kubernetes/client-node';
import { Subject, takeUntil, tap, type Subscription } from 'rxjs';
import type { TattlerConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { TattlerHandle } from '../pipeline/handle.js';
import { tattler } from '../pipeline/tattler.js';
import {
  readCluster,
  type ClusterReader,
  type ClusterReaderOptions,
} from '../readers/read-cluster.js';
import { buildProcessors } from './build-processors.js';
import type { CliMetrics } from './metrics.js';
import { recordDiagnostics, recordReaderEvents, timeProcessor } from './observe.js';
import { readerOptionsOf, stageOptionsOf } from './pipeline-options.js';
import { kindOf } from './kind-of.js';
import { ListProgress } from './progress.js';
import { followReadiness } from './readiness.js';
import { readerLogger } from './reader-logger.js';
import type { StatusLine } from './status-line.js';

/** Options of {@link runTattler}. */
export interface RunTattlerOptions {
  readonly config: TattlerConfig;
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly metrics: CliMetrics;
  /** Where the initial-list progress shows (on a terminal only); defaults to stderr's. */
  readonly statusLine?: StatusLine;
  /** How the cluster is read; `readCluster` by default (tests pass a stand-in). */
  readonly openReader?: (kubeConfig: KubeConfig, options: ClusterReaderOptions) => ClusterReader;
}

/**
 * How a run ended: `stopped` after {@link RunningTattler.stop}, `failed` when every kind
 * failed or a reader errored.
 */
export type RunOutcome = 'stopped' | 'failed';

/** A running `tattler` command, from {@link runTattler}. */
export interface RunningTattler {
  /** Whether every kind has delivered its initial state (or failed for good). */
  ready(): boolean;
  /**
   * Stops the readers, flushes the pending batch and gives processors `deadlineMs`; the
   * pipeline logs the `reason` (a signal's name) in its `tattler: stopping` line.
   */
  stop(deadlineMs: number, reason?: string): Promise<void>;
  /** Settles once the pipeline has ended and every processor is closed. */
  readonly done: Promise<RunOutcome>;
  readonly handle: TattlerHandle;
}

/**
 * Wires the command: reads the configured kinds from the cluster, runs them through the
 * pipeline (redaction, field dropping, batching) to the configured processors, and records
 * metrics and progress on the way.
 *
 * Nothing is read from the cluster until the whole pipeline is built: when building it throws,
 * no reader is left running and the processors built so far are closed.
 *
 * @throws TattlerError `ConfigError` when a kind cannot be resolved to a resource, or a
 *   processor's files cannot be read.
 */
export function runTattler(options: RunTattlerOptions): RunningTattler {
  const { config, kubeConfig, logger, metrics } = options;
  const processors = buildProcessors(config.processors, logger).map((processor, index) => ({
    processor: timeProcessor(processor, metrics),
    capacity: config.processors[index]?.buffer.capacity,
    overflow: config.processors[index]?.buffer.overflow,
  }));
  // The readers' failure and retry lines go to debug: recordReaderEvents logs those events.
  const reader = (options.openReader ?? readCluster)(
    kubeConfig,
    readerOptionsOf(config, readerLogger(logger)),
  );

  // Entries and sync state name the kind (`Pod`), not what the config wrote (`pods`, `po`).
  const progress = new ListProgress(
    [...new Set(config.kinds.map((kind) => kindOf(kind.kind)))],
    options.statusLine,
  );
  // Ends the reading if building the pipeline fails after it subscribed to the entries.
  const abandon$ = new Subject<void>();
  const entries$ = reader.entries$.pipe(
    takeUntil(abandon$),
    tap((entry) => {
      metrics.entries.inc({ kind: entry.kind, change: entry.change });
      progress.entry(entry.kind);
    }),
  );
  let handle: TattlerHandle;
  try {
    handle = tattler({ readers: [entries$], processors, ...stageOptionsOf(config), logger });
  } catch (error) {
    abandon$.next();
    for (const { processor } of processors) void processor.close?.();
    throw error;
  }

  // Subscribed in the same synchronous block as tattler()'s subscription to the entries, so
  // they see the reader's first events, and only once the pipeline exists: a failure to build
  // it leaves nothing running.
  const readiness = followReadiness(reader, { logger, metrics, progress });
  const readerWatch: Subscription[] = [
    recordReaderEvents(reader.events$, { logger, metrics, progress }),
    readiness.subscription,
  ];
  // Kept until the end: drops and failures while the buffers drain at shutdown count too.
  const diagnostics = recordDiagnostics(handle, metrics, logger);
  const unwatchReader = (): void => {
    for (const subscription of readerWatch) subscription.unsubscribe();
    progress.finish();
  };

  let stopping = false;
  const done = handle.done.then((end): RunOutcome => {
    unwatchReader();
    diagnostics.unsubscribe();
    if (end.reason === 'stopped') return 'stopped';
    logger.error(
      { reason: end.reason, error: end.error === undefined ? undefined : String(end.error) },
      end.reason === 'completed'
        ? 'every kind failed; nothing left to watch (see the errors above)'
        : 'the pipeline failed',
    );
    return 'failed';
  });
  return {
    ready: () => readiness.ready(),
    handle,
    done,
    async stop(deadlineMs: number, reason?: string): Promise<void> {
      if (stopping) return;
      stopping = true;
      unwatchReader();
      await handle.stop({ deadline: deadlineMs, ...(reason === undefined ? {} : { reason }) });
    },
  };
}
