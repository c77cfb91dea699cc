import { Subject, asyncScheduler, finalize, interval, tap, type Subscription } from 'rxjs';
import { TattlerError } from '../entry/tattler-error.js';
import { silentLogger } from '../logger.js';
import { batchByUid } from '../operators/batch-by-uid.js';
import type { Processor } from '../processors/processor.js';
import { createRouter } from '../router/router.js';
import type { Diagnostic } from './diagnostics.js';
import { entryStream } from './entry-stream.js';
import type { PipelineEnd, StopOptions, TattlerHandle } from './handle.js';
import { DEFAULT_SUMMARY_INTERVAL, type ProcessorSpec, type TattlerOptions } from './options.js';
import {
  closeProcessor,
  processorRoute,
  resolveSpec,
  type RouteContext,
} from './processor-route.js';
import { PipelineEnding } from './ending.js';
import { StatsRecorder } from './stats-recorder.js';
import { SummaryReporter } from './summary.js';

/**
 * Runs the whole pipeline: readers, redaction, preprocessing, batching, and one bounded queue
 * per processor.
 *
 * It starts at once: the readers are subscribed before `tattler` returns. Every processor
 * gets every batch emitted after it was added, through its own queue, so a slow or failing
 * processor only drops or fails its own batches. The pipeline ends when every reader
 * completes, when a reader errors, or on `stop()`; in each case the pending batch is emitted,
 * the processors work through their queues, and each `close()` is called once, then `done`
 * settles. Drops, failures and per-interval summaries go to `diagnostics$` and the logger.
 *
 * ```text
 * readers ─ merge ─ redactSecrets ─ preprocess ─ batchByUid ─ router ─┬─ boundedDrop ─ processor A
 *                                                                     ├─ boundedDrop ─ processor B
 *                                                                     └─ boundedDrop ─ processor C
 * ```
 *
 * @param options - readers, processors, batching, and optionally redaction, preprocessing,
 *   logger, summary interval and scheduler.
 * @returns the handle to stop the pipeline, read its counters and add processors.
 * @throws TattlerError `ConfigError` for invalid batching or queue options, or two processors
 *   with the same name.
 * @example
 * ```ts
 * import { tattler } from 'tattler';
 *
 * const pipeline = tattler({
 *   readers: [pods$, nodes$],
 *   processors: [stdout, { processor: webhook, capacity: 100, overflow: 'drop-oldest' }],
 *   batch: { timeSpan: 1000, maxSize: 1000 },
 *   logger,
 * });
 * process.once('SIGTERM', () => void pipeline.stop({ deadline: 10_000 }));
 * const end = await pipeline.done;
 * ```
 *
 * Gotchas: `diagnostics$` is hot, and a reader that emits synchronously on subscription does
 * so before `tattler` returns, so diagnostics of those first entries are missed (`stats()`
 * still counts them). Redaction is on unless `redact: false`.
 */
export function tattler(options: TattlerOptions): TattlerHandle {
  const logger = options.logger ?? silentLogger;
  const scheduler = options.scheduler ?? asyncScheduler;
  const stats = new StatsRecorder();
  const diagnostics = new Subject<Diagnostic>();
  const report = (diagnostic: Diagnostic): void => diagnostics.next(diagnostic);
  const summary = new SummaryReporter(
    () => stats.snapshot(),
    report,
    logger,
    () => scheduler.now(),
  );
  const stop$ = new Subject<void>();
  let stopping = false;
  let timers: Subscription[] = [];
  let endedAt = 0;
  const ending = new PipelineEnding({
    ended: () => {
      timers.forEach((timer) => timer.unsubscribe());
      timers = [];
      endedAt = scheduler.now();
    },
    closed: (reason) => {
      summary.tick({ endedAt });
      logger.info({ reason }, `tattler: pipeline ended (${reason})`);
      diagnostics.complete();
      return stats.snapshot();
    },
  });

  const endWith = (reason: PipelineEnd['reason'], error?: unknown): void => {
    if (reason === 'errored') {
      logger.error(
        { error: messageOf(error) },
        'tattler: the pipeline failed; draining and closing',
      );
      report({ _tag: 'PipelineFailed', error });
    }
    ending.streamEnded(stopping && reason === 'completed' ? 'stopped' : reason, error);
  };

  const batch$ = entryStream(options, stats, report, stop$).pipe(
    batchByUid({ ...options.batch, scheduler }),
    tap({
      next: (batch) => {
        stats.batchesOut += 1;
        stats.entriesOut += batch.size;
      },
      complete: () => endWith('completed'),
      error: (error: unknown) => endWith('errored', error),
    }),
  );
  const router = createRouter(batch$);

  const addProcessor = (input: Processor | ProcessorSpec): void => {
    const spec = resolveSpec(input);
    const { name } = spec.processor;
    // Limitation: a processor added after the end is closed at once, and `done` does not wait
    // for that close.
    if (ending.isOver) {
      const context: RouteContext = { counters: stats.addProcessor(name), report, logger };
      context.counters.state = 'ended';
      void closeProcessor(spec.processor, context);
      return;
    }
    if (router.names().includes(name)) {
      throw new TattlerError(
        'ConfigError',
        `tattler: a processor named "${name}" is already running; give each its own name.`,
      );
    }
    const context: RouteContext = { counters: stats.addProcessor(name), report, logger };
    const route = processorRoute(spec, context);
    ending.routeStarted();
    router.register(name, (batch$) =>
      batch$.pipe(
        route,
        finalize(() => {
          context.counters.state = 'ended';
          ending.routeEnded(closeProcessor(spec.processor, context));
        }),
      ),
    );
  };

  // The earliest deadline any stop() call gave, as a time on the scheduler, and its timer.
  let deadlineAt = Infinity;
  let deadline: Subscription | undefined;
  const stop = (stopOptions: StopOptions = {}): Promise<PipelineEnd> => {
    if (ending.isOver) return ending.done;
    if (stopOptions.deadline !== undefined && scheduler.now() + stopOptions.deadline < deadlineAt) {
      deadlineAt = scheduler.now() + stopOptions.deadline;
      // Limitation: a Promise in flight when the deadline passes cannot be cancelled: its batch
      // counts as dropped, yet the processor may still be working on it (and even deliver it)
      // when its close() is called.
      deadline?.unsubscribe();
      deadline = scheduler.schedule(() => {
        router.stop();
        ending.streamEnded('stopped');
      }, stopOptions.deadline);
      timers.push(deadline);
    }
    if (stopping) return ending.done;
    stopping = true;
    const { reason, deadline: deadlineMs } = stopOptions;
    logger.info(
      {
        ...(reason === undefined ? {} : { reason }),
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
      },
      'tattler: stopping',
    );
    stop$.next();
    return ending.done;
  };

  const every = summaryIntervalOf(options);
  options.processors.forEach(addProcessor);
  if (every > 0) timers.push(interval(every, scheduler).subscribe(() => summary.tick()));
  router.start();
  return {
    stop,
    done: ending.done,
    diagnostics$: diagnostics.asObservable(),
    stats: () => stats.snapshot(),
    addProcessor,
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function summaryIntervalOf(options: TattlerOptions): number {
  const every = options.summaryInterval ?? DEFAULT_SUMMARY_INTERVAL;
  if (!(every >= 0 && every <= 2_147_483_647)) {
    throw new TattlerError(
      'ConfigError',
      `tattler: summaryInterval must be a number of milliseconds from 0 (off) to 2147483647 ` +
        `(got ${String(every)}); pass for example { summaryInterval: 60000 }.`,
    );
  }
  return every;
}
