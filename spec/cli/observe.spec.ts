import { PassThrough } from 'node:stream';
import { Subject } from 'rxjs';
import { CliMetrics } from '../../lib/cli/metrics.js';
import { recordDiagnostics, recordReaderEvents, timeProcessor } from '../../lib/cli/observe.js';
import { ListProgress } from '../../lib/cli/progress.js';
import { StatusLine } from '../../lib/cli/status-line.js';
import {
  silentLogger,
  tattler,
  TattlerError,
  type Entry,
  type Processor,
  type ReaderEvent,
} from '../../lib/index.js';
import { makeEntry } from '../support/make-entry.js';
import { targetOf } from './fake-reader.js';
import { seriesOf, valueOf } from './metric-values.js';

/** A Pod entry whose container carries an env value, which redaction replaces. */
function podWithEnv(uid: string): Entry {
  const entry = makeEntry(uid, '1', 'added', 'Pod');
  return {
    ...entry,
    object: {
      ...entry.object,
      apiVersion: 'v1',
      kind: 'Pod',
      spec: { containers: [{ name: 'app', env: [{ name: 'PASSWORD', value: 'hunter2' }] }] },
    } as Entry['object'],
  };
}

/** Series in a fixed order, to compare sets whatever order the registry keeps them in. */
const sorted = <T extends { labels: object }>(series: readonly T[]): T[] =>
  [...series].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));

describe('recordReaderEvents', () => {
  it('should count lists, watch restarts and failures by kind and reason, and log failures', async () => {
    const metrics = new CliMetrics({ processMetrics: false });
    const events = new Subject<ReaderEvent>();
    const progress = new ListProgress(['Pod', 'Node'], new StatusLine(new PassThrough(), false));
    const errors: [object, string | undefined][] = [];
    const logger = {
      ...silentLogger,
      error: (fields: object, message?: string) => void errors.push([fields, message]),
    };
    const subscription = recordReaderEvents(events, { logger, metrics, progress });
    const pod = targetOf('Pod');

    events.next({ type: 'list-started', target: pod, reason: 'initial', mode: 'streaming' });
    events.next({ type: 'list-started', target: pod, reason: 'gone', mode: 'paginated' });
    events.next({ type: 'list-started', target: pod, reason: 'gone', mode: 'paginated' });
    events.next({ type: 'watch-ended', target: pod, reason: 'closed' });
    events.next({ type: 'watch-ended', target: pod, reason: 'error' });
    events.next({ type: 'watch-ended', target: pod, reason: 'error' });
    events.next({
      type: 'failed',
      target: targetOf('Node'),
      error: new TattlerError('AccessDeniedError', 'may not list v1/nodes'),
    });
    subscription.unsubscribe();

    expect(await seriesOf(metrics, 'tattler_lists_total')).toEqual([
      { labels: { kind: 'Pod', reason: 'initial' }, value: 1 },
      { labels: { kind: 'Pod', reason: 'gone' }, value: 2 },
    ]);
    expect(await seriesOf(metrics, 'tattler_watch_restarts_total')).toEqual([
      { labels: { kind: 'Pod', reason: 'closed' }, value: 1 },
      { labels: { kind: 'Pod', reason: 'error' }, value: 2 },
    ]);
    expect(await seriesOf(metrics, 'tattler_reader_failures_total')).toEqual([
      { labels: { kind: 'Node' }, value: 1 },
    ]);
    expect(errors).toEqual([
      [
        { kind: 'Node', resource: 'v1/nodes', namespace: undefined, tag: 'AccessDeniedError' },
        'stopped reading Node for good: may not list v1/nodes',
      ],
    ]);
  });
});

describe('recordDiagnostics and timeProcessor', () => {
  it('should count redactions, batches out, latency and drops by processor and reason', async () => {
    const metrics = new CliMetrics({ processMetrics: false });
    let release: () => void = () => undefined;
    const slow: Processor = {
      name: 'slow',
      process: () => new Promise<void>((resolve) => (release = resolve)),
    };
    const broken: Processor = {
      name: 'broken',
      process: () => Promise.reject(new Error('the receiver answered HTTP 503')),
    };
    const entries = new Subject<Entry>();
    const handle = tattler({
      readers: [entries],
      processors: [
        // No room to wait: a batch that comes while one is in flight is dropped (overflow).
        { processor: timeProcessor(slow, metrics), capacity: 0, overflow: 'drop-newest' },
        { processor: timeProcessor(broken, metrics), capacity: 4 },
      ],
      // Two entries per batch, so that entry counts and batch counts differ.
      batch: { timeSpan: 60_000, maxSize: 2 },
    });
    const subscription = recordDiagnostics(handle, metrics, silentLogger);

    entries.next(podWithEnv('a'));
    for (const uid of ['b', 'c', 'd', 'e', 'f']) entries.next(makeEntry(uid));
    // The batch still in flight at the deadline is dropped as unsubscribed.
    await handle.stop({ deadline: 1 });
    release();
    await handle.done;
    subscription.unsubscribe();

    expect(sorted(await seriesOf(metrics, 'tattler_dropped_entries_total'))).toEqual(
      sorted([
        { labels: { processor: 'slow', reason: 'overflow' }, value: 4 },
        { labels: { processor: 'broken', reason: 'failed' }, value: 6 },
        { labels: { processor: 'slow', reason: 'unsubscribed' }, value: 2 },
      ]),
    );
    // The slow batch counted as dropped still finished after the deadline (a Limitation).
    expect(sorted(await seriesOf(metrics, 'tattler_batches_total'))).toEqual(
      sorted([
        { labels: { processor: 'broken', outcome: 'failed' }, value: 3 },
        { labels: { processor: 'slow', outcome: 'ok' }, value: 1 },
      ]),
    );
    expect(
      await valueOf(metrics, 'tattler_processor_duration_seconds_count', { processor: 'slow' }),
    ).toBe(1);
    expect(
      await valueOf(metrics, 'tattler_processor_duration_seconds_count', {
        processor: 'broken',
      }),
    ).toBe(3);
    // Collected at each scrape, and not counted again by a second one.
    for (const scrape of [1, 2]) {
      expect([scrape, await valueOf(metrics, 'tattler_redacted_entries_total')]).toEqual([
        scrape,
        1,
      ]);
      expect([scrape, await valueOf(metrics, 'tattler_batches_out_total')]).toEqual([scrape, 3]);
    }
  });
});
