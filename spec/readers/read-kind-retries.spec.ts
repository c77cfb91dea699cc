import { VirtualTimeScheduler, type Subscription } from 'rxjs';
import { readKind, type BackoffPolicy, type ReaderSignal } from '../../lib/index.js';
import {
  fakePod,
  fakePodList,
  startFakeApiServer,
  watchError,
  type FakeAnswer,
  type FakeApiServer,
} from '../support/fake-apiserver.js';
import { advance } from '../support/virtual-time.js';

// The real API server cannot be made to fail every watch on demand, so these tests script
// its answers; the backoff timers run on virtual time, so nothing here waits for real.
const policy: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 10_000, factor: 2, jitter: 0 };

const added = (name: string, rv: string): object => ({
  type: 'ADDED',
  object: fakePod(name, rv),
});
const bookmark = (rv: string): object => ({
  type: 'BOOKMARK',
  object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: rv } },
});

/** Answers lists with one pod, and the n-th watch with `watches[n]`, or holds it open. */
function scripted(
  watches: readonly (readonly unknown[])[],
): (request: { verb: string }) => FakeAnswer {
  let watch = 0;
  return (request) => {
    if (request.verb === 'list') return { body: fakePodList('10', [fakePod('a', '10')]) };
    const lines = watches[watch];
    watch += 1;
    return lines === undefined ? { lines: [], hold: true } : { lines };
  };
}

describe('readKind retries', () => {
  let server: FakeApiServer | undefined;
  let subscription: Subscription | undefined;
  let scheduler: VirtualTimeScheduler;
  let signals: ReaderSignal[];
  let waiters: Array<() => void>;

  beforeEach(() => {
    scheduler = new VirtualTimeScheduler();
    signals = [];
    waiters = [];
  });

  afterEach(async () => {
    subscription?.unsubscribe();
    await server?.close();
  });

  async function read(watches: readonly (readonly unknown[])[]): Promise<FakeApiServer> {
    server = await startFakeApiServer(scripted(watches));
    subscription = readKind(
      server.kubeConfig,
      { resource: 'Pod' },
      { initialList: 'paginated', backoff: policy, scheduler, idleTimeoutMs: 600_000 },
    ).subscribe((signal) => {
      signals.push(signal);
      for (const waiter of waiters.splice(0)) waiter();
    });
    return server;
  }

  /**
   * Resolves once `predicate` holds on what was emitted; checked on every signal, after
   * running the timers due now (an immediate retry is a timer of 0 ms).
   */
  async function until(predicate: () => boolean): Promise<void> {
    for (;;) {
      advance(scheduler, 0);
      if (predicate()) return;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  const retries = (): Array<[number, number]> =>
    signals.flatMap((s) =>
      s.type === 'event' && s.event.type === 'retry' ? [[s.event.attempt, s.event.delayMs]] : [],
    ) as Array<[number, number]>;

  const count = (type: string): number =>
    signals.filter((s) => s.type === 'event' && s.event.type === type).length;

  /** Waits for the next retry, then lets its delay pass. */
  async function nextRetry(): Promise<void> {
    const before = retries().length;
    await until(() => retries().length > before);
    advance(scheduler, retries().at(-1)?.[1] ?? 0);
  }

  it('should grow the delay while accepted watches keep failing', async () => {
    const error = [watchError(500, 'InternalError')];
    await read([error, error, error]);
    for (let i = 0; i < 3; i += 1) await nextRetry();
    await until(() => count('watch-started') === 4);
    expect(retries()).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
    ]);
    expect(count('watch-started')).toBe(4);
  });

  it('should start over once a watch delivers an event or a bookmark', async () => {
    const error = watchError(500, 'InternalError');
    await read([[error], [error], [added('b', '11'), error], [error], [bookmark('12'), error]]);
    for (let i = 0; i < 5; i += 1) await nextRetry();
    expect(retries()).toEqual([
      [1, 100],
      [2, 200],
      [1, 100],
      [2, 200],
      [1, 100],
    ]);
  });

  it('should start over once a watch stayed open for a minute', async () => {
    const error = [watchError(500, 'InternalError')];
    const fake = await read([error, error]);
    await nextRetry();
    await nextRetry();
    await until(() => count('watch-started') === 3);
    advance(scheduler, 60_000);
    fake.send(watchError(500, 'InternalError'), true);
    await until(() => retries().length === 3);
    expect(retries()).toEqual([
      [1, 100],
      [2, 200],
      [1, 100],
    ]);
  });

  it('should relist at once after a 410, then back off while relists keep meeting 410', async () => {
    const gone = [watchError(410, 'Expired')];
    const fake = await read([gone, gone, gone, [added('b', '11'), watchError(410, 'Expired')]]);
    await until(() => retries().length === 1 || fake.requests.length > 8);
    expect(fake.requests.map((r) => r.verb)).toEqual(['list', 'watch', 'list', 'watch']);
    expect(retries()).toEqual([[2, 200]]);

    advance(scheduler, 200);
    await until(() => retries().length === 2 || fake.requests.length > 8);
    expect(retries()).toEqual([
      [2, 200],
      [3, 400],
    ]);
    advance(scheduler, 400);
    // The fourth watch delivers an event before its 410: the relist after it is at once.
    await until(() => count('watch-started') === 5 || retries().length > 2);
    expect(fake.requests.map((r) => r.verb)).toEqual([
      ...['list', 'watch', 'list', 'watch', 'list', 'watch', 'list', 'watch'],
      ...['list', 'watch'],
    ]);
    expect(retries()).toHaveLength(2);
  });

  it('should retry the lookup of a custom resource while discovery answers 5xx', async () => {
    let lookups = 0;
    server = await startFakeApiServer((request) => {
      if (request.path === '/apis/example.com/v1') {
        lookups += 1;
        if (lookups < 3) return { status: 503, body: { kind: 'Status', code: 503 } };
        const widgets = { name: 'widgets', kind: 'Widget', namespaced: true };
        return { body: { resources: [{ ...widgets, verbs: ['list', 'watch'] }] } };
      }
      if (request.verb === 'list') return { body: { metadata: { resourceVersion: '1' } } };
      return { lines: [], hold: true };
    });
    subscription = readKind(
      server.kubeConfig,
      { resource: 'example.com/v1/widgets' },
      { initialList: 'paginated', backoff: policy, scheduler },
    ).subscribe((signal) => {
      signals.push(signal);
      for (const waiter of waiters.splice(0)) waiter();
    });
    await nextRetry();
    await nextRetry();
    await until(() => count('synced') === 1 || count('failed') === 1);
    expect(retries()).toEqual([
      [1, 100],
      [2, 200],
    ]);
    expect(count('failed')).toBe(0);
  });
});
