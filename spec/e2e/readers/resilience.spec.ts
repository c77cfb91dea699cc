import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { either as E } from 'fp-ts';
import { bookmarkKey, readCluster, resourceFor, type BackoffPolicy } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import {
  applyEntries,
  inNamespace,
  listState,
  podManifest,
  record,
  type Recording,
} from './harness.js';
import { repeatedEntries } from './delivery-audit.js';

const fastBackoff: BackoffPolicy = { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 };

/**
 * The idle limit where a test counts idle retries exactly: long enough that a healthy new
 * connection on a busy machine (TLS handshake, a slow first answer) never reaches it.
 */
const DEAD_IDLE_MS = 3000;

/** Retries after a request went idle for longer than the limit. */
const idleRetries = (r: Recording): number =>
  r.events.filter(
    (e) =>
      e.type === 'retry' &&
      e.error.cause instanceof Error &&
      e.error.cause.name === 'WatchIdleError',
  ).length;

describe('readCluster resilience', () => {
  let admin: KubeConfig;
  let core: CoreV1Api;
  let proxy: TcpProxy;
  let recording: Recording | undefined;

  beforeAll(async () => {
    const cluster = sharedCluster();
    admin = kubeConfigFor(cluster, 'admin');
    core = admin.makeApiClient(CoreV1Api);
    proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
  }, 120_000);

  afterEach(() => recording?.stop());
  afterAll(() => proxy.close());

  function readPods(namespace: string, options: object = {}): Recording {
    const kc = kubeConfigViaProxy(sharedCluster(), 'admin', proxy);
    recording = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        backoff: fastBackoff,
        ...options,
      }),
    );
    return recording;
  }

  async function expectConverged(r: Recording, namespace: string): Promise<void> {
    const truth = await listState(admin, 'Pod', namespace);
    await r.waitFor(() => {
      const state = applyEntries(inNamespace(r.entries, 'Pod', namespace));
      return [...truth].every(([uid, v]) => state.get(uid)?.resourceVersion === v.resourceVersion);
    }, 'the reader state to match a fresh list');
    expect(applyEntries(inNamespace(r.entries, 'Pod', namespace))).toEqual(truth);
    expect(repeatedEntries(r.entries)).toEqual([]);
  }

  it('should re-watch from the last resourceVersion when the server ends a watch', async () => {
    const namespace = await createTestNamespace(admin, 'timeouts');
    const r = readPods(namespace, { watchTimeoutSeconds: 1 });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    for (let i = 0; i < 30; i += 1) {
      await core.createNamespacedPod({ namespace, body: podManifest(`p-${i}`) });
      if (i % 10 === 9) {
        const ended = r.events.filter((e) => e.type === 'watch-ended').length;
        await r.waitFor(
          () => r.events.filter((e) => e.type === 'watch-ended').length > ended,
          'the server to end a watch',
        );
      }
    }
    await expectConverged(r, namespace);
    const ends = r.events.filter((e) => e.type === 'watch-ended');
    expect(ends.every((e) => e.type === 'watch-ended' && e.reason === 'closed')).toBe(true);
    expect(r.events.filter((e) => e.type === 'list-started')).toHaveLength(1);
    expect(r.entries.filter((e) => e.change === 'added')).toHaveLength(30);
  }, 120_000);

  it('should re-watch without loss or duplicates when connections are cut', async () => {
    const namespace = await createTestNamespace(admin, 'cuts');
    const r = readPods(namespace);
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    for (let i = 0; i < 30; i += 1) {
      await core.createNamespacedPod({ namespace, body: podManifest(`p-${i}`) });
      if (i % 6 === 5) {
        const started = r.events.filter((e) => e.type === 'watch-started').length;
        proxy.cutAll();
        await r.waitFor(
          () => r.events.filter((e) => e.type === 'watch-started').length > started,
          'a new watch after the cut',
        );
      }
    }
    await expectConverged(r, namespace);
    expect(r.events.filter((e) => e.type === 'retry').length).toBeGreaterThanOrEqual(5);
    expect(r.events.filter((e) => e.type === 'list-started')).toHaveLength(1);
  }, 120_000);

  it('should presume an idle watch dead and watch again once bytes flow', async () => {
    const namespace = await createTestNamespace(admin, 'idle');
    const r = readPods(namespace, { idleTimeoutMs: 1500 });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    proxy.stall();
    await core.createNamespacedPod({ namespace, body: podManifest('during-stall') });
    await r.waitFor(
      () =>
        r.events.some(
          (e) =>
            e.type === 'retry' &&
            e.error.cause instanceof Error &&
            e.error.cause.name === 'WatchIdleError',
        ),
      'the idle timeout',
    );
    proxy.cutAll();
    proxy.resume();
    await r.waitFor(() => r.entries.some((e) => e.name === 'during-stall'), 'pod during-stall');
    await expectConverged(r, namespace);
    expect(r.events.filter((e) => e.type === 'list-started')).toHaveLength(1);
  }, 120_000);

  it('should watch again over a new connection when the old one dies silently', async () => {
    const namespace = await createTestNamespace(admin, 'dead-connection');
    const r = readPods(namespace, { idleTimeoutMs: DEAD_IDLE_MS });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    await r.waitFor(() => r.events.some((e) => e.type === 'watch-started'), 'the watch');
    // The connection in use goes silent and is never cut; new connections work.
    proxy.pauseExisting();
    try {
      await core.createNamespacedPod({ namespace, body: podManifest('after-death') });
      await r.waitFor(
        () => r.entries.some((e) => e.name === 'after-death') || idleRetries(r) >= 3,
        'pod after-death, or idle retries over the dead connection',
      );
      expect(idleRetries(r)).toBe(1);
      expect(r.entries.some((e) => e.name === 'after-death')).toBe(true);
      await expectConverged(r, namespace);
      expect(r.events.filter((e) => e.type === 'list-started')).toHaveLength(1);
    } finally {
      proxy.resume();
    }
  }, 120_000);

  it('should list again over a new connection when a page stops on a dead one', async () => {
    const namespace = await createTestNamespace(admin, 'dead-list');
    await core.createNamespacedPod({ namespace, body: podManifest('listed') });
    // A periodic relist soon after the first list: it runs on the connection paused below.
    const r = readPods(namespace, {
      idleTimeoutMs: DEAD_IDLE_MS,
      initialList: 'paginated',
      relistIntervalMs: 300,
    });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    proxy.pauseExisting();
    try {
      const finished = (): number => r.events.filter((e) => e.type === 'list-finished').length;
      await r.waitFor(
        () => finished() >= 2 || idleRetries(r) >= 3,
        'the relist, or idle retries over the dead connection',
      );
      expect(idleRetries(r)).toBe(1);
      expect(finished()).toBe(2);
    } finally {
      proxy.resume();
    }
  }, 120_000);

  it('should rebuild a resumed index over a new connection when its list stops on a dead one', async () => {
    const namespace = await createTestNamespace(admin, 'dead-index');
    await core.createNamespacedPod({ namespace, body: podManifest('indexed') });
    const listed = await core.listNamespacedPod({ namespace });
    const pods = resourceFor('Pod');
    if (E.isLeft(pods)) throw pods.left;
    // The Pod bookmark loads only once the connection is dead, so the index list goes out on it.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const bookmarkStore = {
      load: async (key: string) => {
        if (key !== bookmarkKey(pods.right, { namespace })) return undefined;
        await released;
        return listed.metadata?.resourceVersion;
      },
      save: async () => undefined,
    };
    const kc = kubeConfigViaProxy(sharedCluster(), 'admin', proxy);
    const r = record(
      readCluster(kc, {
        kinds: [
          // Opens the shared connection, then fails at once: its selector does not parse.
          { resource: 'ConfigMap', namespaces: [namespace], labelSelector: 'a in (' },
          { resource: 'Pod', namespaces: [namespace] },
        ],
        bookmarkStore,
        idleTimeoutMs: DEAD_IDLE_MS,
        backoff: fastBackoff,
      }),
    );
    recording = r;
    await r.waitFor(() => r.events.some((e) => e.type === 'failed'), 'the ConfigMaps to fail');
    proxy.pauseExisting();
    release();
    try {
      await r.waitFor(
        () => r.syncs.some((s) => s.kinds['Pod'] === true) || idleRetries(r) >= 3,
        'the Pods to sync, or idle retries over the dead connection',
      );
      expect(idleRetries(r)).toBe(1);
      expect(r.syncs.some((s) => s.kinds['Pod'] === true)).toBe(true);
      // The bookmark still counts: the index was listed again, not the Pods relisted.
      const podLists = r.events.filter((e) => e.type === 'list-started' && e.target.kind === 'Pod');
      expect(podLists).toEqual([]);
    } finally {
      proxy.resume();
    }
  }, 120_000);

  it('should retry a list page that does not arrive within the idle limit', async () => {
    const namespace = await createTestNamespace(admin, 'stalled-list');
    await core.createNamespacedPod({ namespace, body: podManifest('listed') });
    proxy.stall();
    const r = readPods(namespace, { idleTimeoutMs: 1500, initialList: 'paginated' });
    await r.waitFor(
      () => r.events.some((e) => e.type === 'retry'),
      'the stalled list to be retried',
    );
    proxy.cutAll();
    proxy.resume();
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    expect(r.entries.map((e) => `${e.change} ${e.name}`)).toEqual(['snapshot listed']);
    await expectConverged(r, namespace);
  }, 120_000);

  it('should list a page that takes longer than the idle limit while its bytes keep coming', async () => {
    const namespace = await createTestNamespace(admin, 'slow-list');
    const filler = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 12; i += 1) {
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: `big-${i}` }, data: { filler } },
      });
    }
    // About 200 KB in one page at 20 KB/s: some 10 s, bytes every 20 ms, idle limit 2 s.
    proxy.throttle(20_000);
    try {
      const kc = kubeConfigViaProxy(sharedCluster(), 'admin', proxy);
      recording = record(
        readCluster(kc, {
          kinds: [{ resource: 'ConfigMap', namespaces: [namespace], metadataOnly: false }],
          initialList: 'paginated',
          idleTimeoutMs: 2000,
          compression: false,
          backoff: fastBackoff,
        }),
      );
      const r = recording;
      await r.waitFor(
        () => r.syncs.some((s) => s.all) || r.events.some((e) => e.type === 'retry'),
        'the slow list to finish or be retried',
      );
      expect(r.events.filter((e) => e.type === 'retry')).toEqual([]);
      expect(r.entries.filter((e) => e.change === 'snapshot')).toHaveLength(12);
    } finally {
      proxy.throttle(undefined);
    }
  }, 120_000);

  it('should back off with growing delays while the server is unreachable', async () => {
    const namespace = await createTestNamespace(admin, 'refused');
    const r = readPods(namespace);
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    await proxy.refuse();
    proxy.cutAll();
    await r.waitFor(() => r.events.filter((e) => e.type === 'retry').length >= 5, '5 retries');
    const retries = r.events.flatMap((e) => (e.type === 'retry' ? [e] : []));
    expect(retries.slice(0, 5).map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(retries[4]!.delayMs).toBeGreaterThanOrEqual(200); // 50 * 2^4 = 800, jittered by half, capped at 400
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(50);
    await core.createNamespacedPod({ namespace, body: podManifest('while-refused') });
    await proxy.accept();
    await r.waitFor(() => r.entries.some((e) => e.name === 'while-refused'), 'pod while-refused');
    await expectConverged(r, namespace);
  }, 120_000);
});
