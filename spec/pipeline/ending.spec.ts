import { NEVER } from 'rxjs';
import type { Processor } from '../../lib/index.js';
import { fakeProcessor, recordingLogger } from './fakes.js';
import { runPipeline } from './run-pipeline.js';

describe('tattler: how a pipeline ends', () => {
  it('should emit the pending batch on stop, then close every processor once', async () => {
    const audit = fakeProcessor('audit');
    const { handle } = runPipeline(
      '-a-b-a------',
      { processors: [audit], batch: { timeSpan: 100, maxSize: 10 } },
      { marbles: '------s' },
    );
    const end = await handle.done;
    expect(audit.uids).toEqual([['a', 'b']]);
    expect(audit.closed).toBe(1);
    expect(end.reason).toBe('stopped');
    expect(end.stats).toMatchObject({ entriesIn: 3, batchesOut: 1, entriesOut: 2 });
    expect(end.stats.processors['audit']).toMatchObject({ delivered: 1, state: 'closed' });
    await expect(handle.stop()).resolves.toBe(end);
  });

  it('should deliver the pending batch, drain and close when a reader fails', async () => {
    const audit = fakeProcessor('audit', { frames: 3 });
    const { handle, diagnostics } = runPipeline('-ab-#', {
      processors: [audit],
      batch: { timeSpan: 100, maxSize: 10 },
    });
    const end = await handle.done;
    expect(end).toMatchObject({ reason: 'errored', error: new Error('reader failed') });
    expect(audit.uids).toEqual([['a', 'b']]);
    expect(end.stats.processors['audit']).toMatchObject({ delivered: 1, state: 'closed' });
    expect(diagnostics).toContainEqual({
      _tag: 'PipelineFailed',
      error: new Error('reader failed'),
    });
  });

  it('should report a close() that rejects and still end', async () => {
    const broken = {
      ...fakeProcessor('broken'),
      close: () => Promise.reject(new Error('disk full')),
    };
    const { handle, diagnostics } = runPipeline('-a|', {
      processors: [broken],
      batch: { timeSpan: 10, maxSize: 10 },
    });
    const end = await handle.done;
    expect(end.stats.processors['broken']).toMatchObject({ delivered: 1, state: 'closed' });
    const tags = diagnostics.map((d) =>
      d._tag === 'ProcessorFailed' ? `${d._tag}:${d.phase}` : d._tag,
    );
    expect(tags).toEqual(['ProcessorFailed:close', 'ProcessorClosed', 'Summary']);
  });

  it('should drop waiting batches and close when stop misses its deadline', async () => {
    const slow = fakeProcessor('slow', { frames: 20 });
    const { handle, diagnostics } = runPipeline(
      '-abc-----------',
      { processors: [{ processor: slow, capacity: 5 }], batch: { timeSpan: 100, maxSize: 1 } },
      { marbles: '-----s', deadline: 5 },
    );
    const end = await handle.done;
    expect(end.reason).toBe('stopped');
    expect(slow.uids).toEqual([['a']]);
    expect(slow.closed).toBe(1);
    expect(end.stats.processors['slow']).toMatchObject({
      received: 3,
      delivered: 0,
      dropped: { batches: 3, entries: 3 },
      pending: 0,
    });
    const reasons = diagnostics.flatMap((d) => (d._tag === 'Dropped' ? [d.reason] : []));
    expect(reasons).toEqual(['unsubscribed', 'unsubscribed', 'unsubscribed']);
  });

  it('should drop the batch in flight and the waiting ones when stop misses its deadline', async () => {
    const logger = recordingLogger();
    const stuck: Processor = {
      name: 'stuck',
      process: () => NEVER,
      close: async () => logger.warn({}, 'stuck: batch abandoned on close'),
    };
    const { handle, diagnostics } = runPipeline(
      '-abc-----------',
      {
        processors: [{ processor: stuck, capacity: 5 }],
        batch: { timeSpan: 100, maxSize: 1 },
        logger,
      },
      { marbles: '-----s', deadline: 5 },
    );
    const end = await handle.done;
    const counts = { received: 3, delivered: 0, dropped: { batches: 3, entries: 3 }, pending: 0 };
    expect(end.stats.processors['stuck']).toMatchObject({ state: 'closed', ...counts });
    const drops = diagnostics.flatMap((d) => (d._tag === 'Dropped' ? [d] : []));
    expect(drops.map((d) => [d.reason, d.totals])).toEqual([
      ['unsubscribed', { batches: 1, entries: 1 }],
      ['unsubscribed', { batches: 2, entries: 2 }],
      ['unsubscribed', { batches: 3, entries: 3 }],
    ]);
    const tags = diagnostics.map((d) => d._tag);
    expect(tags.slice(-2)).toEqual(['ProcessorClosed', 'Summary']);
    const summary = diagnostics.at(-1);
    expect(summary?._tag === 'Summary' && summary.delta.processors).toEqual({
      stuck: {
        delivered: 0,
        failed: { batches: 0, entries: 0 },
        dropped: { batches: 3, entries: 3 },
      },
    });
    expect(summary?._tag === 'Summary' && summary.stats.processors['stuck']).toMatchObject(counts);
    const warnings = logger.calls.filter((call) => call.level === 'warn').map((c) => c.message);
    expect(warnings).toEqual([
      'stuck: batch abandoned on close',
      expect.stringMatching(/3 batches \(3 entries\) dropped/),
    ]);
  });
});
