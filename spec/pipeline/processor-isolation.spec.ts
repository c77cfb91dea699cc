import { fakeProcessor } from './fakes.js';
import { runPipeline } from './run-pipeline.js';

describe('tattler: one processor at a time', () => {
  it('should let a slow processor drop only its own batches, and count them', async () => {
    const slow = fakeProcessor('slow', { frames: 10 });
    const fast = fakeProcessor('fast');
    const { handle, diagnostics } = runPipeline('-abcde|', {
      processors: [fast, { processor: slow, capacity: 1, overflow: 'drop-newest' }],
      batch: { timeSpan: 100, maxSize: 1 },
    });
    const end = await handle.done;
    expect(end.reason).toBe('completed');
    expect(fast.uids).toEqual([['a'], ['b'], ['c'], ['d'], ['e']]);
    expect(slow.uids).toEqual([['a'], ['b']]);
    expect(end.stats.processors['slow']).toEqual({
      name: 'slow',
      state: 'closed',
      received: 5,
      delivered: 2,
      deliveredEntries: 2,
      failures: 0,
      failedEntries: 0,
      dropped: { batches: 3, entries: 3 },
      pending: 0,
    });
    expect(end.stats.processors['fast']).toMatchObject({ delivered: 5, dropped: { batches: 0 } });
    const drops = diagnostics.filter((d) => d._tag === 'Dropped');
    expect(drops.map((d) => d.processor)).toEqual(['slow', 'slow', 'slow']);
  });

  it('should count a failing processor without touching the others', async () => {
    const flaky = fakeProcessor('flaky', { failOn: (batch) => batch.entries[0]?.uid === 'b' });
    const steady = fakeProcessor('steady');
    const { handle, diagnostics } = runPipeline('-a-b-c-|', {
      processors: [flaky, steady],
      batch: { timeSpan: 100, maxSize: 1 },
    });
    const end = await handle.done;
    expect(flaky.uids).toEqual([['a'], ['b'], ['c']]);
    expect(end.stats.processors['flaky']).toMatchObject({ delivered: 2, failures: 1 });
    expect(end.stats.processors['steady']).toMatchObject({ delivered: 3, failures: 0 });
    const failed = diagnostics.find((d) => d._tag === 'ProcessorFailed');
    expect(failed).toMatchObject({ processor: 'flaky', phase: 'process', entries: 1 });
    expect(failed?._tag === 'ProcessorFailed' && failed.error._tag).toBe('ProcessorError');
  });

  it('should make the counters add up', async () => {
    const slow = fakeProcessor('slow', { frames: 7 });
    const flaky = fakeProcessor('flaky', { failOn: (batch) => batch.size > 1 });
    const { handle } = runPipeline('-abaccdef--ab-|', {
      processors: [
        { processor: slow, capacity: 1, overflow: 'drop-oldest' },
        { processor: flaky, capacity: 0, overflow: 'drop-newest' },
      ],
      batch: { timeSpan: 2, maxSize: 3 },
    });
    const { stats } = await handle.done;
    expect(stats.entriesIn).toBe(10);
    expect(stats.entriesBatched).toBe(10);
    expect(stats.batchesOut).toBeGreaterThan(3);
    for (const processor of Object.values(stats.processors)) {
      const { received, delivered, failures, dropped, pending } = processor;
      expect(received).toBe(stats.batchesOut);
      expect(delivered + failures + dropped.batches + pending).toBe(received);
      expect(pending).toBe(0);
    }
  });
});
