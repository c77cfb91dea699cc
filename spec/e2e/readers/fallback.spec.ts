import { CoreV1Api } from '@kubernetes/client-node';
import { readCluster } from '../../../lib/index.js';
import {
  createTestNamespace,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../../support/cluster.js';
import { podManifest, record, type Recording } from './harness.js';

// A server without streaming lists: the WatchList feature gate is off.
describe('readCluster on a server that refuses streaming lists', () => {
  let cluster: TestCluster;
  let recording: Recording | undefined;

  beforeAll(async () => {
    cluster = await startTestCluster({ apiserverArgs: ['--feature-gates=WatchList=false'] });
  }, 300_000);

  afterEach(() => recording?.stop());

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  it('should fall back to a paginated list in auto mode', async () => {
    const kc = kubeConfigFor(cluster, 'admin');
    const namespace = await createTestNamespace(kc, 'fallback');
    await kc.makeApiClient(CoreV1Api).createNamespacedPod({ namespace, body: podManifest('one') });
    recording = record(readCluster(kc, { kinds: [{ resource: 'Pod', namespaces: [namespace] }] }));
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    const modes = r.events.flatMap((e) => (e.type === 'list-started' ? [e.mode] : []));
    expect(modes).toEqual(['streaming', 'paginated']);
    expect(r.entries.map((e) => `${e.change} ${e.name}`)).toEqual(['snapshot one']);
    expect(r.events.some((e) => e.type === 'retry' || e.type === 'failed')).toBe(false);
  }, 120_000);

  it('should stop the kind with a ReaderError when streaming is required', async () => {
    const kc = kubeConfigFor(cluster, 'admin');
    recording = record(
      readCluster(kc, { kinds: [{ resource: 'Namespace' }], initialList: 'streaming' }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'the kind to settle');
    const failed = r.events.find((e) => e.type === 'failed');
    expect(failed?.type === 'failed' && failed.error._tag).toBe('ReaderError');
    expect(r.syncs.at(-1)).toEqual({ kinds: { Namespace: false }, all: true });
  }, 120_000);
});
