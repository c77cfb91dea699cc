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
      failures: 0,
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
      processors: { slow: { delivered: 0, failures: 0, dropped: { batches: 5, entries: 5 } } },
    });
    const warnings = logger.calls.filter((call) => call.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/5 batches \(5 entries\) dropped/);
  });
});
