import { NEVER, Subject, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  tattler,
  type Diagnostic,
  type Entry,
  type Processor,
  type TattlerHandle,
  type TattlerOptions,
} from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { fakeProcessor, recordingLogger } from './fakes.js';

const entries: Record<string, Entry> = {
  a: makeEntry('a'),
  b: makeEntry('b'),
  c: makeEntry('c'),
  d: makeEntry('d'),
  e: makeEntry('e'),
  f: makeEntry('f'),
};

function newScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/**
 * Runs a pipeline in virtual time: `marbles` feeds one in-memory reader, `s` in `stop` calls
 * `stop()`. Answers the handle and every diagnostic.
 */
function runPipeline(
  marbles: string,
  options: Omit<TattlerOptions, 'readers' | 'scheduler'>,
  stop?: { marbles: string; deadline?: number },
): { handle: TattlerHandle; diagnostics: Diagnostic[] } {
  const scheduler = newScheduler();
  const diagnostics: Diagnostic[] = [];
  let handle: TattlerHandle | undefined;
  scheduler.run(({ hot }) => {
    const reader = new Subject<Entry>();
    handle = tattler({ ...options, readers: [reader], scheduler });
    handle.diagnostics$.subscribe((diagnostic) => diagnostics.push(diagnostic));
    hot(marbles, entries, new Error('reader failed')).subscribe(reader);
    if (stop !== undefined) {
      hot(stop.marbles).subscribe(() => void handle?.stop({ deadline: stop.deadline }));
    }
  });
  return { handle: handle as TattlerHandle, diagnostics };
}

describe('tattler', () => {
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

  it('should deliver to a processor added later only the batches after it', async () => {
    const scheduler = newScheduler();
    const late = fakeProcessor('late');
    let handle: TattlerHandle | undefined;
    scheduler.run(({ hot }) => {
      const reader = new Subject<Entry>();
      handle = tattler({
        readers: [reader],
        processors: [fakeProcessor('early')],
        batch: { timeSpan: 100, maxSize: 1 },
        scheduler,
      });
      hot('-a-b-c-|', entries).subscribe(reader);
      hot('----x').subscribe(() => handle?.addProcessor(late));
    });
    const end = await (handle as TattlerHandle).done;
    expect(late.uids).toEqual([['c']]);
    expect(late.closed).toBe(1);
    expect(end.stats.processors['early']?.delivered).toBe(3);
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
      stuck: { delivered: 0, failures: 0, dropped: { batches: 3, entries: 3 } },
    });
    expect(summary?._tag === 'Summary' && summary.stats.processors['stuck']).toMatchObject(counts);
    const warnings = logger.calls.filter((call) => call.level === 'warn').map((c) => c.message);
    expect(warnings).toEqual([
      'stuck: batch abandoned on close',
      expect.stringMatching(/3 batches \(3 entries\) dropped/),
    ]);
  });

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

  it('should redact and preprocess before batching', async () => {
    const audit = fakeProcessor('audit');
    const secret = { ...makeEntry('s', '1', 'added', 'Secret') };
    const node = makeEntry('n', '1', 'added', 'Node');
    const seen: Entry[] = [];
    const scheduler = newScheduler();
    let handle: TattlerHandle | undefined;
    scheduler.run(({ hot }) => {
      const reader = new Subject<Entry>();
      handle = tattler({
        readers: [reader],
        processors: [
          { name: 'spy', process: (batch) => (seen.push(...batch.entries), of(undefined)) },
          audit,
        ],
        preprocess: (entry) => (entry.kind === 'Node' ? null : entry),
        batch: { timeSpan: 5, maxSize: 10 },
        scheduler,
      });
      const withData = {
        ...secret,
        object: { ...secret.object, data: { password: 'aHVudGVyMg==' } },
      };
      hot('-sn|', { s: withData, n: node }).subscribe(reader);
    });
    const end = await (handle as TattlerHandle).done;
    expect(seen.map((entry) => entry.uid)).toEqual(['s']);
    expect(seen[0]?.object).not.toHaveProperty('data');
    expect(end.stats).toMatchObject({
      entriesIn: 2,
      entriesBatched: 1,
      redaction: { redacted: 1, failed: 0 },
      preprocess: { filtered: 1, failed: 0 },
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

  it('should refuse two processors with the same name and invalid batching', () => {
    const base = { readers: [], batch: { timeSpan: 10, maxSize: 10 } };
    expect(() =>
      tattler({ ...base, processors: [fakeProcessor('x'), fakeProcessor('x')] }),
    ).toThrow(
      expect.objectContaining({ _tag: 'ConfigError', message: expect.stringMatching(/"x"/) }),
    );
    expect(() => tattler({ ...base, processors: [], batch: { timeSpan: 0, maxSize: 1 } })).toThrow(
      /timeSpan/,
    );
    expect(() => tattler({ ...base, processors: [], summaryInterval: -1 })).toThrow(
      /summaryInterval must be/,
    );
  });
});

describe('tattler (real timers)', () => {
  it('should run Promise processors and settle done when the readers complete', async () => {
    const got: string[] = [];
    const handle = tattler({
      readers: [new Subject<Entry>(), of(entries['a'] as Entry, entries['b'] as Entry)],
      processors: [
        {
          name: 'async',
          process: async (batch) => {
            await Promise.resolve();
            got.push(...batch.entries.map((entry) => entry.uid));
          },
        },
      ],
      batch: { timeSpan: 60_000, maxSize: 1 },
    });
    const stopped = handle.stop();
    const end = await handle.done;
    expect(await stopped).toBe(end);
    expect(end.reason).toBe('stopped');
    expect(got).toEqual(['a', 'b']);
  });
});
