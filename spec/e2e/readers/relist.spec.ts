import { CoreV1Api } from '@kubernetes/client-node';
import { readCluster, type Entry } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { applyEntries, listState, podManifest, record, type Recorded } from './harness.js';

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
      // Pod d may have come in a relist already under way: take the next one, whole.
      const mark = r.log.length;
      const nextRelist = (): Entry[] | undefined => {
        const log = r.log.slice(mark);
        const isEvent = (item: Recorded, type: string): boolean =>
          item.type === 'event' && item.event.type === type;
        const start = log.findIndex((item) => isEvent(item, 'list-started'));
        const end = log.findIndex((item, i) => i > start && isEvent(item, 'list-finished'));
        if (start < 0 || end < 0) return undefined;
        return log.slice(start, end).flatMap((item) => (item.type === 'entry' ? [item.entry] : []));
      };
      await r.waitFor(() => nextRelist() !== undefined, 'a periodic relist after pod d');
      const relisted = nextRelist() ?? [];
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
