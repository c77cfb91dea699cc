import { filter, firstValueFrom, map, scan, take, toArray, type Observable } from 'rxjs';
import { readKind, type InitialListMode, type ReaderSignal } from '../../lib/index.js';
import {
  fakePod,
  fakePodList,
  startFakeApiServer,
  watchError,
  type FakeAnswer,
  type FakeApiServer,
} from '../support/fake-apiserver.js';

// The real API server never sends an object without a name, so these tests script it.
const nameless = { metadata: { namespace: 'default', uid: 'uid-b', resourceVersion: '10' } };
const endOfList = {
  type: 'BOOKMARK',
  object: {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { resourceVersion: '10', annotations: { 'k8s.io/initial-events-end': 'true' } },
  },
};

/** The first list has pods a and b; after a 410, the relist has a and a b without a name. */
function relistWithNameless(mode: InitialListMode): (request: { verb: string }) => FakeAnswer {
  const listed = [
    [fakePod('a', '10'), fakePod('b', '10')],
    [fakePod('a', '10'), nameless],
  ];
  let lists = 0;
  let watches = 0;
  return (request) => {
    if (request.verb === 'list') {
      lists += 1;
      return { body: fakePodList('10', listed[Math.min(lists, 2) - 1] ?? []) };
    }
    watches += 1;
    if (mode === 'paginated') {
      return watches === 1 ? { lines: [watchError(410, 'Expired')] } : { lines: [], hold: true };
    }
    const items = (listed[Math.min(watches, 2) - 1] ?? []).map((object) => ({
      type: 'ADDED',
      object,
    }));
    return watches === 1
      ? { lines: [...items, endOfList, watchError(410, 'Expired')] }
      : { lines: [...items, endOfList], hold: true };
  };
}

/** Every signal up to the second `list-finished`. */
function untilRelisted(signals$: Observable<ReaderSignal>): Promise<ReaderSignal[]> {
  return firstValueFrom(
    signals$.pipe(
      scan((all: ReaderSignal[], signal) => [...all, signal], []),
      filter(
        (all) =>
          all.filter((s) => s.type === 'event' && s.event.type === 'list-finished').length === 2,
      ),
    ),
  );
}

describe('readKind relist', () => {
  let server: FakeApiServer | undefined;

  afterEach(async () => {
    await server?.close();
  });

  it.each<InitialListMode>(['paginated', 'streaming'])(
    'should not report an object it cannot decode as deleted (%s list)',
    async (mode) => {
      server = await startFakeApiServer(relistWithNameless(mode));
      const signals = await untilRelisted(
        readKind(server.kubeConfig, { resource: 'Pod' }, { initialList: mode }),
      );
      const entries = signals.flatMap((s) => (s.type === 'entry' ? [s.entry] : []));
      const events = signals.flatMap((s) => (s.type === 'event' ? [s.event] : []));
      expect(entries.map((e) => `${e.change} ${e.name}`)).toEqual(['snapshot a', 'snapshot b']);
      expect(events.filter((e) => e.type === 'skipped')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'list-finished').at(-1)).toMatchObject({
        objects: 1,
        emitted: 0,
        deleted: 0,
      });
    },
  );

  it.each<InitialListMode>(['paginated', 'streaming'])(
    'should relist periodically once per interval after the previous list ended (%s list)',
    async (mode) => {
      server = await startFakeApiServer((request) => {
        if (request.verb === 'list') return { body: fakePodList('10', [fakePod('a', '10')]) };
        if (mode === 'streaming') {
          return { lines: [{ type: 'ADDED', object: fakePod('a', '10') }, endOfList], hold: true };
        }
        return { lines: [], hold: true };
      });
      const intervalMs = 400;
      // A backoff this long would show in the gaps: a watch cut short by the relist is no failure.
      const backoff = { initialDelayMs: 10_000, maxDelayMs: 10_000, factor: 2, jitter: 0 };
      const started = await firstValueFrom(
        readKind(
          server.kubeConfig,
          { resource: 'Pod' },
          { initialList: mode, relistIntervalMs: intervalMs, backoff },
        ).pipe(
          filter((s) => s.type === 'event' && s.event.type === 'list-started'),
          map(() => Date.now()),
          take(3),
          toArray(),
        ),
      );
      const gaps = started.slice(1).map((at, index) => at - (started[index] ?? at));
      // Each relist starts an interval after the previous list ended, never straight after it.
      expect(gaps.every((gap) => gap >= intervalMs - 5 && gap < backoff.initialDelayMs)).toBe(true);
    },
  );

  it('should keep streaming after a 404 that comes once the kind was read', async () => {
    let watches = 0;
    server = await startFakeApiServer(() => {
      watches += 1;
      const initial = { lines: [{ type: 'ADDED', object: fakePod('a', '10') }, endOfList] };
      if (watches === 1) return { lines: [...initial.lines, watchError(410, 'Expired')] };
      if (watches === 2) return { status: 404, body: { kind: 'Status', code: 404 } };
      return { ...initial, hold: true };
    });
    const backoff = { initialDelayMs: 10, maxDelayMs: 10, factor: 2, jitter: 0 };
    const modes = await firstValueFrom(
      readKind(server.kubeConfig, { resource: 'Pod' }, { initialList: 'auto', backoff }).pipe(
        filter((s) => s.type === 'event' && s.event.type === 'list-started'),
        map((s) => (s.type === 'event' && s.event.type === 'list-started' ? s.event.mode : '')),
        take(3),
        toArray(),
      ),
    );
    expect(modes).toEqual(['streaming', 'streaming', 'streaming']);
    expect(server.requests.every((request) => request.verb === 'watch')).toBe(true);
  });
});
