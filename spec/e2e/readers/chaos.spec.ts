import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { readCluster, type BackoffPolicy } from '../../../lib/index.js';
import {
  createTestNamespace,
  kubeConfigFor,
  startTestCluster,
  type TestCluster,
} from '../../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { CHAOS_KINDS, ChaosWriter } from './chaos-writer.js';
import {
  auditWrites,
  backwardEntries,
  misplacedWatches,
  repeatedEntries,
} from './delivery-audit.js';
import { applyEntries, inNamespace, listState, record, type Version } from './harness.js';

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

/** A few findings of each sort, so that a failure stays readable (and quick to diff). */
const firstFew = (findings: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(findings).map(([sort, found]) => [
      sort,
      found.length > 5 ? [...found.slice(0, 5), `and ${found.length - 5} more`] : found,
    ]),
  );

/** etcd's current revision, from the test server's control endpoint. */
async function revisionOf(cluster: TestCluster): Promise<number> {
  const response = await fetch(`${cluster.controlUrl}/revision`);
  const body = (await response.json()) as { revision?: number };
  if (body.revision === undefined) throw new Error(`no revision: ${response.status}`);
  return body.revision;
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

  // The server gets up to 30 s to stop before it is killed.
  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
  }, 120_000);

  it('should deliver every write once and in order despite cuts, compactions and a restart', async () => {
    const namespace = await createTestNamespace(admin, 'chaos');
    const seed = Number(process.env.TATTLER_CHAOS_SEED ?? Date.now() % 100_000);
    const random = mulberry32(seed);
    const core = admin.makeApiClient(CoreV1Api);
    const writer = new ChaosWriter(core, namespace, random, () => revisionOf(cluster));
    for (let i = 0; i < 20; i += 1) await writer.step();

    const reader = readCluster(kubeConfigViaProxy(cluster, 'admin', proxy), {
      kinds: CHAOS_KINDS.map((resource) => ({ resource, namespaces: [namespace] })),
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
      // One last object of each kind: once the reader has them all, it has caught up. No
      // compaction or cut follows the writes, so a relist cannot repair what a watch lost.
      for (const kind of CHAOS_KINDS) await writer.create(kind, `${kind.toLowerCase()}-last`);
      const last = writer.writes.slice(-CHAOS_KINDS.length);
      const caughtUp = await r
        .waitFor(
          () => last.every((write) => r.entries.some((e) => e.uid === write.uid)),
          `the reader to catch up (seed ${seed})`,
          90_000,
        )
        .then(
          () => true,
          () => false,
        );

      const truth = new Map<string, Version>();
      for (const kind of CHAOS_KINDS) {
        for (const [uid, version] of await listState(admin, kind, namespace)) {
          truth.set(uid, version);
        }
      }
      const entries = r.entries.filter((e) => e.namespace === namespace);
      const audit = auditWrites(r.log, writer.writes, new Set(truth.keys()));
      const findings = {
        missing: audit.missing,
        unrepaired: audit.unrepaired,
        repeated: repeatedEntries(entries),
        backward: backwardEntries(entries),
        misplacedWatches: misplacedWatches(r.log),
      };
      expect({ seed, ...firstFew(findings) }).toEqual({
        seed,
        missing: [],
        unrepaired: [],
        repeated: [],
        backward: [],
        misplacedWatches: [],
      });
      expect(caughtUp).toBe(true);
      expect(applyEntries(entries)).toEqual(truth);

      expect(writer.writes.length).toBeGreaterThan(OPERATIONS);
      for (const kind of CHAOS_KINDS) {
        expect(inNamespace(r.entries, kind, namespace).length).toBeGreaterThan(0);
        expect(writer.writes.some((w) => w.kind === kind && w.change === 'deleted')).toBe(true);
      }
      expect(r.events.some((e) => e.type === 'retry')).toBe(true);
      expect(r.events.some((e) => e.type === 'list-started' && e.reason === 'gone')).toBe(true);
      expect(r.events.some((e) => e.type === 'failed')).toBe(false);
    } finally {
      r.stop();
    }
  }, 600_000);
});
