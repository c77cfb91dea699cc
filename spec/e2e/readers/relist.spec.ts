import { CoreV1Api } from '@kubernetes/client-node';
import { readCluster } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { applyEntries, listState, podManifest, record } from './harness.js';

describe('readCluster periodic relist', () => {
  it('should emit a snapshot of every object at each relist and keep watching', async () => {
    const kc = kubeConfigFor(sharedCluster(), 'admin');
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'relist');
    for (const name of ['a', 'b', 'c']) {
      await core.createNamespacedPod({ namespace, body: podManifest(name) });
    }
    const r = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        relistIntervalMs: 1000,
      }),
    );
    try {
      await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
      await core.createNamespacedPod({ namespace, body: podManifest('d') });
      await r.waitFor(() => r.entries.some((e) => e.name === 'd'), 'pod d');
      const before = r.entries.length;
      await r.waitFor(
        () => r.events.some((e) => e.type === 'list-finished' && e.emitted === 4),
        'a periodic relist',
      );
      const relisted = r.entries.slice(before);
      expect(relisted.map((e) => e.name).sort()).toEqual(['a', 'b', 'c', 'd']);
      expect(relisted.every((e) => e.change === 'snapshot' && e.source === 'apiserver.list')).toBe(
        true,
      );
      expect(
        r.events.find((e) => e.type === 'list-started' && e.reason === 'periodic'),
      ).toMatchObject({
        target: { kind: 'Pod', namespace },
      });

      await core.createNamespacedPod({ namespace, body: podManifest('e') });
      await r.waitFor(() => r.entries.some((e) => e.name === 'e'), 'pod e after the relist');
      expect(applyEntries(r.entries)).toEqual(await listState(kc, 'Pod', namespace));
    } finally {
      r.stop();
    }
  }, 120_000);
});
