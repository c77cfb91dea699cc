import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import {
  bookmarkKey,
  inMemoryBookmarkStore,
  readCluster,
  resourceFor,
} from '../../../lib/index.js';
import { either as E } from 'fp-ts';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { podManifest, record, type Recording } from './harness.js';

describe('readCluster resuming from a bookmark store', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let recording: Recording | undefined;

  beforeAll(() => {
    kc = kubeConfigFor(sharedCluster(), 'admin');
    core = kc.makeApiClient(CoreV1Api);
  }, 120_000);

  afterEach(() => recording?.stop());

  /** A store that also tells when a save has landed. */
  function watchedStore(initial: Record<string, string> = {}) {
    const inner = inMemoryBookmarkStore(initial);
    const saves: Array<() => void> = [];
    return {
      load: (key: string) => inner.load(key),
      save: async (key: string, resourceVersion: string) => {
        await inner.save(key, resourceVersion);
        for (const notify of saves.splice(0)) notify();
      },
      entries: () => inner.entries(),
      nextSave: () => new Promise<void>((resolve) => saves.push(resolve)),
    };
  }

  const keyFor = (namespace: string): string => {
    const pods = resourceFor('Pod');
    if (E.isLeft(pods)) throw pods.left;
    return bookmarkKey(pods.right, { namespace });
  };

  it('should watch from the stored resourceVersion instead of listing again', async () => {
    const namespace = await createTestNamespace(kc, 'resume');
    await core.createNamespacedPod({ namespace, body: podManifest('before') });
    const store = watchedStore();
    const firstSave = store.nextSave();
    const options = { kinds: [{ resource: 'Pod', namespaces: [namespace] }], bookmarkStore: store };

    const first = record(readCluster(kc, options));
    recording = first;
    await first.waitFor(() => first.syncs.some((s) => s.all), 'the first reader to sync');
    await firstSave;
    first.stop();
    const saved = store.entries()[keyFor(namespace)];
    expect(saved).toBeDefined();

    await core.createNamespacedPod({ namespace, body: podManifest('while-away') });
    const second = record(readCluster(kc, options));
    recording = second;
    await second.waitFor(() => second.entries.some((e) => e.name === 'while-away'), 'while-away');
    await second.waitFor(() => second.syncs.some((s) => s.all), 'the second reader to sync');

    expect(second.events.some((e) => e.type === 'list-started')).toBe(false);
    expect(second.events.find((e) => e.type === 'watch-started')).toMatchObject({
      resourceVersion: saved,
    });
    expect(second.entries.map((e) => `${e.change} ${e.name}`)).toEqual(['added while-away']);
  }, 120_000);

  it("should relist when the stored resourceVersion is ahead of the server's", async () => {
    const namespace = await createTestNamespace(kc, 'ahead');
    await core.createNamespacedPod({ namespace, body: podManifest('present') });
    // A bookmark of another cluster, or of an etcd since restored from a backup.
    const store = watchedStore({ [keyFor(namespace)]: '999999999' });
    const r = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        bookmarkStore: store,
        // Longer than the 3 s the server waits to reach a resourceVersion before it answers 504.
        idleTimeoutMs: 10_000,
      }),
    );
    recording = r;
    await r.waitFor(
      () => r.events.some((e) => e.type === 'list-started' || e.type === 'retry'),
      'the reader to list or retry',
    );
    expect(r.events.filter((e) => e.type === 'retry')).toEqual([]);
    expect(r.events.find((e) => e.type === 'list-started')).toMatchObject({
      reason: 'resume-expired',
    });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    expect(r.entries.map((e) => `${e.change} ${e.name}`)).toEqual(['snapshot present']);

    await core.createNamespacedPod({ namespace, body: podManifest('new') });
    await r.waitFor(() => r.entries.some((e) => e.name === 'new'), 'the new pod');
    expect(Number(store.entries()[keyFor(namespace)])).toBeLessThan(999999999);
  }, 120_000);
});
