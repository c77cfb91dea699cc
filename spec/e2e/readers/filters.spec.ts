import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readCluster, type Entry } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { podManifest, record, type Recording } from './harness.js';

const where = (entries: readonly Entry[]): string[] =>
  entries.map((entry) => `${entry.namespace}/${entry.name}`).sort();

describe('readCluster filters', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let recording: Recording | undefined;

  beforeAll(() => {
    kc = kubeConfigFor(sharedCluster(), 'admin');
    core = kc.makeApiClient(CoreV1Api);
  }, 120_000);

  afterEach(() => recording?.stop());

  it('should read only the namespaces asked for, with one watch each', async () => {
    const [a, b, c] = await Promise.all(
      ['ns-a', 'ns-b', 'ns-c'].map((prefix) => createTestNamespace(kc, prefix)),
    );
    for (const namespace of [a, b, c] as string[]) {
      await core.createNamespacedPod({ namespace, body: podManifest('first') });
    }
    recording = record(readCluster(kc, { kinds: [{ resource: 'Pod', namespaces: [a!, b!] }] }));
    const r = recording;
    await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');
    expect(where(r.entries)).toEqual([`${a}/first`, `${b}/first`]);
    const watches = r.events.filter((event) => event.type === 'list-started');
    expect(watches.map((event) => event.target.namespace).sort()).toEqual([a, b].sort());

    for (const namespace of [c, b] as string[]) {
      await core.createNamespacedPod({ namespace, body: podManifest('second') });
    }
    await r.waitFor(() => r.entries.some((e) => e.name === 'second'), 'pod second in b');
    expect(where(r.entries.filter((e) => e.name === 'second'))).toEqual([`${b}/second`]);
  }, 120_000);

  it('should apply label and field selectors to the list and the watch', async () => {
    const namespace = await createTestNamespace(kc, 'selectors');
    await core.createNamespacedPod({ namespace, body: podManifest('web-1', { app: 'web' }) });
    await core.createNamespacedPod({ namespace, body: podManifest('db-1', { app: 'db' }) });
    recording = record(
      readCluster(kc, {
        kinds: [
          { resource: 'Pod', namespaces: [namespace], labelSelector: 'app=web' },
          { resource: 'ConfigMap', namespaces: [namespace], fieldSelector: 'metadata.name=keep' },
        ],
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');
    expect(where(r.entries)).toEqual([`${namespace}/web-1`]);

    await core.createNamespacedPod({ namespace, body: podManifest('db-2', { app: 'db' }) });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'drop' } } });
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'keep' } } });
    await core.createNamespacedPod({ namespace, body: podManifest('web-2', { app: 'web' }) });
    await r.waitFor(() => r.entries.some((e) => e.name === 'web-2'), 'pod web-2');
    expect(where(r.entries).filter((name) => !name.endsWith('kube-root-ca.crt'))).toEqual([
      `${namespace}/keep`,
      `${namespace}/web-1`,
      `${namespace}/web-2`,
    ]);
  }, 120_000);

  it('should read ConfigMaps as metadata only unless told otherwise', async () => {
    const namespace = await createTestNamespace(kc, 'metadata');
    const body = { metadata: { name: 'settings' }, data: { password: 'hunter2' } };
    await core.createNamespacedConfigMap({ namespace, body });
    const selection = { resource: 'ConfigMap', namespaces: [namespace] };
    recording = record(readCluster(kc, { kinds: [selection] }));
    const r = recording;
    await r.waitFor(() => r.entries.some((e) => e.name === 'settings'), 'configmap settings');
    const listed = r.entries.find((e) => e.name === 'settings');
    expect(listed?.object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: expect.objectContaining({ name: 'settings', namespace }),
    });
    await core.patchNamespacedConfigMap({
      namespace,
      name: 'settings',
      body: [{ op: 'replace', path: '/data/password', value: 'hunter3' }],
    });
    await r.waitFor(() => r.entries.some((e) => e.change === 'modified'), 'the modification');
    expect(JSON.stringify(r.entries.map((e) => e.object))).not.toContain('hunter');
    r.stop();

    const full = record(readCluster(kc, { kinds: [{ ...selection, metadataOnly: false }] }));
    recording = full;
    await full.waitFor(() => full.entries.some((e) => e.name === 'settings'), 'full configmap');
    expect(full.entries.find((e) => e.name === 'settings')?.object).toMatchObject({
      data: { password: 'hunter3' },
    });
  }, 120_000);
});
