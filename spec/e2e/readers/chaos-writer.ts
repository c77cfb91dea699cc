/**
 * The writer of the chaos test: creates, updates and deletes objects of several kinds at
 * random, and records the resourceVersion the API server gave each write.
 */
import type { CoreV1Api, V1ObjectMeta } from '@kubernetes/client-node';
import type { Write } from './delivery-audit.js';
import { podManifest } from './harness.js';

/** The kinds the chaos writer writes. */
export type ChaosKind = 'Pod' | 'ConfigMap' | 'Service';
export const CHAOS_KINDS: readonly ChaosKind[] = ['Pod', 'ConfigMap', 'Service'];

interface Known {
  readonly uid: string;
  readonly resourceVersion: number;
}

/** Creates, updates and deletes objects of several kinds, knowing which exist. */
export class ChaosWriter {
  /** Every write made so far, in order. */
  readonly writes: Write[] = [];
  private readonly existing = new Map<ChaosKind, Map<string, Known>>(
    CHAOS_KINDS.map((kind) => [kind, new Map()]),
  );
  private counter = 0;

  /**
   * @param core the client to write with (not through the proxy)
   * @param namespace where to write
   * @param random the source of randomness, seeded so that a failing run can be replayed
   * @param revision answers etcd's current revision, to bound a deletion the server does
   *   not give a resourceVersion for
   */
  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
    private readonly random: () => number,
    private readonly revision: () => Promise<number>,
  ) {}

  /** Makes one random write. */
  async step(): Promise<void> {
    const kind = CHAOS_KINDS[Math.floor(this.random() * CHAOS_KINDS.length)] ?? 'Pod';
    const names = [...(this.existing.get(kind)?.keys() ?? [])];
    const roll = this.random();
    this.counter += 1;
    if (names.length < 5 || roll < 0.45) {
      return this.create(kind, `${kind.toLowerCase()}-${this.counter}`);
    }
    const name = names[Math.floor(this.random() * names.length)] ?? '';
    return roll < 0.8 ? this.update(kind, name) : this.remove(kind, name);
  }

  /** Creates one object of a kind. */
  async create(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    const created =
      kind === 'Pod'
        ? await core.createNamespacedPod({ namespace, body: podManifest(name) })
        : kind === 'ConfigMap'
          ? await core.createNamespacedConfigMap({
              namespace,
              body: { metadata: { name }, data: { n: '0' } },
            })
          : await core.createNamespacedService({
              namespace,
              body: { metadata: { name }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
            });
    this.recordObject(kind, name, 'added', created.metadata);
  }

  private async update(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    const body = [{ op: 'add', path: '/metadata/labels', value: { step: String(this.counter) } }];
    const patched =
      kind === 'Pod'
        ? await core.patchNamespacedPod({ namespace, name, body })
        : kind === 'ConfigMap'
          ? await core.patchNamespacedConfigMap({ namespace, name, body })
          : await core.patchNamespacedService({ namespace, name, body });
    this.recordObject(kind, name, 'modified', patched.metadata);
  }

  private async remove(kind: ChaosKind, name: string): Promise<void> {
    const { core, namespace } = this;
    if (kind === 'ConfigMap') {
      // The server answers a ConfigMap's deletion with a Status, without resourceVersion: the
      // deletion lies after the last known one and at or before the revision right after.
      const known = this.known(kind, name);
      await core.deleteNamespacedConfigMap({ namespace, name });
      const high = await this.revision();
      this.existing.get(kind)?.delete(name);
      this.writes.push({
        kind,
        namespace,
        name,
        uid: known.uid,
        change: 'deleted',
        low: known.resourceVersion + 1,
        high,
      });
      return;
    }
    const deleted =
      kind === 'Pod'
        ? await core.deleteNamespacedPod({ namespace, name, gracePeriodSeconds: 0 })
        : await core.deleteNamespacedService({ namespace, name });
    this.recordObject(kind, name, 'deleted', deleted.metadata);
  }

  private known(kind: ChaosKind, name: string): Known {
    const known = this.existing.get(kind)?.get(name);
    if (known === undefined) throw new Error(`the writer does not know ${kind} ${name}`);
    return known;
  }

  private recordObject(
    kind: ChaosKind,
    name: string,
    change: Write['change'],
    metadata: V1ObjectMeta | undefined,
  ): void {
    const uid = metadata?.uid ?? '';
    const resourceVersion = Number(metadata?.resourceVersion);
    if (uid === '' || !Number.isInteger(resourceVersion)) {
      throw new Error(`the server answered the ${change} of ${kind} ${name} without uid or rv`);
    }
    const existing = this.existing.get(kind);
    if (change === 'deleted') existing?.delete(name);
    else existing?.set(name, { uid, resourceVersion });
    const { namespace } = this;
    this.writes.push({
      kind,
      namespace,
      name,
      uid,
      change,
      low: resourceVersion,
      high: resourceVersion,
    });
  }
}
