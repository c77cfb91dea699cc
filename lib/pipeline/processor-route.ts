import { either as E } from 'fp-ts';
import { tap, type OperatorFunction } from 'rxjs';
import type { Batch } from '../entry/batch.js';
import { TattlerError } from '../entry/tattler-error.js';
import type { Logger } from '../logger.js';
import { boundedDrop, type ProcessFailure } from '../operators/bounded-drop.js';
import type { Processor } from '../processors/processor.js';
import type { Diagnostic } from './diagnostics.js';
import { DEFAULT_QUEUE, type ProcessorSpec } from './options.js';
import { counted } from './plural.js';
import type { ProcessorCounters } from './stats-recorder.js';

/** What a processor's route reports to. */
export interface RouteContext {
  readonly counters: ProcessorCounters;
  readonly report: (diagnostic: Diagnostic) => void;
  readonly logger: Logger;
}

/** A processor spec with the defaults filled in. */
export type ResolvedSpec = Required<ProcessorSpec>;

/** Fills in the queue defaults; throws a `ConfigError` for something that is no processor. */
export function resolveSpec(input: Processor | ProcessorSpec): ResolvedSpec {
  const spec: ProcessorSpec = 'processor' in input ? input : { processor: input };
  const { processor } = spec;
  if (typeof processor?.name !== 'string' || typeof processor.process !== 'function') {
    throw new TattlerError(
      'ConfigError',
      'tattler: a processor needs a string `name` and a `process(batch)` function; ' +
        'pass a Processor or { processor, capacity, overflow }.',
    );
  }
  return {
    processor,
    capacity: spec.capacity ?? DEFAULT_QUEUE.capacity,
    overflow: spec.overflow ?? DEFAULT_QUEUE.overflow,
  };
}

/**
 * The route of one processor: a bounded queue in front of `process`, counting what it
 * delivers, fails and drops, and reporting each failure and drop.
 */
export function processorRoute(
  spec: ResolvedSpec,
  context: RouteContext,
): OperatorFunction<Batch, unknown> {
  const { processor, capacity, overflow } = spec;
  const { counters, report } = context;
  const queue = boundedDrop<Batch>({
    capacity,
    overflow,
    process: (batch) => processor.process(batch),
    size: (batch) => batch.size,
    onDrop: ({ reason, value, totals }) => {
      counters.droppedBatches = totals.values;
      counters.droppedEntries = totals.size;
      report({
        _tag: 'Dropped',
        processor: processor.name,
        reason,
        entries: value.size,
        totals: { batches: totals.values, entries: totals.size },
      });
    },
  });
  const count = (outcome: E.Either<ProcessFailure<Batch>, Batch>): void => {
    if (E.isRight(outcome)) {
      counters.delivered += 1;
      counters.deliveredEntries += outcome.right.size;
      return;
    }
    counters.failures += 1;
    const { value, error } = outcome.left;
    counters.failedEntries += value.size;
    const what = `a batch of ${counted(value.size, 'entry', 'entries')}`;
    const failure = processorError(processor.name, what, error);
    context.logger.debug({ processor: processor.name, entries: value.size }, failure.message);
    report({
      _tag: 'ProcessorFailed',
      processor: processor.name,
      phase: 'process',
      entries: value.size,
      error: failure,
    });
  };
  return (batch$) =>
    batch$.pipe(
      tap(() => (counters.received += 1)),
      queue,
      tap(count),
    );
}

/** Calls `close()` once, reporting a failure; never rejects. */
export async function closeProcessor(processor: Processor, context: RouteContext): Promise<void> {
  try {
    await processor.close?.();
  } catch (error) {
    const failure = processorError(processor.name, 'close()', error);
    context.logger.warn({ processor: processor.name }, failure.message);
    context.report({
      _tag: 'ProcessorFailed',
      processor: processor.name,
      phase: 'close',
      entries: 0,
      error: failure,
    });
  }
  context.counters.state = 'closed';
  context.report({ _tag: 'ProcessorClosed', processor: processor.name });
}

function processorError(name: string, what: string, cause: unknown): TattlerError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new TattlerError(
    'ProcessorError',
    `processor "${name}" failed on ${what}: ${reason}. The pipeline goes on without retrying; ` +
      'check the processor and its destination.',
    { cause },
  );
}
