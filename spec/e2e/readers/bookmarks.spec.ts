import { CoreV1Api, Watch, type KubeConfig, type V1ObjectMeta } from '@kubernetes/client-node';
import { readCluster, type BackoffPolicy, type ReaderOptions } from '../../../lib/index.js';
import {
  createTestNamespace,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { misplacedWatches } from './delivery-audit.js';
import { podManifest, record, type Recording } from './harness.js';

const fastBackoff: BackoffPolicy = { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 };

/**
 * How long the API server's watch cache keeps an event before it may drop it to make room:
 * its events history window, 75 s, which the server does not let anyone lower.
 */
const CACHE_HISTORY_MS = 75_000;

const rv = (metadata: V1ObjectMeta | undefined): string => metadata?.resourceVersion ?? '';

const bookmarks = (r: Recording): string[] =>
  r.events.flatMap((e) => (e.type === 'bookmark' ? [e.resourceVersion] : []));

const relists = (r: Recording): string[] =>
  r.events.flatMap((e) => (e.type === 'list-started' ? [e.reason] : []));

/** The resourceVersion the first watch after log index `from` started at. */
function rewatchAfter(r: Recording, from: number): string | undefined {
  for (const item of r.log.slice(from)) {
    if (item.type === 'event' && item.event.type === 'watch-started') {
      return item.event.resourceVersion;
    }
  }
  return undefined;
}

/**
 * Runs `write` once the reader has opened its next watch. The watch cache sends a watch a
 * bookmark only past the last change it has passed to that watch: a change made between the
 * watch's resourceVersion and its start is replayed at the start (and filtered out, when it is
 * in another namespace), which moves the watch past it without a bookmark. So a change meant
 * to bring a bookmark is made while a watch is open.
 */
async function duringNextWatch<T>(r: Recording, write: () => Promise<T>): Promise<T> {
  const from = r.events.length;
  const opened = (): boolean => r.events.slice(from).some((e) => e.type === 'watch-started');
  await r.waitFor(opened, 'the next watch');
  return write();
}

/**
 * Whether the server answers a watch from `resourceVersion` with 410 Gone. Watch a path that
 * had events since, so that a watch the server accepts answers at once too.
 */
function watchIsGone(kc: KubeConfig, path: string, resourceVersion: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let answered = false;
    let controller: AbortController | undefined;
    const answer = (gone: boolean): void => {
      if (answered) return;
      answered = true;
      controller?.abort();
      resolve(gone);
    };
    const onEvent = (type: string, object: { code?: number }): void => {
      if (type !== 'ERROR') return answer(false);
      if (object.code === 410) return answer(true);
      reject(new Error(`a watch from ${resourceVersion} ended with error ${object.code}`));
    };
    const onDone = (error: unknown): void => {
      if ((error as { statusCode?: number } | null)?.statusCode === 410) return answer(true);
      if (!answered) reject(error ?? new Error(`a watch from ${resourceVersion} sent nothing`));
    };
    new Watch(kc)
      .watch(path, { resourceVersion, timeoutSeconds: 10 }, onEvent, onDone)
      .then((opened) => {
        controller = opened;
        if (answered) opened.abort();
      }, reject);
  });
}

// Bookmarks come from the API server's watch cache: without it, watches are served by etcd
// and get no bookmark but the one ending a streaming list. So the cache is on here. Then a
// compaction does not expire a watch's resourceVersion either, since the cache serves
// watches from its own window of recent events; what makes an old resourceVersion too old
// here is that window moving on.
describe('readCluster and bookmarks', () => {
  let cluster: TestCluster;
  let proxy: TcpProxy;
  let admin: KubeConfig;
  let core: CoreV1Api;
  let recording: Recording | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ watchCache: true, etcdCompactionInterval: 0 });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    admin = kubeConfigFor(cluster, 'admin');
    core = admin.makeApiClient(CoreV1Api);
  }, 300_000);

  afterEach(() => recording?.stop());

  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
  }, 120_000);

  function read(resource: string, namespace: string, options: ReaderOptions): Recording {
    recording = record(
      readCluster(kubeConfigViaProxy(cluster, 'admin', proxy), {
        kinds: [{ resource, namespaces: [namespace] }],
        backoff: fastBackoff,
        ...options,
      }),
    );
    return recording;
  }

  it('should watch again from the last bookmark after a cut, not from the last event', async () => {
    const quiet = await createTestNamespace(admin, 'quiet');
    const busy = await createTestNamespace(admin, 'busy');
    const name = 'watched';
    const created = await core.createNamespacedConfigMap({
      namespace: quiet,
      body: { metadata: { name } },
    });
    const touch = async (step: string): Promise<string> => {
      const body = [{ op: 'add', path: '/metadata/labels', value: { step } }];
      return rv((await core.patchNamespacedConfigMap({ namespace: quiet, name, body })).metadata);
    };
    // The watch cache sends a bookmark 2 to 3 s before a watch's timeout: the write made as
    // the watch opens has several seconds to reach it.
    const r = read('ConfigMap', quiet, { watchTimeoutSeconds: 8 });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    const seen = await touch('seen');
    await r.waitFor(() => r.entries.some((e) => e.resourceVersion === seen), 'the change');

    const written = await duringNextWatch(r, async () => {
      const body = { metadata: { name: 'elsewhere' } };
      return Number(rv((await core.createNamespacedConfigMap({ namespace: busy, body })).metadata));
    });
    await r.waitFor(
      () => bookmarks(r).some((b) => Number(b) >= written),
      'a bookmark past the write in another namespace',
    );
    await proxy.refuse();
    const cutAt = r.log.length;
    proxy.cutAll();
    const away = await touch('away');
    await proxy.accept();
    await r.waitFor(() => r.entries.some((e) => e.resourceVersion === away), 'the change away');

    expect(Number(rewatchAfter(r, cutAt))).toBeGreaterThanOrEqual(written);
    expect(misplacedWatches(r.log)).toEqual([]);
    expect(relists(r)).toEqual(['initial']);
    expect(r.entries.map((e) => `${e.change} ${e.resourceVersion}`)).toEqual([
      `snapshot ${rv(created.metadata)}`,
      `modified ${seen}`,
      `modified ${away}`,
    ]);
  }, 120_000);

  it('should not relist when the server has dropped the last event seen, but not the last bookmark', async () => {
    const quiet = await createTestNamespace(admin, 'quiet');
    const busy = await createTestNamespace(admin, 'busy');
    const busyPods = `/api/v1/namespaces/${busy}/pods`;
    const r = read('Pod', quiet, { watchTimeoutSeconds: 10 });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    const pod = await core.createNamespacedPod({ namespace: quiet, body: podManifest('watched') });
    const seen = rv(pod.metadata);
    await r.waitFor(() => r.entries.some((e) => e.resourceVersion === seen), 'the new pod');
    const seenAt = Date.now();
    const writeElsewhere = async (name: string): Promise<number> => {
      const other = await core.createNamespacedPod({ namespace: busy, body: podManifest(name) });
      return Number(rv(other.metadata));
    };
    for (let i = 0; i < 5; i += 1) await writeElsewhere(`early-${i}`);

    // The cache keeps the event seen for CACHE_HISTORY_MS at least: nothing but time lets it
    // go. The reader's watches end every 10 s, so its events tell when that time is up.
    await r.waitFor(
      () => Date.now() - seenAt > CACHE_HISTORY_MS + 3000,
      'the watch cache to be free to drop the event seen',
      CACHE_HISTORY_MS + 60_000,
    );
    // A bookmark only comes past a change made while the watch is open (see duringNextWatch).
    const written = await duringNextWatch(r, () => writeElsewhere('late'));
    await r.waitFor(
      () => bookmarks(r).some((b) => Number(b) >= written),
      'a bookmark past the last write in another namespace',
    );
    await proxy.refuse();
    const cutAt = r.log.length;
    proxy.cutAll();

    // Once the cache is full (100 events), each new one pushes out its oldest: the event seen,
    // then the early writes elsewhere, which came after it.
    let dropped = false;
    for (let i = 0; i < 300 && !dropped; i += 1) {
      await core.createNamespacedPod({ namespace: busy, body: podManifest(`filler-${i}`) });
      dropped = await watchIsGone(admin, busyPods, seen);
    }
    expect(dropped).toBe(true);
    const bookmark = bookmarks(r).at(-1) ?? '';
    expect(Number(bookmark)).toBeGreaterThanOrEqual(written);
    expect(await watchIsGone(admin, busyPods, bookmark)).toBe(false);
    const body = [{ op: 'add', path: '/metadata/labels', value: { step: 'away' } }];
    const patched = await core.patchNamespacedPod({ namespace: quiet, name: 'watched', body });
    const away = rv(patched.metadata);
    await proxy.accept();
    await r.waitFor(() => r.entries.some((e) => e.resourceVersion === away), 'the change away');

    expect(relists(r)).toEqual(['initial']);
    expect(r.entries.map((e) => `${e.change} ${e.resourceVersion}`)).toEqual([
      `added ${seen}`,
      `modified ${away}`,
    ]);
    expect(rewatchAfter(r, cutAt)).toBe(bookmark);
    expect(misplacedWatches(r.log)).toEqual([]);
  }, 300_000);
});
