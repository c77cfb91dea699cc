import { VirtualTimeScheduler } from 'rxjs';
import {
  inMemoryBookmarkStore,
  throttleBookmarkStore,
  type BookmarkStore,
  type Logger,
} from '../../lib/index.js';

interface Write {
  readonly at: number;
  readonly key: string;
  readonly value: string;
}

/** A store that records when each save reached it, and can be told to fail. */
function recordingStore(scheduler: VirtualTimeScheduler) {
  const inner = inMemoryBookmarkStore();
  const writes: Write[] = [];
  let failing = false;
  const store: BookmarkStore = {
    load: (key) => inner.load(key),
    save: async (key, value) => {
      writes.push({ at: scheduler.now(), key, value });
      if (failing) throw new Error('disk full');
      await inner.save(key, value);
    },
  };
  return { store, inner, writes, fail: (on: boolean) => (failing = on) };
}

function warnings(): Logger & { count(): number } {
  let count = 0;
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    error: ignore,
    warn: () => void (count += 1),
    count: () => count,
  };
}

/** Runs `save`s at virtual times, then lets the scheduler run to the end. */
function at(scheduler: VirtualTimeScheduler, time: number, work: () => void): void {
  scheduler.schedule(work, time);
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('throttleBookmarkStore', () => {
  let scheduler: VirtualTimeScheduler;

  beforeEach(() => {
    scheduler = new VirtualTimeScheduler();
  });

  it('should write nothing when nothing is saved', async () => {
    const { store, writes } = recordingStore(scheduler);
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler });
    scheduler.flush();
    await throttled.flush();
    expect(writes).toEqual([]);
  });

  it('should write the newest value of each key at most once per interval', async () => {
    const { store, writes } = recordingStore(scheduler);
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler });
    at(scheduler, 10, () => void throttled.save('pods', '1'));
    at(scheduler, 20, () => void throttled.save('pods', '2'));
    at(scheduler, 50, () => void throttled.save('nodes', '3'));
    at(scheduler, 130, () => void throttled.save('pods', '4'));
    at(scheduler, 150, () => void throttled.save('pods', '5'));
    scheduler.flush();
    await settle();

    expect(writes).toEqual([
      { at: 110, key: 'pods', value: '2' },
      { at: 110, key: 'nodes', value: '3' },
      { at: 230, key: 'pods', value: '5' },
    ]);
  });

  it('should answer load with the pending value before it is written', async () => {
    const { store, inner } = recordingStore(scheduler);
    await inner.save('nodes', '1');
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler });
    await throttled.save('pods', '9');
    await expect(throttled.load('pods')).resolves.toBe('9');
    await expect(throttled.load('nodes')).resolves.toBe('1');
    await expect(inner.load('pods')).resolves.toBeUndefined();
  });

  it('should write everything pending on flush and cancel the timer', async () => {
    const { store, inner, writes } = recordingStore(scheduler);
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler });
    await throttled.save('pods', '1');
    await throttled.flush();
    expect(inner.entries()).toEqual({ pods: '1' });

    scheduler.flush();
    await settle();
    expect(writes).toHaveLength(1);
  });

  it('should keep failed bookmarks and retry them, logging each failure', async () => {
    const { store, inner, writes, fail } = recordingStore(scheduler);
    const logger = warnings();
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler, logger });
    fail(true);
    await throttled.save('pods', '1');
    scheduler.flush();
    await settle();
    expect(logger.count()).toBe(1);
    expect(writes).toEqual([{ at: 100, key: 'pods', value: '1' }]);

    fail(false);
    scheduler.flush();
    await settle();
    expect(writes.map((write) => write.at)).toEqual([100, 200]);
    expect(inner.entries()).toEqual({ pods: '1' });
  });

  it('should reject flush when the store fails, keeping the newer value', async () => {
    const { store, fail, inner } = recordingStore(scheduler);
    const throttled = throttleBookmarkStore(store, { intervalMs: 100, scheduler });
    fail(true);
    await throttled.save('pods', '1');
    await expect(throttled.flush()).rejects.toThrow('disk full');
    await throttled.save('pods', '2');

    fail(false);
    await throttled.flush();
    expect(inner.entries()).toEqual({ pods: '2' });
  });

  it('should refuse a negative interval at construction', () => {
    expect(() => throttleBookmarkStore(inMemoryBookmarkStore(), { intervalMs: -1 })).toThrow(
      'intervalMs',
    );
  });
});
