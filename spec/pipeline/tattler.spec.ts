import { Subject, of } from 'rxjs';
import { tattler, type Entry, type TattlerHandle } from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { fakeProcessor } from './fakes.js';
import { entries, newScheduler } from './run-pipeline.js';

describe('tattler', () => {
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
