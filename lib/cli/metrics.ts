import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of the `tattler` command, in a registry of their own.
 *
 * Names start with `tattler_`; docs/cli.md lists them. Labels hold kinds, changes, processor
 * names and reasons only, never object names, so the number of series stays small.
 */
export class CliMetrics {
  readonly registry = new Registry();

  /** Entries read from the cluster, by kind and change. */
  readonly entries = new Counter({
    name: 'tattler_entries_total',
    help: 'Entries read from the cluster, by kind and change.',
    labelNames: ['kind', 'change'] as const,
    registers: [this.registry],
  });

  private readonly collectors: (() => void)[] = [];
  private readonly collect = (): void => {
    for (const collector of this.collectors) collector();
  };

  /** Entries in which redaction replaced at least one value. */
  readonly redactedEntries = new Counter({
    name: 'tattler_redacted_entries_total',
    help: 'Entries in which redaction replaced at least one value with REDACTED.',
    registers: [this.registry],
    collect: this.collect,
  });

  /** Batches that batching emitted, before they fan out to the processors. */
  readonly batchesOut = new Counter({
    name: 'tattler_batches_out_total',
    help: 'Batches emitted by batching, before they fan out to the processors.',
    registers: [this.registry],
    collect: this.collect,
  });

  /** Batches a processor finished, by processor and outcome (`ok` or `failed`). */
  readonly batches = new Counter({
    name: 'tattler_batches_total',
    help: 'Batches handed to a processor, by processor and outcome (ok, failed).',
    labelNames: ['processor', 'outcome'] as const,
    registers: [this.registry],
  });

  /** Entries a processor did not get or did not deliver, by processor and reason. */
  readonly dropped = new Counter({
    name: 'tattler_dropped_entries_total',
    help: 'Entries dropped, by processor and reason (overflow, failed, unsubscribed).',
    labelNames: ['processor', 'reason'] as const,
    registers: [this.registry],
  });

  /** How long a processor took for one batch. */
  readonly latency = new Histogram({
    name: 'tattler_processor_duration_seconds',
    help: 'Time a processor took for one batch, by processor.',
    labelNames: ['processor'] as const,
    buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 1, 2.5, 10, 30],
    registers: [this.registry],
  });

  /** Watches that ended and were started again, by kind and reason. */
  readonly watchRestarts = new Counter({
    name: 'tattler_watch_restarts_total',
    help: 'Watches that ended and were started again, by kind and reason.',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  /** Lists and relists, by kind and reason (initial, gone, periodic, resume-expired). */
  readonly relists = new Counter({
    name: 'tattler_lists_total',
    help: 'Lists of a kind, by kind and reason (initial, gone, periodic, resume-expired).',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  /** Reader failures that stopped a kind for good (access denied, unknown resource). */
  readonly readerFailures = new Counter({
    name: 'tattler_reader_failures_total',
    help: 'Readers stopped for good, by kind (access denied, unknown resource, bad selector).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /** 1 once a kind's initial state has been delivered. */
  readonly synced = new Gauge({
    name: 'tattler_synced',
    help: '1 once the initial list of a kind has been delivered, else 0.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  /**
   * Runs `collector` before each scrape, to bring counters kept elsewhere up to date; it
   * may run more than once per scrape, so it must add only what is new.
   */
  collectFrom(collector: () => void): void {
    this.collectors.push(collector);
  }

  constructor(options: { readonly processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'tattler_' });
    }
  }
}
