import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { lastValueFrom, toArray } from 'rxjs';
import { readCluster, type ReaderEvent, type TattlerError } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { podManifest, record, type Recording } from './harness.js';

const failures = (events: readonly ReaderEvent[]): TattlerError[] =>
  events.flatMap((event) => (event.type === 'failed' ? [event.error] : []));

describe('readCluster access errors', () => {
  let recording: Recording | undefined;

  afterEach(() => recording?.stop());

  it('should stop only the kinds the user may not read, with an AccessDeniedError', async () => {
    const admin = kubeConfigFor(sharedCluster(), 'admin');
    const namespace = await createTestNamespace(admin, 'access');
    const restricted = kubeConfigFor(sharedCluster(), 'restricted');
    recording = record(
      readCluster(restricted, {
        kinds: [
          { resource: 'Pod', namespaces: [namespace] },
          { resource: 'ConfigMap', namespaces: [namespace] },
          { resource: 'Node' },
        ],
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'every kind settled');
    expect(r.syncs.at(-1)).toEqual({
      kinds: { Pod: true, ConfigMap: false, Node: false },
      all: true,
    });

    const errors = failures(r.events);
    expect(errors.map((error) => error._tag)).toEqual(['AccessDeniedError', 'AccessDeniedError']);
    const configMaps = errors.find((error) => error.ref?.kind === 'ConfigMap');
    expect(configMaps?.ref).toEqual({ kind: 'ConfigMap', namespace });
    expect(configMaps?.message).toContain('user "restricted"');
    expect(configMaps?.message).toContain('v1/configmaps');
    expect(configMaps?.message).toContain(`namespace "${namespace}"`);
    expect(configMaps?.message).toMatch(/may not (list|watch)/);
    expect(errors.find((error) => error.ref?.kind === 'Node')?.message).toContain(
      'in all namespaces',
    );

    await admin
      .makeApiClient(CoreV1Api)
      .createNamespacedPod({ namespace, body: podManifest('still-flowing') });
    await r.waitFor(
      () => r.entries.some((e) => e.name === 'still-flowing'),
      'pods to keep flowing',
    );
  }, 120_000);

  it('should turn a kind that is denied after syncing back to not synced', async () => {
    const admin = kubeConfigFor(sharedCluster(), 'admin');
    const namespace = await createTestNamespace(admin, 'revoked');
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'read-configmaps' },
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'read-configmaps' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-configmaps' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'restricted' }],
      },
    });
    const restricted = kubeConfigFor(sharedCluster(), 'restricted');
    recording = record(
      readCluster(restricted, {
        kinds: [
          { resource: 'Pod', namespaces: [namespace] },
          { resource: 'ConfigMap', namespaces: [namespace] },
        ],
        // Short watches, so the reader asks again soon after the grant is gone.
        watchTimeoutSeconds: 1,
      }),
    );
    const r = recording;
    await r.waitFor(
      () => r.syncs.some((s) => s.kinds['ConfigMap'] === true && s.kinds['Pod'] === true),
      'both kinds synced',
    );
    expect(failures(r.events)).toEqual([]);

    await rbac.deleteNamespacedRoleBinding({ namespace, name: 'read-configmaps' });
    await r.waitFor(() => failures(r.events).length > 0, 'the ConfigMap watch to be denied');
    expect(failures(r.events).map((error) => [error._tag, error.ref?.kind])).toEqual([
      ['AccessDeniedError', 'ConfigMap'],
    ]);
    expect(r.syncs.at(-1)).toEqual({ kinds: { Pod: true, ConfigMap: false }, all: true });
  }, 120_000);

  it('should complete the entries when every kind is denied, without erroring', async () => {
    const info = sharedCluster();
    const stranger = kubeConfigFor(
      { ...info, tokens: { ...info.tokens, admin: 'wrong' } },
      'admin',
    );
    expect(stranger).toBeInstanceOf(KubeConfig);
    const reader = readCluster(stranger, { kinds: [{ resource: 'Pod' }, { resource: 'Node' }] });
    const events = lastValueFrom(reader.events$.pipe(toArray()));
    await expect(lastValueFrom(reader.entries$.pipe(toArray()))).resolves.toEqual([]);
    const seen = await events;
    expect(failures(seen).map((error) => error._tag)).toEqual([
      'AccessDeniedError',
      'AccessDeniedError',
    ]);
    const message = failures(seen)[0]?.message ?? '';
    expect(message).toContain('401 Unauthorized');
    expect(message).toContain('could not authenticate as kubeconfig user "admin"');
    expect(message).toContain('credentials rejected');
    expect(message).toContain('Refresh the credentials');
    expect(message).not.toContain('may not');
  }, 120_000);

  it('should name the user the server authenticated, besides the kubeconfig entry', async () => {
    const info = sharedCluster();
    const namespace = await createTestNamespace(kubeConfigFor(info, 'admin'), 'access-name');
    // An in-cluster kubeconfig names its user "inClusterUser", whoever the token belongs to.
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: kubeConfigFor(info, 'restricted').clusters,
      users: [{ name: 'inClusterUser', token: info.tokens.restricted }],
      contexts: [{ name: 'x', cluster: 'tattler-test', user: 'inClusterUser' }],
      currentContext: 'x',
    });
    recording = record(
      readCluster(kc, { kinds: [{ resource: 'ConfigMap', namespaces: [namespace] }] }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'the kind to settle');
    const message = failures(r.events)[0]?.message ?? '';
    expect(message).toContain('user "restricted" (kubeconfig user "inClusterUser") may not ');
    expect(message).toMatch(/may not (list|watch) v1\/configmaps \(ConfigMap\) in namespace/);
    expect(message).toContain(`in namespace "${namespace}"`);
    expect(message).toContain('403 Forbidden');
    expect(message).toContain('RBAC');
  }, 120_000);
});
