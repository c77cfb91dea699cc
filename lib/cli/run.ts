import type { KubeConfig } from '@kubernetes/client-node';
import { tap, type Subscription } from 'rxjs';
import type { TattlerConfig } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { TattlerHandle } from '../pipeline/handle.js';
import { tattler } from '../pipeline/tattler.js';
import { readCluster } from '../readers/read-cluster.js';
import type { KindSelection } from '../readers/reader-options.js';
import { buildProcessor } from './build-processors.js';
import { dropFields } from './drop-fields.js';
import type { CliMetrics } from './metrics.js';
import { recordDiagnostics, recordReaderEvents, timeProcessor } from './observe.js';
import { ListProgress } from './progress.js';
import type { StatusLine } from './status-line.js';

/** Options of {@link runTattler}. */
export interface RunTattlerOptions {
  readonly config: TattlerConfig;
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  readonly metrics: CliMetrics;
  /** Where the initial-list progress shows (on a terminal only); defaults to stderr's. */
  readonly statusLine?: StatusLine;
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
  /** Stops the readers, flushes the pending batch and gives processors `deadlineMs`. */
  stop(deadlineMs: number): Promise<void>;
  /** Settles once the pipeline has ended and every processor is closed. */
  readonly done: Promise<RunOutcome>;
  readonly handle: TattlerHandle;
}

/**
 * Wires the command: reads the configured kinds from the cluster, runs them through the
 * pipeline (redaction, field dropping, batching) to the configured processors, and records
 * metrics and progress on the way.
 *
 * @throws TattlerError `ConfigError` when a kind cannot be resolved to a resource, or a
 *   processor's files cannot be read.
 */
export function runTattler(options: RunTattlerOptions): RunningTattler {
  const { config, kubeConfig, logger, metrics } = options;
  const kinds: KindSelection[] = config.kinds.map((kind) => ({
    resource: kind.kind,
    ...(kind.namespaces === undefined ? {} : { namespaces: kind.namespaces }),
    ...(kind.selector === undefined ? {} : { labelSelector: kind.selector }),
    ...(kind.fieldSelector === undefined ? {} : { fieldSelector: kind.fieldSelector }),
    ...(kind.metadataOnly === undefined ? {} : { metadataOnly: kind.metadataOnly }),
  }));
  const processors = config.processors.map((processor) => ({
    processor: timeProcessor(buildProcessor(processor, logger), metrics),
    capacity: processor.buffer.capacity,
    overflow: processor.buffer.overflow,
  }));
  const reader = readCluster(kubeConfig, {
    kinds,
    initialList: config.reader.initialList,
    pageSize: config.reader.pageSize,
    logger,
    ...(config.reader.relistInterval === undefined
      ? {}
      : { relistIntervalMs: config.reader.relistInterval }),
  });

  const progress = new ListProgress(
    config.kinds.map((kind) => kind.kind),
    options.statusLine,
  );
  let ready = false;
  const watching: Subscription[] = [
    recordReaderEvents(reader.events$, { logger, metrics, progress }),
    reader.synced$.subscribe((state) => {
      for (const [kind, synced] of Object.entries(state.kinds)) {
        metrics.synced.set({ kind }, synced ? 1 : 0);
        if (synced) progress.settle(kind, 'synced');
      }
      if (state.all && !ready) {
        ready = true;
        progress.finish();
        // When every kind failed there is nothing to watch: the end of the run says so.
        if (Object.values(state.kinds).some(Boolean)) {
          logger.info({ kinds: state.kinds }, 'initial lists delivered; watching for changes');
        }
      }
    }),
  ];
  const entries$ = reader.entries$.pipe(
    tap((entry) => {
      metrics.entries.inc({ kind: entry.kind, change: entry.change });
      if (!ready) progress.entry(entry.kind);
    }),
  );

  const handle = tattler({
    readers: [entries$],
    processors,
    redact:
      config.redaction.envNames === undefined
        ? {}
        : { envNames: new RegExp(config.redaction.envNames, 'i') },
    preprocess:
      config.preprocess.dropFields.length === 0 ? [] : [dropFields(config.preprocess.dropFields)],
    batch: config.batch,
    logger,
  });
  watching.push(recordDiagnostics(handle, metrics, logger));
  const unwatch = (): void => {
    for (const subscription of watching) subscription.unsubscribe();
    progress.finish();
  };

  let stopping = false;
  const done = handle.done.then((end): RunOutcome => {
    unwatch();
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
    ready: () => ready,
    handle,
    done,
    async stop(deadlineMs: number): Promise<void> {
      if (stopping) return;
      stopping = true;
      unwatch();
      await handle.stop({ deadline: deadlineMs });
    },
  };
}
