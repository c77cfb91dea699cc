import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { BUILT_IN_RESOURCES, readCluster } from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import { definition, inDiscovery } from '../../support/custom-resources.js';
import { record, type Recording } from './harness.js';

describe('readCluster kinds', () => {
  let kc: KubeConfig;
  let recording: Recording | undefined;

  beforeAll(() => {
    kc = kubeConfigFor(sharedCluster(), 'admin');
  }, 120_000);

  afterEach(() => recording?.stop());

  it('should sync every built-in kind and deliver objects of the apps group', async () => {
    const namespace = await createTestNamespace(kc, 'kinds');
    recording = record(
      readCluster(kc, {
        kinds: BUILT_IN_RESOURCES.map((spec) => ({
          resource: spec,
          namespaces: spec.namespaced ? [namespace] : undefined,
        })),
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'every kind synced');
    const state = r.syncs.at(-1);
    expect(Object.values(state?.kinds ?? {}).every(Boolean)).toBe(true);
    expect(Object.keys(state?.kinds ?? {}).sort()).toEqual(
      [...new Set(BUILT_IN_RESOURCES.map((spec) => spec.kind))].sort(),
    );
    expect(r.events.some((e) => e.type === 'failed')).toBe(false);

    await kc.makeApiClient(AppsV1Api).createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'web' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1' }] },
          },
        },
      },
    });
    await r.waitFor(() => r.entries.some((e) => e.kind === 'Deployment'), 'the Deployment');
    expect(r.entries.find((e) => e.kind === 'Deployment')?.object).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
    });
  }, 120_000);

  it('should read Secrets as metadata only unless told otherwise', async () => {
    const namespace = await createTestNamespace(kc, 'secrets');
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace,
      body: { metadata: { name: 'db' }, stringData: { password: 'hunter2' } },
    });
    const selection = { resource: 'Secret', namespaces: [namespace] };
    recording = record(readCluster(kc, { kinds: [selection] }));
    const r = recording;
    await r.waitFor(() => r.entries.some((e) => e.name === 'db'), 'secret db');
    expect(r.entries.find((e) => e.name === 'db')?.object).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: expect.objectContaining({ name: 'db', namespace }),
    });
    await core.patchNamespacedSecret({
      namespace,
      name: 'db',
      body: [{ op: 'add', path: '/stringData', value: { password: 'hunter3' } }],
    });
    await r.waitFor(() => r.entries.some((e) => e.change === 'modified'), 'the modification');
    const secretValues = [btoa('hunter2'), btoa('hunter3'), 'hunter'];
    const seen = JSON.stringify(r.entries.map((e) => e.object));
    expect(secretValues.filter((value) => seen.includes(value))).toEqual([]);
    r.stop();

    const full = record(readCluster(kc, { kinds: [{ ...selection, metadataOnly: false }] }));
    recording = full;
    await full.waitFor(() => full.entries.some((e) => e.name === 'db'), 'the full secret');
    expect(full.entries.find((e) => e.name === 'db')?.object).toMatchObject({
      type: 'Opaque',
      data: { password: btoa('hunter3') },
    });
  }, 120_000);

  it('should read a custom resource named by group/version/resource', async () => {
    const group = `readers-${randomBytes(4).toString('hex')}.example.com`;
    await createDefinition(kc, group);
    const namespace = await createTestNamespace(kc, 'gadgets');
    recording = record(
      readCluster(kc, { kinds: [{ resource: `${group}/v1/gadgets`, namespaces: [namespace] }] }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');
    await createGadget(kc, group, namespace, 'g1');
    await r.waitFor(() => r.entries.some((e) => e.name === 'g1'), 'gadget g1');
    expect(r.entries[0]).toMatchObject({ kind: 'GadgetThing', change: 'added', namespace });
    expect(r.syncs.at(-1)?.kinds).toEqual({ [`${group}/v1/gadgets`]: true });
  }, 120_000);

  it('should retry a custom resource that is briefly not served after it was read', async () => {
    const group = `readers-${randomBytes(4).toString('hex')}.example.com`;
    await createDefinition(kc, group);
    const namespace = await createTestNamespace(kc, 'gadgets-gone');
    const resource = `${group}/v1/gadgets`;
    recording = record(
      readCluster(kc, {
        kinds: [{ resource, namespaces: [namespace] }],
        backoff: { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 },
      }),
    );
    const r = recording;
    await r.waitFor(() => r.syncs.some((s) => s.all), 'synced');

    await kc
      .makeApiClient(ApiextensionsV1Api)
      .deleteCustomResourceDefinition({ name: `gadgets.${group}` });
    const notFound = (): boolean =>
      r.events.some(
        (e) => e.type === 'retry' && (e.error.cause as { status?: number }).status === 404,
      );
    await r.waitFor(
      () => notFound() || r.events.some((e) => e.type === 'failed'),
      'a 404 once the definition is gone',
    );
    expect(r.events.filter((e) => e.type === 'failed')).toEqual([]);

    await createDefinition(kc, group);
    await createGadget(kc, group, namespace, 'after');
    await r.waitFor(
      () => r.entries.some((e) => e.name === 'after') || r.events.some((e) => e.type === 'failed'),
      'the gadget created once the definition is back',
    );
    expect(r.events.filter((e) => e.type === 'failed')).toEqual([]);
    expect(r.syncs.at(-1)?.kinds).toEqual({ [resource]: true });
  }, 120_000);

  it('should name a 404 without a Status body by its reason phrase', async () => {
    // A spec written by hand is not looked up, so the list meets the server's plain-text
    // "404 page not found", over HTTP/2, which has no status line to take a phrase from.
    const resource = {
      group: `absent-${randomBytes(4).toString('hex')}.example.com`,
      version: 'v1',
      plural: 'widgets',
      kind: 'Widget',
      namespaced: true,
    };
    recording = record(readCluster(kc, { kinds: [{ resource }] }));
    const r = recording;
    await r.waitFor(() => r.events.some((e) => e.type === 'failed'), 'the failure');
    const failure = r.events.find((e) => e.type === 'failed');
    expect(failure?.error.message).toContain('the API server answered 404 Not Found. Check');
  }, 120_000);
});

/** Creates the CustomResourceDefinition of `gadgets` in `group`; resolves once it is served. */
async function createDefinition(kc: KubeConfig, group: string): Promise<void> {
  const crdName = `gadgets.${group}`;
  const crds = record(
    readCluster(kc, {
      kinds: [
        {
          resource: 'apiextensions.k8s.io/v1/customresourcedefinitions',
          fieldSelector: `metadata.name=${crdName}`,
        },
      ],
    }),
  );
  try {
    await crds.waitFor(() => crds.syncs.some((s) => s.all), 'the definitions to be read');
    const body = definition(group, { plural: 'gadgets', kind: 'GadgetThing' });
    await kc.makeApiClient(ApiextensionsV1Api).createCustomResourceDefinition({ body });
    await crds.waitFor(
      () =>
        crds.entries.some(
          (e) =>
            e.change !== 'deleted' &&
            (
              (e.object as { status?: { conditions?: Array<{ type: string; status: string }> } })
                .status?.conditions ?? []
            ).some((c) => c.type === 'Established' && c.status === 'True'),
        ),
      'the CRD to be established',
    );
    await inDiscovery(kc, body);
  } finally {
    crds.stop();
  }
}

async function createGadget(
  kc: KubeConfig,
  group: string,
  namespace: string,
  name: string,
): Promise<void> {
  await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group,
    version: 'v1',
    namespace,
    plural: 'gadgets',
    body: { apiVersion: `${group}/v1`, kind: 'GadgetThing', metadata: { name } },
  });
}
