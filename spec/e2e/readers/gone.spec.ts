import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { take } from 'rxjs';
import { either as E } from 'fp-ts';
import {
  bookmarkKey,
  inMemoryBookmarkStore,
  readCluster,
  resourceFor,
  type BackoffPolicy,
  type Entry,
} from '../../../lib/index.js';
import {
  createTestNamespace,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { applyEntries, listState, podManifest, record, type Recording } from './harness.js';

const fastBackoff: BackoffPolicy = { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 };

const describeEntry = (entry: Entry): string => `${entry.change} ${entry.name}`;

// The watch cache is off so that 410 Gone comes from etcd's compaction, at once.
describe('readCluster after 410 Gone', () => {
  let cluster: TestCluster;
  let proxy: TcpProxy;
  let admin: KubeConfig;
  let core: CoreV1Api;
  let recording: Recording | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ watchCache: false, etcdCompactionInterval: 0 });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    admin = kubeConfigFor(cluster, 'admin');
    core = admin.makeApiClient(CoreV1Api);
  }, 300_000);

  afterEach(() => recording?.stop());

  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
  }, 120_000);

  it('should relist after a compaction and emit what changed while away, deletions included', async () => {
    const namespace = await createTestNamespace(admin, 'gone');
    for (const name of ['keep-1', 'keep-2', 'change-me', 'delete-me']) {
      await core.createNamespacedPod({ namespace, body: podManifest(name) });
    }
    const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
    recording = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        backoff: fastBackoff,
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    expect(r.entries).toHaveLength(4);

    await proxy.refuse();
    proxy.cutAll();
    await r.waitFor(() => r.events.some((e) => e.type === 'retry'), 'the reader to lose its watch');
    await core.createNamespacedPod({ namespace, body: podManifest('new-1') });
    await core.patchNamespacedPod({
      namespace,
      name: 'change-me',
      body: [{ op: 'add', path: '/metadata/labels', value: { changed: 'yes' } }],
    });
    await core.deleteNamespacedPod({ namespace, name: 'delete-me', gracePeriodSeconds: 0 });
    await cluster.compact();
    await proxy.accept();

    await r.waitFor(
      () => r.events.filter((e) => e.type === 'list-finished').length >= 2,
      'the relist to finish',
    );
    const relist = r.events.find((e) => e.type === 'list-started' && e.reason === 'gone');
    expect(relist).toBeDefined();
    const afterRelist = r.entries.slice(4);
    expect(afterRelist.map(describeEntry).sort()).toEqual([
      'deleted delete-me',
      'snapshot change-me',
      'snapshot new-1',
    ]);
    const deleted = afterRelist.find((e) => e.change === 'deleted');
    expect(deleted).toMatchObject({ namespace, kind: 'Pod', source: 'apiserver.list' });
    expect(applyEntries(r.entries)).toEqual(await listState(admin, 'Pod', namespace));
  }, 120_000);

  it('should list again from the start when a continue token expires mid-list', async () => {
    const namespace = await createTestNamespace(admin, 'continue');
    for (let i = 0; i < 10; i += 1) {
      await core.createNamespacedPod({ namespace, body: podManifest(`p-${i}`) });
    }
    const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
    const reader = readCluster(kc, {
      kinds: [{ resource: 'Pod', namespaces: [namespace] }],
      initialList: 'paginated',
      pageSize: 2,
      backoff: fastBackoff,
    });
    // Hold the next page's request (sent right after the first page is emitted) until
    // etcd has compacted away the revision its continue token points at.
    const first = reader.entries$.pipe(take(1)).subscribe(() => proxy.stall());
    recording = record(reader);
    const r = recording;
    await r.waitFor(() => r.entries.length >= 1, 'the first page');
    await createTestNamespace(admin, 'bump'); // a write, so the compaction passes the token
    await cluster.compact();
    proxy.resume();
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    first.unsubscribe();

    const retried = r.events.find((e) => e.type === 'list-started' && e.reason === 'gone');
    expect(retried).toBeDefined();
    expect(r.entries.map((e) => e.name).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `p-${i}`).sort(),
    );
    expect(applyEntries(r.entries)).toEqual(await listState(admin, 'Pod', namespace));
  }, 120_000);

  it('should still emit every object when a periodic relist starts over after 410', async () => {
    const namespace = await createTestNamespace(admin, 'periodic');
    const names = Array.from({ length: 10 }, (_, i) => `p-${i}`);
    for (const name of names)
      await core.createNamespacedPod({ namespace, body: podManifest(name) });
    const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
    const reader = readCluster(kc, {
      kinds: [{ resource: 'Pod', namespaces: [namespace] }],
      initialList: 'paginated',
      pageSize: 2,
      relistIntervalMs: 1000,
      backoff: fastBackoff,
    });
    // Hold the second page of the first periodic relist until its continue token expires.
    let periodic = false;
    let stalled = false;
    const watchers = [
      reader.events$.subscribe((e) => {
        if (e.type === 'list-started' && e.reason === 'periodic') periodic = true;
      }),
      reader.entries$.subscribe(() => {
        if (!periodic || stalled) return;
        stalled = true;
        proxy.stall();
      }),
    ];
    recording = record(reader);
    const r = recording;
    try {
      await r.waitFor(() => stalled, 'the first page of a periodic relist');
      const from = r.entries.length - 1;
      await createTestNamespace(admin, 'bump'); // a write, so the compaction passes the token
      await cluster.compact();
      proxy.resume();
      await r.waitFor(
        () => r.events.filter((e) => e.type === 'list-finished').length >= 2,
        'the periodic relist to finish',
      );

      const lists = r.events.flatMap((e) => (e.type === 'list-started' ? [e.reason] : []));
      expect(lists.slice(0, 3)).toEqual(['initial', 'periodic', 'periodic']);
      const snapshots = r.entries.slice(from).filter((e) => e.change === 'snapshot');
      expect([...new Set(snapshots.map((e) => e.name))].sort()).toEqual([...names].sort());
      expect(r.events.filter((e) => e.type === 'list-finished')[1]).toMatchObject({
        objects: 10,
        emitted: 10,
      });
    } finally {
      for (const watcher of watchers) watcher.unsubscribe();
    }
  }, 120_000);

  it('should report what was deleted while down when a resumed reader later meets 410', async () => {
    const namespace = await createTestNamespace(admin, 'resumed-gone');
    for (const name of ['a', 'b']) {
      await core.createNamespacedPod({ namespace, body: podManifest(name) });
    }
    const store = inMemoryBookmarkStore();
    const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
    const options = {
      kinds: [{ resource: 'Pod', namespaces: [namespace] }],
      bookmarkStore: store,
      backoff: fastBackoff,
    };
    const first = record(readCluster(kc, options));
    recording = first;
    await first.waitFor(() => first.syncs.some((s) => s.all), 'the first reader to sync');
    first.stop();
    const key = Object.keys(store.entries()).find((k) => k.endsWith(namespace)) ?? '';
    await first.waitFor(() => store.entries()[key] !== undefined, 'the bookmark to be saved');

    // The restarted reader resumes, and its watch works: it delivers pod x.
    const second = record(readCluster(kc, options));
    recording = second;
    await second.waitFor(() => second.syncs.some((s) => s.all), 'the resumed reader to sync');
    await core.createNamespacedPod({ namespace, body: podManifest('x') });
    await second.waitFor(() => second.entries.some((e) => e.name === 'x'), 'pod x');

    await proxy.refuse();
    proxy.cutAll();
    await second.waitFor(() => second.events.some((e) => e.type === 'retry'), 'the cut');
    await core.deleteNamespacedPod({ namespace, name: 'a', gracePeriodSeconds: 0 });
    await core.createNamespacedPod({ namespace, body: podManifest('c') });
    await cluster.compact();
    await proxy.accept();
    await second.waitFor(
      () => second.events.some((e) => e.type === 'list-finished'),
      'the relist after 410',
    );

    expect(second.events.filter((e) => e.type === 'list-started')).toMatchObject([
      { reason: 'gone' },
    ]);
    expect(second.events.find((e) => e.type === 'list-finished')).toMatchObject({ deleted: 1 });
    const consumer = applyEntries([...first.entries, ...second.entries]);
    expect([...consumer.values()].map((v) => v.name).sort()).toEqual(['b', 'c', 'x']);
    expect(consumer).toEqual(await listState(admin, 'Pod', namespace));
  }, 120_000);

  it("should relist when a resumed reader's stored resourceVersion was compacted away", async () => {
    const namespace = await createTestNamespace(admin, 'expired');
    await core.createNamespacedPod({ namespace, body: podManifest('present') });
    await cluster.compact();
    const pods = resourceFor('Pod');
    if (E.isLeft(pods)) throw pods.left;
    const key = bookmarkKey(pods.right, { namespace });
    const inner = inMemoryBookmarkStore({ [key]: '1' });
    let saved: (rv: string) => void = () => undefined;
    const firstSave = new Promise<string>((resolve) => (saved = resolve));
    const store = {
      load: (k: string) => inner.load(k),
      save: async (k: string, rv: string) => {
        await inner.save(k, rv);
        saved(rv);
      },
    };
    recording = record(
      readCluster(kubeConfigFor(cluster, 'admin'), {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        bookmarkStore: store,
      }),
    );
    const r = recording;
    // A resumed target is synced once its watch is accepted; the 410 comes right after.
    await r.waitFor(() => r.events.some((e) => e.type === 'list-finished'), 'the relist');
    expect(r.events.find((e) => e.type === 'list-started')).toMatchObject({
      reason: 'resume-expired',
    });
    expect(r.entries.map((e) => `${e.change} ${e.name}`)).toEqual(['snapshot present']);
    expect(Number(await firstSave)).toBeGreaterThan(1);
  }, 120_000);
});
