import { jest } from '@jest/globals';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  HttpMethod,
  RequestContext,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { either as E } from 'fp-ts';
import { fetch, type Dispatcher } from 'undici';
import {
  BUILT_IN_RESOURCES,
  discoverResource,
  readCluster,
  resourceFor,
  resourcePath,
  type ResourceSpec,
} from '../../../lib/index.js';
import { createTestNamespace, kubeConfigFor, sharedCluster } from '../../support/cluster.js';
import {
  createDefinitions,
  definition as crd,
  deleteDefinitions,
  established,
  inDiscovery,
} from '../../support/custom-resources.js';
import { kubeConfigViaProxy, startTcpProxy } from '../../support/tcp-proxy.js';
import { record } from './harness.js';

// Each test asks discovery and lists many kinds one after another: slow on a busy machine.
jest.setTimeout(120_000);

const group = `tattler-${randomBytes(4).toString('hex')}.example.com`;

function definition(
  plural: string,
  kind: string,
  scope: 'Namespaced' | 'Cluster',
): V1CustomResourceDefinition {
  return {
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope,
      names: { plural, kind, singular: kind.toLowerCase() },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true },
          },
        },
      ],
    },
  };
}

/** GETs a path as the kube config's user and answers the status and the parsed body. */
async function get(kc: KubeConfig, path: string): Promise<{ status: number; body: unknown }> {
  const url = `${kc.getCurrentCluster()?.server}${path}`;
  const context = new RequestContext(url, HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  const response = await fetch(url, {
    headers: context.getHeaders(),
    dispatcher: context.getDispatcher() as Dispatcher | undefined,
  });
  return { status: response.status, body: await response.json() };
}

function right<T>(result: E.Either<Error, T>): T {
  if (E.isLeft(result)) throw result.left;
  return result.right;
}

describe('discoverResource', () => {
  let admin: KubeConfig;

  beforeAll(async () => {
    admin = kubeConfigFor(sharedCluster(), 'admin');
    const api = admin.makeApiClient(ApiextensionsV1Api);
    const crds = [
      definition('backupplans', 'BackupPlan', 'Namespaced'),
      definition('gadgets', 'Gadget', 'Cluster'),
    ];
    await Promise.all(
      crds.map(async (body) => {
        const ready = established(admin, body.metadata?.name ?? '');
        await api.createCustomResourceDefinition({ body });
        await ready;
        await inDiscovery(admin, body);
      }),
    );
  });

  afterAll(async () => {
    const api = admin.makeApiClient(ApiextensionsV1Api);
    await Promise.all(
      ['backupplans', 'gadgets'].map((plural) =>
        api.deleteCustomResourceDefinition({ name: `${plural}.${group}` }),
      ),
    );
  });

  it('should learn the kind and scope of a namespaced custom resource', async () => {
    const name = `${group}/v1/backupplans`;
    expect(right(resourceFor(name))).toMatchObject({ kind: 'Backupplan', guessed: true });

    const spec = right(await discoverResource(admin, name));
    expect(spec).toEqual({
      group,
      version: 'v1',
      plural: 'backupplans',
      kind: 'BackupPlan',
      namespaced: true,
    });
  });

  it('should learn that a custom resource is cluster-scoped', async () => {
    const spec = right(await discoverResource(admin, `${group}/v1/gadgets`));
    expect(spec).toMatchObject({ kind: 'Gadget', namespaced: false });
    expect(resourcePath(spec, 'ignored')).toBe(`/apis/${group}/v1/gadgets`);
  });

  it('should give paths that list the custom objects created', async () => {
    const spec = right(await discoverResource(admin, `${group}/v1/backupplans`));
    const namespace = await createTestNamespace(admin, 'discovery');
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group,
      version: 'v1',
      namespace,
      plural: 'backupplans',
      body: { apiVersion: `${group}/v1`, kind: 'BackupPlan', metadata: { name: 'nightly' } },
    });

    const listed = await get(admin, resourcePath(spec, namespace));
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      kind: 'BackupPlanList',
      items: [{ kind: spec.kind, metadata: { name: 'nightly', namespace } }],
    });
  });

  it('should agree with the catalogue on every built-in kind, and its paths should list', async () => {
    for (const resource of BUILT_IN_RESOURCES) {
      const spec: ResourceSpec = right(await discoverResource(admin, resource.kind));
      expect(spec).toMatchObject({ kind: resource.kind, namespaced: resource.namespaced });
      expect(spec.defaultMetadataOnly === true).toBe(resource.defaultMetadataOnly);

      for (const path of [resourcePath(spec), resourcePath(spec, 'default')]) {
        const listed = await get(admin, `${path}?limit=1`);
        expect({ path, status: listed.status }).toEqual({ path, status: 200 });
        expect(listed.body).toMatchObject({ kind: `${resource.kind}List` });
      }
    }
  });

  it('should answer a ConfigError when the group/version is not served', async () => {
    const result = await discoverResource(admin, 'nothing-here.example.com/v1/widgets');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain('CustomResourceDefinition');
  });

  it('should answer a ConfigError listing what the group serves for a mistyped resource', async () => {
    const result = await discoverResource(admin, 'apps/v1/deploymnts');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain('deployments, ');
  });

  it('should answer a ConfigError for a resource that cannot be listed and watched', async () => {
    const result = await discoverResource(admin, 'v1/bindings');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain('list and watch');
  });

  it('should work for a user who may only read pods, as discovery is open to all users', async () => {
    const restricted = kubeConfigFor(sharedCluster(), 'restricted');
    const spec = right(await discoverResource(restricted, `${group}/v1/gadgets`));
    expect(spec.kind).toBe('Gadget');
  });

  it('should answer an AccessDeniedError for a user the server does not know', async () => {
    const info = sharedCluster();
    const stranger = kubeConfigFor({ ...info, tokens: { ...info.tokens, admin: 'bad' } }, 'admin');
    const result = await discoverResource(stranger, 'pods');
    expect(E.isLeft(result) && result.left._tag).toBe('AccessDeniedError');
  });

  it('should let a reader retry discovery while the API server cannot be reached', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: sharedCluster().port });
    const namespace = await createTestNamespace(admin, 'discovery-retry');
    const resource = `${group}/v1/backupplans`;
    await proxy.refuse();
    const r = record(
      readCluster(kubeConfigViaProxy(sharedCluster(), 'admin', proxy), {
        kinds: [{ resource, namespaces: [namespace] }],
        backoff: { initialDelayMs: 50, maxDelayMs: 400, factor: 2, jitter: 0.5 },
      }),
    );
    try {
      await r.waitFor(
        () => r.events.some((e) => e.type === 'retry' || e.type === 'failed'),
        'the failed lookup',
      );
      expect(r.events.filter((e) => e.type === 'failed')).toEqual([]);
      expect(r.events.find((e) => e.type === 'retry')).toMatchObject({
        attempt: 1,
        error: { _tag: 'ReaderError' },
      });

      await proxy.accept();
      await r.waitFor(() => r.syncs.some((s) => s.all), 'synced once the server is reachable');
      expect(r.syncs.at(-1)?.kinds).toEqual({ [resource]: true });
      await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group,
        version: 'v1',
        namespace,
        plural: 'backupplans',
        body: { apiVersion: `${group}/v1`, kind: 'BackupPlan', metadata: { name: 'hourly' } },
      });
      await r.waitFor(() => r.entries.some((e) => e.name === 'hourly'), 'backup plan hourly');
      expect(r.entries.at(-1)).toMatchObject({ kind: 'BackupPlan', change: 'added' });
    } finally {
      r.stop();
      await proxy.close();
    }
  });
});

describe('discoverResource by a bare name', () => {
  let admin: KubeConfig;
  // Two groups serve a Doohickey; the first group's Widget is served at v1beta1 and v1.
  const groups = [0, 1].map(() => `names-${randomBytes(4).toString('hex')}.example.com`).sort();
  const [first = '', second = ''] = groups;

  const definitions = [
    // A short name that is another resource's singular: the full name must win.
    crd(first, { plural: 'widgets', kind: 'Widget', shortNames: ['wd', 'serviceaccount'] }, [
      'v1beta1',
      'v1',
    ]),
    crd(first, { plural: 'doohickeys', kind: 'Doohickey' }),
    crd(second, { plural: 'doohickeys', kind: 'Doohickey' }),
  ];

  beforeAll(async () => {
    admin = kubeConfigFor(sharedCluster(), 'admin');
    await createDefinitions(admin, definitions);
  });

  afterAll(() => deleteDefinitions(admin, definitions));

  it('should find ServiceAccount by kind, plural, singular and short name, in any case', async () => {
    const names = ['ServiceAccount', 'serviceaccounts', 'serviceaccount', 'sa', 'SA', ' sa '];
    for (const name of names) {
      const spec = right(await discoverResource(admin, name));
      expect({ name, spec }).toEqual({
        name,
        spec: {
          group: '',
          version: 'v1',
          plural: 'serviceaccounts',
          kind: 'ServiceAccount',
          namespaced: true,
        },
      });
    }
  });

  it("should find a custom resource by kind, plural, singular and short name, at its group's preferred version", async () => {
    for (const name of ['Widget', 'widgets', 'widget', 'wd', 'WD']) {
      const spec = right(await discoverResource(admin, name));
      expect({ name, spec }).toEqual({
        name,
        spec: { group: first, version: 'v1', plural: 'widgets', kind: 'Widget', namespaced: true },
      });
    }
  });

  it("should prefer a resource's own name to another resource's short name", async () => {
    const spec = right(await discoverResource(admin, 'serviceaccount'));
    expect(spec).toMatchObject({ group: '', plural: 'serviceaccounts' });
  });

  it('should take the core group for a name it shares with another group, as kubectl does', async () => {
    for (const name of ['Event', 'events', 'ev']) {
      const spec = right(await discoverResource(admin, name));
      expect({ name, spec }).toEqual({
        name,
        spec: { group: '', version: 'v1', plural: 'events', kind: 'Event', namespaced: true },
      });
    }
  });

  it('should refuse a kind two groups serve, naming the group/version/resource of each', async () => {
    const result = await discoverResource(admin, 'doohickey');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toContain(
      `resource name "doohickey" is ambiguous: the API server serves ` +
        `${first}/v1/doohickeys (Doohickey), ${second}/v1/doohickeys (Doohickey); write the ` +
        'group/version/resource of the one to read',
    );
  });

  it("should name the closest kinds, the server's included, for a name nothing has", async () => {
    const result = await discoverResource(admin, 'Widgit');
    expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
    expect(E.isLeft(result) && result.left.message).toMatch(
      /^unknown resource "Widgit": .*; did you mean Widget\? /,
    );
  });

  it('should refuse a resource found by name that cannot be listed and watched', async () => {
    const result = await discoverResource(admin, 'TokenReview');
    expect(E.isLeft(result) && result.left.message).toContain(
      'authentication.k8s.io/v1/tokenreviews cannot be read',
    );
  });

  it('should read objects of kinds found by name, keyed by the names as written', async () => {
    const namespace = await createTestNamespace(admin, 'names');
    const r = record(
      readCluster(admin, {
        kinds: [
          { resource: 'ServiceAccount', namespaces: [namespace] },
          { resource: 'wd', namespaces: [namespace] },
        ],
      }),
    );
    try {
      await r.waitFor(() => r.syncs.some((s) => s.all), 'both kinds synced');
      expect(r.syncs.at(-1)?.kinds).toEqual({ ServiceAccount: true, wd: true });
      await admin.makeApiClient(CoreV1Api).createNamespacedServiceAccount({
        namespace,
        body: { metadata: { name: 'robot' } },
      });
      await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: first,
        version: 'v1',
        namespace,
        plural: 'widgets',
        body: { apiVersion: `${first}/v1`, kind: 'Widget', metadata: { name: 'sprocket' } },
      });
      await r.waitFor(() => r.entries.length >= 2, 'the service account and the widget');
      expect(r.entries.map(({ kind, name, change }) => ({ kind, name, change }))).toEqual(
        expect.arrayContaining([
          { kind: 'ServiceAccount', name: 'robot', change: 'added' },
          { kind: 'Widget', name: 'sprocket', change: 'added' },
        ]),
      );
      expect(r.events.filter((e) => e.type === 'failed')).toEqual([]);
    } finally {
      r.stop();
    }
  });

  it('should fail only the kind whose name the server does not know', async () => {
    const namespace = await createTestNamespace(admin, 'names-unknown');
    const r = record(
      readCluster(admin, {
        kinds: [
          { resource: 'Widgit', namespaces: [namespace] },
          { resource: 'sa', namespaces: [namespace] },
        ],
      }),
    );
    try {
      await r.waitFor(() => r.syncs.some((s) => s.all), 'both kinds settled');
      expect(r.syncs.at(-1)?.kinds).toEqual({ Widgit: false, sa: true });
      expect(r.events.filter((e) => e.type === 'failed')).toEqual([
        expect.objectContaining({
          target: { kind: 'Widgit', resource: 'Widgit', namespace: undefined },
          error: expect.objectContaining({ _tag: 'ConfigError' }) as unknown,
        }),
      ]);
    } finally {
      r.stop();
    }
  });
});
