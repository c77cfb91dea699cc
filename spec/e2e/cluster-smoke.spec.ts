import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  Watch,
  type V1Namespace,
  type V1Node,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  createTestNamespace,
  kubeConfigFor,
  sharedCluster,
  startTestCluster,
  type TestCluster,
  type TestClusterInfo,
} from '../support/cluster.js';
import { kubeConfigViaProxy, startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

interface WatchEvent {
  readonly type: string;
  readonly object: { metadata?: { name?: string; annotations?: Record<string, string> } } & {
    code?: number;
  };
}

/** Watches `path` until `until` holds for the events seen so far, then stops the watch. */
async function watchUntil(
  kc: KubeConfig,
  path: string,
  params: Record<string, string | boolean>,
  until: (events: readonly WatchEvent[]) => boolean,
): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  let abort: AbortController | undefined;
  return new Promise<WatchEvent[]>((resolve, reject) => {
    new Watch(kc)
      .watch(
        path,
        params,
        (type, object) => {
          events.push({ type, object });
          if (until(events)) {
            abort?.abort();
            resolve(events);
          }
        },
        (err) => (until(events) ? resolve(events) : reject(err ?? new Error('watch ended'))),
      )
      .then((controller) => (abort = controller), reject);
  });
}

function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(16).slice(2, 10)}`;
}

async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
}

const pod = (name: string): V1Pod => ({
  metadata: { name, labels: { app: 'smoke' } },
  spec: { containers: [{ name: 'main', image: 'example.invalid/none:1' }] },
});

describe('test cluster', () => {
  let info: TestClusterInfo;
  let admin: CoreV1Api;
  let adminKc: KubeConfig;
  let namespace: string;

  beforeAll(async () => {
    info = sharedCluster();
    adminKc = kubeConfigFor(info, 'admin');
    admin = adminKc.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(adminKc, 'smoke');
  });

  it('should create, update and delete a Pod that stays Pending', async () => {
    const name = uniqueName('pod');
    const created = await admin.createNamespacedPod({ namespace, body: pod(name) });
    expect(created.status?.phase).toBe('Pending');
    created.metadata!.labels = { app: 'smoke', step: 'updated' };
    const updated = await admin.replaceNamespacedPod({ name, namespace, body: created });
    expect(updated.metadata?.labels?.step).toBe('updated');
    await admin.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
    expect(await statusOf(admin.readNamespacedPod({ name, namespace }))).toBe(404);
  });

  it('should create, update and delete a Node', async () => {
    const name = uniqueName('node');
    const body: V1Node = { metadata: { name, labels: { role: 'smoke' } } };
    const created = await admin.createNode({ body });
    created.metadata!.labels = { role: 'updated' };
    const updated = await admin.replaceNode({ name, body: created });
    expect(updated.metadata?.labels?.role).toBe('updated');
    await admin.deleteNode({ name });
    expect(await statusOf(admin.readNode({ name }))).toBe(404);
  });

  it('should create and update a Namespace, whose deletion stays Terminating', async () => {
    const name = uniqueName('ns');
    const created = await admin.createNamespace({ body: { metadata: { name } } });
    created.metadata!.labels = { step: 'updated' };
    const updated: V1Namespace = await admin.replaceNamespace({ name, body: created });
    expect(updated.metadata?.labels?.step).toBe('updated');
    await admin.deleteNamespace({ name });
    const deleted = await admin.readNamespace({ name });
    expect(deleted.status?.phase).toBe('Terminating');
  });

  it('should let the restricted user read pods and namespaces but not nodes', async () => {
    const restricted = kubeConfigFor(info, 'restricted').makeApiClient(CoreV1Api);
    expect(await statusOf(restricted.listNamespacedPod({ namespace }))).toBe(200);
    expect(await statusOf(restricted.listNamespace())).toBe(200);
    expect(await statusOf(restricted.listNode())).toBe(403);
    expect(await statusOf(restricted.createNamespace({ body: { metadata: { name: 'x' } } }))).toBe(
      403,
    );
  });

  it('should show a Pod being added, modified and deleted to a watch', async () => {
    const name = uniqueName('watched');
    const list = await admin.listNamespacedPod({ namespace });
    const seen = watchUntil(
      adminKc,
      `/api/v1/namespaces/${namespace}/pods`,
      { resourceVersion: list.metadata!.resourceVersion!, allowWatchBookmarks: true },
      (events) => events.some((e) => e.type === 'DELETED'),
    );
    const created = await admin.createNamespacedPod({ namespace, body: pod(name) });
    created.metadata!.labels = { app: 'smoke', step: 'updated' };
    await admin.replaceNamespacedPod({ name, namespace, body: created });
    await admin.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
    const events = (await seen).filter((e) => e.type !== 'BOOKMARK');
    // Deleting adds a MODIFIED event (deletionTimestamp) before DELETED.
    expect(events[0]?.type).toBe('ADDED');
    expect(events.at(-1)?.type).toBe('DELETED');
    const modified = events.filter((e) => e.type === 'MODIFIED');
    expect(modified.map((e) => (e.object as V1Pod).metadata?.labels?.step)).toContain('updated');
  });

  it('should stream initial events and end them with a bookmark (sendInitialEvents)', async () => {
    await admin.createNamespacedPod({ namespace, body: pod(uniqueName('initial')) });
    const events = await watchUntil(
      adminKc,
      `/api/v1/namespaces/${namespace}/pods`,
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (seen) => seen.some((e) => e.type === 'BOOKMARK'),
    );
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.object.metadata?.annotations?.['k8s.io/initial-events-end']).toBe('true');
    expect(events[0]?.type).toBe('ADDED');
  });
});

describe('startTestCluster', () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startTestCluster({ watchCache: false });
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('should keep objects, port and credentials across a restart over the same data dir', async () => {
    const kc = kubeConfigFor(cluster, 'admin');
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'restart');
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name: 'kept' }, data: { answer: '42' } },
    });
    const { port, server, dataDir } = cluster;
    await cluster.restart();
    expect([cluster.port, cluster.server, cluster.dataDir]).toEqual([port, server, dataDir]);
    const kept = await core.readNamespacedConfigMap({ name: 'kept', namespace });
    expect(kept.data).toEqual({ answer: '42' });
  }, 180_000);

  it('should answer 410 Gone to a watch from before a compaction', async () => {
    const kc = kubeConfigFor(cluster, 'admin');
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = await createTestNamespace(kc, 'compact');
    const old = (await core.listNamespacedConfigMap({ namespace })).metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'newer' } } });
    await cluster.compact();
    const events = await watchUntil(
      kc,
      `/api/v1/namespaces/${namespace}/configmaps`,
      { resourceVersion: old },
      (seen) => seen.some((e) => e.type === 'ERROR'),
    );
    expect(events.find((e) => e.type === 'ERROR')?.object.code).toBe(410);
  }, 30_000);
});

describe('startTcpProxy in front of the API server', () => {
  let info: TestClusterInfo;
  let proxy: TcpProxy;
  let core: CoreV1Api;

  beforeEach(async () => {
    info = sharedCluster();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: info.port });
    core = kubeConfigViaProxy(info, 'admin', proxy).makeApiClient(CoreV1Api);
  });

  afterEach(async () => {
    await proxy.close();
  });

  it('should end an open watch when every connection is cut', async () => {
    const kc = kubeConfigViaProxy(info, 'admin', proxy);
    const namespace = await createTestNamespace(kc, 'cut');
    let ended!: (err: unknown) => void;
    const done = new Promise((resolve) => (ended = resolve));
    const established = new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        {
          sendInitialEvents: true,
          resourceVersionMatch: 'NotOlderThan',
          allowWatchBookmarks: true,
        },
        (type) => type === 'BOOKMARK' && resolve(),
        (err) => ended(err),
      );
    });
    await established;
    expect(proxy.openConnections()).toBeGreaterThan(0);
    proxy.cutAll();
    await done;
    expect(proxy.openConnections()).toBe(0);
    expect(await statusOf(core.listNamespace())).toBe(200);
  });

  it('should hold a request while stalled and complete it on resume', async () => {
    expect(await statusOf(core.listNamespace())).toBe(200);
    proxy.stall();
    let settled = false;
    const request = core.listNamespace().finally(() => (settled = true));
    // A negative assertion needs some time to pass: far longer than an unstalled list takes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    proxy.resume();
    expect((await request).items.length).toBeGreaterThan(0);
  });

  it('should refuse new connections until accept', async () => {
    proxy.cutAll();
    await proxy.refuse();
    const refused = await core.listNamespace().catch((err: unknown) => err);
    expect(String((refused as Error).cause ?? refused)).toMatch(/ECONNREFUSED/);
    await proxy.accept();
    expect(await statusOf(core.listNamespace())).toBe(200);
  });
});
