import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { configMapBookmarkStore, TattlerError } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';

describe('configMapBookmarkStore', () => {
  let admin: KubeConfig;
  let core: CoreV1Api;
  let namespace: string;
  let counter = 0;
  const nextName = (): string => `bookmarks-${(counter += 1)}`;

  beforeAll(async () => {
    admin = kubeConfigFor(sharedCluster(), 'admin');
    core = admin.makeApiClient(CoreV1Api);
    namespace = await createTestNamespace(admin, 'bookmarks');
  });

  it('should answer undefined while the ConfigMap does not exist', async () => {
    const store = configMapBookmarkStore(admin, { namespace, name: nextName() });
    await expect(store.load('pods')).resolves.toBeUndefined();
  });

  it('should create the ConfigMap on the first save, labelled as managed by tattler', async () => {
    const name = nextName();
    await configMapBookmarkStore(admin, { namespace, name }).save('pods', '100');

    const configMap = await core.readNamespacedConfigMap({ namespace, name });
    expect(configMap.data).toEqual({ pods: '100' });
    expect(configMap.metadata?.labels).toEqual({ 'app.kubernetes.io/managed-by': 'tattler' });
  });

  it('should read back bookmarks from a new store, as after a restart', async () => {
    const name = nextName();
    const before = configMapBookmarkStore(admin, { namespace, name });
    await before.save('pods', '1');
    await before.save('deployments.apps_ns-web', '2');
    await before.save('pods', '3');

    const after = configMapBookmarkStore(admin, { namespace, name });
    await expect(after.load('pods')).resolves.toBe('3');
    await expect(after.load('deployments.apps_ns-web')).resolves.toBe('2');
    await expect(after.load('nodes')).resolves.toBeUndefined();
  });

  it('should keep data it did not write', async () => {
    const name = nextName();
    await core.createNamespacedConfigMap({
      namespace,
      body: { metadata: { name }, data: { 'other-key': 'kept' } },
    });
    await configMapBookmarkStore(admin, { namespace, name }).save('pods', '7');

    const configMap = await core.readNamespacedConfigMap({ namespace, name });
    expect(configMap.data).toEqual({ 'other-key': 'kept', pods: '7' });
  });

  it('should keep the last value of every key under concurrent saves', async () => {
    const name = nextName();
    const store = configMapBookmarkStore(admin, { namespace, name });
    const saves = [];
    for (let version = 1; version <= 20; version += 1) {
      for (const key of ['pods', 'nodes', 'services']) saves.push(store.save(key, `${version}`));
    }
    await Promise.all(saves);

    const configMap = await core.readNamespacedConfigMap({ namespace, name });
    expect(configMap.data).toEqual({ nodes: '20', pods: '20', services: '20' });
  });

  it('should lose no bookmark when two writers race on create and update (409s)', async () => {
    const name = nextName();
    const writers = [0, 1, 2].map(() =>
      configMapBookmarkStore(admin, { namespace, name, maxAttempts: 20 }),
    );
    await Promise.all(
      writers.flatMap((store, writer) =>
        Array.from({ length: 5 }, (_, round) => store.save(`w${writer}-k${round}`, `${round}`)),
      ),
    );

    const configMap = await core.readNamespacedConfigMap({ namespace, name });
    expect(Object.keys(configMap.data ?? {}).sort()).toEqual(
      [0, 1, 2].flatMap((writer) => [0, 1, 2, 3, 4].map((round) => `w${writer}-k${round}`)).sort(),
    );
  });

  it('should reject with an AccessDeniedError naming the user, the verb and the verbs it needs', async () => {
    const restricted = kubeConfigFor(sharedCluster(), 'restricted');
    const name = nextName();
    const store = configMapBookmarkStore(restricted, { namespace, name });

    const saved = await store.save('pods', '1').catch((error: unknown) => error);
    expect(saved).toBeInstanceOf(TattlerError);
    expect(saved).toMatchObject({ _tag: 'AccessDeniedError' });
    expect((saved as Error).message).toMatch(
      new RegExp(
        `^user "restricted" may not get configmaps in namespace "${namespace}", so cannot read ` +
          `the bookmarks in ConfigMap ${namespace}/${name}: the API server answered 403 ` +
          'Forbidden \\(configmaps "[^"]+" is forbidden: User "restricted" cannot get .*\\)\\. ' +
          `Grant the user get, create and update on configmaps in namespace "${namespace}" ` +
          'with RBAC',
      ),
    );
    await expect(store.load('pods')).rejects.toMatchObject({ _tag: 'AccessDeniedError' });
  });

  it('should tell rejected credentials (401) from a missing permission', async () => {
    const info = sharedCluster();
    const stranger = kubeConfigFor({ ...info, tokens: { ...info.tokens, admin: 'bad' } }, 'admin');
    const store = configMapBookmarkStore(stranger, { namespace, name: nextName() });

    await expect(store.load('pods')).rejects.toMatchObject({
      _tag: 'AccessDeniedError',
      message: expect.stringMatching(
        /^could not authenticate as kubeconfig user "admin" to read the bookmarks in .*: the API server answered 401 Unauthorized \(credentials rejected\)\. Refresh the credentials of kubeconfig user "admin"/,
      ) as unknown,
    });
  });

  it('should reject with a ReaderError when the namespace does not exist', async () => {
    const store = configMapBookmarkStore(admin, { namespace: 'no-such-ns-x1', name: 'b' });
    await expect(store.save('pods', '1')).rejects.toMatchObject({
      _tag: 'ReaderError',
      message: expect.stringContaining('is there a namespace "no-such-ns-x1"?') as unknown,
    });
  });
});
