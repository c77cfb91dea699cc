import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { first, firstValueFrom, takeWhile, toArray } from 'rxjs';
import { readCluster, readKind, type Entry, type ReaderEvent } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { podManifest, record, type Recorded, type Recording } from './harness.js';

const names = (entries: readonly Entry[]): string[] => entries.map((entry) => entry.name).sort();
const ofType = <T extends ReaderEvent['type']>(events: readonly ReaderEvent[], type: T) =>
  events.filter((event): event is Extract<ReaderEvent, { type: T }> => event.type === type);

describe('readCluster list and watch', () => {
  let kc: KubeConfig;
  let core: CoreV1Api;
  let recording: Recording | undefined;

  beforeAll(() => {
    kc = kubeConfigFor(sharedCluster(), 'admin');
    core = kc.makeApiClient(CoreV1Api);
  }, 120_000);

  afterEach(() => recording?.stop());

  async function createPods(namespace: string, count: number, prefix = 'pod'): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      await core.createNamespacedPod({ namespace, body: podManifest(`${prefix}-${i}`) });
    }
  }

  it('should list page by page as snapshots, then deliver changes from the watch', async () => {
    const namespace = await createTestNamespace(kc, 'paginated');
    await createPods(namespace, 12);
    recording = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        initialList: 'paginated',
        pageSize: 5,
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');

    expect(r.entries).toHaveLength(12);
    expect(r.entries.every((e) => e.change === 'snapshot' && e.source === 'apiserver.list')).toBe(
      true,
    );
    expect(r.entries.every((e) => e.object.kind === 'Pod' && e.object.apiVersion === 'v1')).toBe(
      true,
    );
    const [finished] = ofType(r.events, 'list-finished');
    expect(finished).toMatchObject({ pages: 3, objects: 12, emitted: 12, deleted: 0 });
    expect(ofType(r.events, 'list-started')[0]).toMatchObject({ mode: 'paginated' });

    await core.createNamespacedPod({ namespace, body: podManifest('late') });
    await core.patchNamespacedPod({
      namespace,
      name: 'late',
      body: [{ op: 'add', path: '/metadata/labels', value: { touched: 'yes' } }],
    });
    await core.deleteNamespacedPod({ namespace, name: 'late', gracePeriodSeconds: 0 });
    await r.waitFor(
      () => r.entries.some((e) => e.name === 'late' && e.change === 'deleted'),
      'the deletion of pod late',
    );
    const late = r.entries.filter((e) => e.name === 'late');
    // Deleting a Pod may first set its deletionTimestamp: one more modification.
    const changes = late.map((e) => e.change);
    expect(changes[0]).toBe('added');
    expect(changes.at(-1)).toBe('deleted');
    expect(changes.slice(1, -1).every((change) => change === 'modified')).toBe(true);
    expect(changes.length).toBeGreaterThanOrEqual(3);
    expect(late.every((e) => e.source === 'apiserver.watch')).toBe(true);
    const versions = late.map((e) => Number(e.resourceVersion));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(Number(late[0]?.resourceVersion)).toBeGreaterThan(Number(finished?.resourceVersion));
  }, 120_000);

  it('should stream the initial state up to the initial-events-end bookmark', async () => {
    const namespace = await createTestNamespace(kc, 'streaming');
    await createPods(namespace, 7);
    recording = record(
      readCluster(kc, {
        kinds: [{ resource: 'Pod', namespaces: [namespace] }],
        initialList: 'streaming',
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');

    expect(names(r.entries)).toEqual(names(r.entries.filter((e) => e.change === 'snapshot')));
    expect(r.entries).toHaveLength(7);
    expect(r.entries.every((e) => e.source === 'apiserver.list')).toBe(true);
    expect(ofType(r.events, 'list-started')[0]).toMatchObject({ mode: 'streaming' });
    expect(ofType(r.events, 'list-finished')[0]).toMatchObject({ objects: 7, emitted: 7 });

    await core.createNamespacedPod({ namespace, body: podManifest('after') });
    await r.waitFor(() => r.entries.some((e) => e.name === 'after'), 'pod after');
    expect(r.entries.at(-1)).toMatchObject({ change: 'added', source: 'apiserver.watch' });
  }, 120_000);

  it('should choose a streaming list in auto mode when the server offers it', async () => {
    const namespace = await createTestNamespace(kc, 'auto');
    await createPods(namespace, 2);
    recording = record(readCluster(kc, { kinds: [{ resource: 'Pod', namespaces: [namespace] }] }));
    const r = recording;
    await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');
    expect(r.entries).toHaveLength(2);
    expect(ofType(r.events, 'list-started').map((event) => event.mode)).toEqual(['streaming']);
  }, 120_000);

  it.each(['streaming', 'paginated'] as const)(
    'should signal synced per kind and for the whole reader after its snapshots (%s)',
    async (initialList) => {
      const namespace = await createTestNamespace(kc, `synced-${initialList}`);
      await createPods(namespace, 3);
      recording = record(
        readCluster(kc, {
          kinds: [{ resource: 'Pod', namespaces: [namespace] }, { resource: 'Namespace' }],
          initialList,
          pageSize: 2, // several pages of namespaces, so the signal follows more than one
        }),
      );
      const r = recording;
      expect(r.syncs[0]).toEqual({ kinds: { Pod: false, Namespace: false }, all: false });
      await r.waitFor(() => r.syncs.some((state) => state.all), 'synced');
      expect(r.syncs.at(-1)).toEqual({ kinds: { Pod: true, Namespace: true }, all: true });

      // One log of entries, events and sync states, in the order the reader emitted them:
      // waiting for `synced` resolves later, when entries of the same batch are recorded too.
      const at = (found: (item: Recorded) => boolean): number => r.log.findIndex(found);
      const lastAt = (found: (item: Recorded) => boolean): number => r.log.findLastIndex(found);
      const snapshotOf = (kind: string) => (item: Recorded) =>
        item.type === 'entry' && item.entry.kind === kind && item.entry.change === 'snapshot';
      for (const kind of ['Pod', 'Namespace']) {
        const kindSynced = at((item) => item.type === 'sync' && item.state.kinds[kind] === true);
        const targetSynced = at(
          (item) =>
            item.type === 'event' &&
            item.event.type === 'synced' &&
            item.event.target.kind === kind,
        );
        expect(lastAt(snapshotOf(kind))).toBeGreaterThan(-1);
        expect(lastAt(snapshotOf(kind))).toBeLessThan(kindSynced);
        expect(lastAt(snapshotOf(kind))).toBeLessThan(targetSynced);
      }
      const allSynced = at((item) => item.type === 'sync' && item.state.all);
      const beforeSync = r.log
        .slice(0, allSynced)
        .flatMap((item) => (item.type === 'entry' ? [item.entry] : []));
      expect(names(beforeSync.filter((e) => e.kind === 'Pod'))).toEqual([
        'pod-0',
        'pod-1',
        'pod-2',
      ]);
      expect(beforeSync.some((e) => e.kind === 'Namespace' && e.name === namespace)).toBe(true);
      const namespacesListed = ofType(r.events, 'list-finished').find(
        (e) => e.target.kind === 'Namespace',
      );
      expect(namespacesListed?.pages).toBeGreaterThan(initialList === 'paginated' ? 1 : 0);
    },
    120_000,
  );

  it('should read one kind as entry and event signals with readKind', async () => {
    const namespace = await createTestNamespace(kc, 'read-kind');
    await createPods(namespace, 2);
    const signals = await firstValueFrom(
      readKind(kc, { resource: 'po', namespaces: [namespace] }).pipe(
        takeWhile((signal) => !(signal.type === 'event' && signal.event.type === 'synced'), true),
        toArray(),
      ),
    );
    const entries = signals.flatMap((s) => (s.type === 'entry' ? [s.entry] : []));
    expect(names(entries)).toEqual(['pod-0', 'pod-1']);
    expect(signals.at(-1)).toMatchObject({ type: 'event', event: { type: 'synced' } });
    expect(() => readKind(kc, { resource: 'no/such/kind/at/all' })).toThrow(/no\/such/);
    const unknown = await firstValueFrom(
      readKind(kc, { resource: 'no-such-kind' }).pipe(
        first((signal) => signal.type === 'event' && signal.event.type === 'failed'),
      ),
    );
    expect(unknown).toMatchObject({
      event: { error: { _tag: 'ConfigError', message: expect.stringContaining('no-such-kind') } },
    });
  }, 120_000);
});
