import { fakeProcessor, recordingLogger } from './fakes.js';
import { runPipeline } from './run-pipeline.js';

describe('tattler: summaries', () => {
  it('should list every processor in the final summary, idle ones too', async () => {
    const { handle, diagnostics } = runPipeline(
      '-a----------',
      {
        processors: [fakeProcessor('audit'), fakeProcessor('mirror')],
        batch: { timeSpan: 100, maxSize: 1 },
        summaryInterval: 3,
      },
      { marbles: '--------s' },
    );
    await handle.done;
    const summaries = diagnostics.flatMap((d) => (d._tag === 'Summary' ? [d] : []));
    expect(summaries.map((s) => Object.keys(s.delta.processors))).toEqual([
      ['audit', 'mirror'],
      [],
      ['audit', 'mirror'],
    ]);
    expect(summaries[2]?.delta.processors['audit']).toEqual({
      delivered: 0,
      failed: { batches: 0, entries: 0 },
      dropped: { batches: 0, entries: 0 },
    });
  });

  it('should log one summary per interval, not one line per drop', async () => {
    const logger = recordingLogger();
    const slow = fakeProcessor('slow', { frames: 30 });
    const { handle, diagnostics } = runPipeline('-abcdef---------------|', {
      processors: [{ processor: slow, capacity: 0, overflow: 'drop-newest' }],
      batch: { timeSpan: 100, maxSize: 1 },
      summaryInterval: 10,
      logger,
    });
    await handle.done;
    const summaries = diagnostics.flatMap((d) => (d._tag === 'Summary' ? [d] : []));
    expect(summaries.map((s) => s.intervalMs)).toEqual([10, 10, 10, 1]);
    expect(summaries[0]?.delta).toEqual({
      entriesIn: 6,
      batchesOut: 6,
      entriesFailed: 0,
      processors: {
        slow: {
          delivered: 0,
          failed: { batches: 0, entries: 0 },
          dropped: { batches: 5, entries: 5 },
        },
      },
    });
    const warnings = logger.calls.filter((call) => call.level === 'warn');
    expect(warnings.map((call) => call.message)).toEqual([
      'tattler: 6 entries in, 6 batches out in the last 10 ms; ' +
        '5 batches (5 entries) dropped by a full queue or at the deadline',
    ]);
  });

  it('should count the batches and entries that failed in their processor apart from the dropped', async () => {
    const logger = recordingLogger();
    const down = fakeProcessor('webhook', { failOn: () => true });
    const { handle, diagnostics } = runPipeline('-ab-c---|', {
      processors: [down],
      batch: { timeSpan: 2, maxSize: 100 },
      summaryInterval: 100,
      logger,
    });
    await handle.done;

    const summary = diagnostics.findLast((d) => d._tag === 'Summary');
    expect(summary?._tag === 'Summary' && summary.delta.processors).toEqual({
      webhook: {
        delivered: 0,
        failed: { batches: 2, entries: 3 },
        dropped: { batches: 0, entries: 0 },
      },
    });
    expect(summary?._tag === 'Summary' && summary.stats.processors['webhook']).toMatchObject({
      failures: 2,
      failedEntries: 3,
    });
    const warnings = logger.calls.filter((call) => call.level === 'warn');
    expect(warnings.map((call) => call.message)).toEqual([
      'tattler: 3 entries in, 2 batches out in the last 8 ms; ' +
        '2 batches (3 entries) failed in their processor (after any retries of its own)',
    ]);
  });

  it('should say 1 entry and 1 batch, not 1 entries and 1 batches', async () => {
    const logger = recordingLogger();
    const down = fakeProcessor('webhook', { failOn: () => true });
    const { handle } = runPipeline('-a-|', {
      processors: [down],
      batch: { timeSpan: 1, maxSize: 100 },
      summaryInterval: 100,
      logger,
    });
    await handle.done;

    const messages = logger.calls.map((call) => call.message ?? '');
    expect(messages).toContain(
      'tattler: 1 entry in, 1 batch out in the last 3 ms; ' +
        '1 batch (1 entry) failed in their processor (after any retries of its own)',
    );
    expect(messages.join('\n')).not.toMatch(/\b1 (entries|batches)\b/);
  });

  it('should log one info line when nothing was lost', async () => {
    const logger = recordingLogger();
    const { handle } = runPipeline('-a-|', {
      processors: [fakeProcessor('audit')],
      batch: { timeSpan: 1, maxSize: 100 },
      summaryInterval: 100,
      logger,
    });
    await handle.done;

    const summaries = logger.calls.filter((call) => /entr(y|ies) in/.test(call.message ?? ''));
    expect(summaries.map((call) => [call.level, call.message])).toEqual([
      ['info', 'tattler: 1 entry in, 1 batch out in the last 3 ms'],
    ]);
  });
});

describe('tattler: stopping', () => {
  it('should log one stopping line, with the reason and the deadline, however often stop is called', async () => {
    const logger = recordingLogger();
    const { handle } = runPipeline(
      '-a------',
      { processors: [fakeProcessor('audit')], batch: { timeSpan: 1, maxSize: 100 }, logger },
      { marbles: '---s-s', deadline: 1000, reason: 'SIGTERM' },
    );
    await handle.done;

    const stopping = logger.calls.filter((call) => /stopping/.test(call.message ?? ''));
    expect(stopping).toEqual([
      {
        level: 'info',
        message: 'tattler: stopping',
        fields: { reason: 'SIGTERM', deadlineMs: 1000 },
      },
    ]);
  });
});
