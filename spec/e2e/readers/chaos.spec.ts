import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readCluster, type BackoffPolicy } from '../../../lib/index.js';
import {
  createTestNamespace,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import {
  applyEntries,
  inNamespace,
  listState,
  podManifest,
  record,
  type Version,
} from './harness.js';

type ChaosKind = 'Pod' | 'ConfigMap' | 'Service';
const KINDS: readonly ChaosKind[] = ['Pod', 'ConfigMap', 'Service'];
const OPERATIONS = 360;

const fastBackoff: BackoffPolicy = { initialDelayMs: 50, maxDelayMs: 500, factor: 2, jitter: 0.5 };

/** A small seeded generator, so that a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates, updates and deletes objects of several kinds, knowing which exist. */
class Writer {
  private readonly existing = new Map<ChaosKind, Set<string>>(KINDS.map((k) => [k, new Set()]));
  private counter = 0;

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
    private readonly random: () => number,
  ) {}

  async step(): Promise<void> {
    const kind = KINDS[Math.floor(this.random() * KINDS.length)] ?? 'Pod';
    const names = [...(this.existing.get(kind) ?? [])];
    const roll = this.random();
    this.counter += 1;
    if (names.length < 5 || roll < 0.45)
      return this.create(kind, `${kind.toLowerCase()}-${this.counter}`);
    const name = names[Math.floor(this.random() * names.length)] ?? '';
    return roll < 0.8 ? this.update(kind, name) : this.remove(kind, name);
  }

  private async create(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    if (kind === 'Pod') await core.createNamespacedPod({ namespace, body: podManifest(name) });
    if (kind === 'ConfigMap') {
      await core.createNamespacedConfigMap({
        namespace,
        body: { metadata: { name }, data: { n: '0' } },
      });
    }
    if (kind === 'Service') {
      await core.createNamespacedService({
        namespace,
        body: { metadata: { name }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
      });
    }
    this.existing.get(kind)?.add(name);
  }

  private async update(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    const body = [{ op: 'add', path: '/metadata/labels', value: { step: String(this.counter) } }];
    if (kind === 'Pod') await core.patchNamespacedPod({ namespace, name, body });
    if (kind === 'ConfigMap') await core.patchNamespacedConfigMap({ namespace, name, body });
    if (kind === 'Service') await core.patchNamespacedService({ namespace, name, body });
  }

  private async remove(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    if (kind === 'Pod') await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 });
    if (kind === 'ConfigMap') await core.deleteNamespacedConfigMap({ namespace, name });
    if (kind === 'Service') await core.deleteNamespacedService({ namespace, name });
    this.existing.get(kind)?.delete(name);
  }
}

describe('readCluster under chaos', () => {
  let cluster: TestCluster;
  let proxy: TcpProxy;
  let admin: KubeConfig;

  beforeAll(async () => {
    cluster = await startTestCluster({ watchCache: false, etcdCompactionInterval: 0 });
    proxy = await startTcpProxy({ host: '127.0.0.1', port: cluster.port });
    admin = kubeConfigFor(cluster, 'admin');
  }, 300_000);

  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
  });

  it('should end with the state of a fresh list despite cuts, compactions and a restart', async () => {
    const namespace = await createTestNamespace(admin, 'chaos');
    const seed = Number(process.env.TATTLER_CHAOS_SEED ?? Date.now() % 100_000);
    const random = mulberry32(seed);
    const writer = new Writer(admin.makeApiClient(CoreV1Api), namespace, random);
    for (let i = 0; i < 20; i += 1) await writer.step();

    const reader = readCluster(kubeConfigViaProxy(cluster, 'admin', proxy), {
      kinds: KINDS.map((resource) => ({ resource, namespaces: [namespace] })),
      backoff: fastBackoff,
      idleTimeoutMs: 5000,
    });
    const r = record(reader);
    try {
      await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
      for (let i = 0; i < OPERATIONS; i += 1) {
        await writer.step();
        if (random() < 0.06) proxy.cutAll();
        if (i % 70 === 35) {
          // Compact while the reader is away, after a write it has not seen: a sure 410.
          await proxy.refuse();
          proxy.cutAll();
          await writer.step();
          await cluster.compact();
          await proxy.accept();
        }
        if (i === Math.floor(OPERATIONS / 2)) await cluster.restart();
      }
      await cluster.compact();
      proxy.cutAll();

      const truth = new Map<string, Version>();
      for (const kind of KINDS) {
        for (const [uid, version] of await listState(admin, kind, namespace))
          truth.set(uid, version);
      }
      const readerState = (): Map<string, Version> =>
        applyEntries(r.entries.filter((e) => e.namespace === namespace));
      const matches = (): boolean => {
        const state = readerState();
        if (state.size !== truth.size) return false;
        return [...truth].every(
          ([uid, v]) => state.get(uid)?.resourceVersion === v.resourceVersion,
        );
      };
      await r.waitFor(matches, `the reader to converge (seed ${seed})`, 90_000);
      expect(readerState()).toEqual(truth);
      for (const kind of KINDS) {
        expect(inNamespace(r.entries, kind, namespace).length).toBeGreaterThan(0);
      }
      expect(r.events.some((e) => e.type === 'retry')).toBe(true);
      expect(r.events.some((e) => e.type === 'list-started' && e.reason === 'gone')).toBe(true);
      expect(r.events.some((e) => e.type === 'failed')).toBe(false);
    } finally {
      r.stop();
    }
  }, 600_000);
});
