import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import { readCluster, type ClusterReaderOptions } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { record, type Recording } from './harness.js';

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function eventually(condition: () => boolean, what: string, limit = 2000): Promise<void> {
  for (let turn = 0; turn < limit; turn += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} did not happen within ${limit} event-loop turns`);
}

/** The async scheduler, counting the timers it holds that have neither run nor been cancelled. */
interface CountingScheduler extends SchedulerLike {
  pending(): number;
}

function countingScheduler(): CountingScheduler {
  const pending = new Set<object>();
  return {
    now: () => asyncScheduler.now(),
    schedule<T>(
      work: (this: SchedulerAction<T>, state?: T) => void,
      delay?: number,
      state?: T,
    ): Subscription {
      const token = {};
      pending.add(token);
      const action = asyncScheduler.schedule<T>(
        function (this: SchedulerAction<T>, value?: T) {
          pending.delete(token);
          work.call(this, value);
        },
        delay,
        state,
      );
      action.add(() => pending.delete(token));
      return action;
    },
    pending: () => pending.size,
  };
}

describe('readCluster unsubscribe', () => {
  let admin: KubeConfig;
  let proxy: TcpProxy;
  let recording: Recording | undefined;
  let scheduler: CountingScheduler;

  beforeAll(async () => {
    admin = kubeConfigFor(sharedCluster(), 'admin');
    proxy = await startTcpProxy({ host: '127.0.0.1', port: sharedCluster().port });
  });

  beforeEach(() => {
    scheduler = countingScheduler();
  });

  afterEach(() => {
    recording?.stop();
    proxy.throttle(undefined);
  });

  afterAll(() => proxy.close());

  function read(options: Omit<ClusterReaderOptions, 'scheduler'>, kc?: KubeConfig): Recording {
    const via = kc ?? kubeConfigViaProxy(sharedCluster(), 'admin', proxy);
    recording = record(readCluster(via, { ...options, scheduler }));
    return recording;
  }

  /** Unsubscribes, then expects every connection closed and every timer cancelled. */
  async function expectNothingLeft(r: Recording): Promise<void> {
    r.stop();
    await eventually(
      () => proxy.openConnections() === 0 && scheduler.pending() === 0,
      `closing every connection (${proxy.openConnections()} open) and timer ` +
        `(${scheduler.pending()} pending)`,
    );
  }

  it('should close every connection when the last subscriber leaves', async () => {
    const [a, b] = [
      await createTestNamespace(admin, 'unsub-a'),
      await createTestNamespace(admin, 'unsub-b'),
    ];
    const reader = readCluster(kubeConfigViaProxy(sharedCluster(), 'admin', proxy), {
      kinds: [
        { resource: 'Pod', namespaces: [a!, b!] },
        { resource: 'ConfigMap', namespaces: [a!] },
        { resource: 'Namespace' },
      ],
      relistIntervalMs: 60_000,
      idleTimeoutMs: 60_000,
      scheduler,
    });
    const r = record(reader);
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    await r.waitFor(
      () => r.events.filter((e) => e.type === 'watch-started').length >= 4,
      'four watches',
    );
    // The watches may share one HTTP/2 connection.
    expect(proxy.openConnections()).toBeGreaterThan(0);
    expect(scheduler.pending()).toBeGreaterThan(0);
    await expectNothingLeft(r);

    const again = record(reader);
    await again.waitFor(() => again.syncs.some((s) => s.all), 'a fresh start to sync');
    expect(again.syncs[0]?.all).toBe(false);
    await expectNothingLeft(again);
  }, 120_000);

  it('should end the request and its timer when unsubscribed in the middle of a list', async () => {
    const namespace = await createTestNamespace(admin, 'unsub-list');
    const filler = 'x'.repeat(16 * 1024);
    const core = admin.makeApiClient(CoreV1Api);
    for (let i = 0; i < 12; i += 1) {
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name: `big-${i}` }, data: { filler } },
      });
    }
    // About 200 KB in one page at 40 KB/s: the page is still arriving when the reader leaves.
    proxy.throttle(40_000);
    const arriving = proxy.bytesFromServer(50_000);
    const r = read({
      kinds: [{ resource: 'ConfigMap', namespaces: [namespace], metadataOnly: false }],
      initialList: 'paginated',
      compression: false,
      idleTimeoutMs: 60_000,
    });
    await arriving;
    expect(r.events.map((e) => e.type)).toEqual(['list-started']);
    await expectNothingLeft(r);
  }, 120_000);

  it('should end the watch and its timers when unsubscribed in the middle of a watch', async () => {
    const namespace = await createTestNamespace(admin, 'unsub-watch');
    const r = read({
      kinds: [{ resource: 'Pod', namespaces: [namespace] }],
      idleTimeoutMs: 60_000,
      relistIntervalMs: 60_000,
    });
    await r.waitFor(() => r.events.some((e) => e.type === 'watch-started'), 'the watch');
    await expectNothingLeft(r);
  }, 120_000);

  it('should cancel the backoff timer when unsubscribed while backing off', async () => {
    const namespace = await createTestNamespace(admin, 'unsub-backoff');
    const r = read({
      kinds: [{ resource: 'Pod', namespaces: [namespace] }],
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000, factor: 2, jitter: 0 },
    });
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    await proxy.refuse();
    try {
      proxy.cutAll();
      await r.waitFor(() => r.events.some((e) => e.type === 'retry'), 'a retry to wait for');
      expect(scheduler.pending()).toBeGreaterThan(0);
      await expectNothingLeft(r);
    } finally {
      await proxy.accept();
    }
  }, 120_000);

  it('should close its own connections when the kubeconfig has no TLS settings', async () => {
    // Without a CA, client certificate or skipTLSVerify the KubeConfig builds no dispatcher,
    // and the system's trust store verifies the server, as for a cluster whose certificate
    // a public CA signed. Here the test cluster's CA joins that store for this test alone.
    const namespace = await createTestNamespace(admin, 'unsub-no-tls');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: proxy.url }],
      users: [{ name: 'u', token: sharedCluster().tokens.admin }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
    const trusted = getCACertificates('default');
    setDefaultCACertificates([...trusted, readFileSync(sharedCluster().caFile, 'utf8')]);
    try {
      const r = read({ kinds: [{ resource: 'Pod', namespaces: [namespace] }] }, kc);
      await r.waitFor(() => r.events.some((e) => e.type === 'watch-started'), 'the watch');
      expect(proxy.openConnections()).toBeGreaterThan(0);
      await expectNothingLeft(r);
    } finally {
      setDefaultCACertificates(trusted);
    }
  }, 120_000);
});
