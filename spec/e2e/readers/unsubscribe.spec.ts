import { readCluster } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy } from '../../support/tcp-proxy.js';
import { record } from './harness.js';

/** Resolves once `condition` holds, checking after each turn of the event loop. */
async function eventually(condition: () => boolean, what: string, limit = 2000): Promise<void> {
  for (let turn = 0; turn < limit; turn += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} did not happen within ${limit} event-loop turns`);
}

describe('readCluster unsubscribe', () => {
  it('should close every connection when the last subscriber leaves', async () => {
    const cluster = sharedCluster();
    const admin = kubeConfigFor(cluster, 'admin');
    const [a, b] = [
      await createTestNamespace(admin, 'unsub-a'),
      await createTestNamespace(admin, 'unsub-b'),
    ];
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    try {
      const kc = kubeConfigViaProxy(cluster, 'admin', proxy);
      const reader = readCluster(kc, {
        kinds: [
          { resource: 'Pod', namespaces: [a!, b!] },
          { resource: 'ConfigMap', namespaces: [a!] },
          { resource: 'Namespace' },
        ],
        relistIntervalMs: 60_000,
        idleTimeoutMs: 60_000,
      });
      const r = record(reader);
      await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
      await r.waitFor(
        () => r.events.filter((e) => e.type === 'watch-started').length >= 4,
        'four watches',
      );
      // The watches may share one HTTP/2 connection.
      expect(proxy.openConnections()).toBeGreaterThan(0);

      r.stop();
      await eventually(() => proxy.openConnections() === 0, 'closing every connection');

      const again = record(reader);
      await again.waitFor(() => again.syncs.some((s) => s.all), 'a fresh start to sync');
      expect(again.syncs[0]?.all).toBe(false);
      again.stop();
      await eventually(() => proxy.openConnections() === 0, 'closing every connection again');
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
