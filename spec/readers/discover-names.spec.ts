import { either as E } from 'fp-ts';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { discoverResource, discoverResources, readCluster } from '../../lib/index.js';
import { startFakeApiServer, type FakeApiServer } from '../support/fake-apiserver.js';

/** One resource of an aggregated discovery document. */
function served(resource: string, kind: string, shortNames: string[] = []): object {
  return {
    resource,
    responseKind: { group: '', version: '', kind },
    scope: 'Namespaced',
    singularResource: kind.toLowerCase(),
    verbs: ['get', 'list', 'watch'],
    shortNames,
  };
}

const CORE = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: {},
      versions: [
        { version: 'v1', resources: [served('serviceaccounts', 'ServiceAccount', ['sa'])] },
      ],
    },
  ],
};

const GROUPS = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  items: [
    {
      metadata: { name: 'example.com' },
      versions: [
        { version: 'v2', resources: [served('widgets', 'Widget', ['wd'])] },
        { version: 'v1', resources: [served('widgets', 'Widget', ['wd'])] },
      ],
    },
  ],
};

/** A server with aggregated discovery, empty lists and watches that stay open. */
function discoveryServer(): Promise<FakeApiServer> {
  return startFakeApiServer((request) => {
    if (request.path === '/api') return { body: CORE };
    if (request.path === '/apis') return { body: GROUPS };
    if (request.verb === 'watch') return { lines: [], hold: true };
    return { body: { kind: 'List', metadata: { resourceVersion: '1' }, items: [] } };
  });
}

const discoveries = (server: FakeApiServer): string[] =>
  server.requests
    .map((request) => request.path)
    .filter((path) => path === '/api' || path === '/apis');

describe('finding kinds by a bare name', () => {
  let server: FakeApiServer;

  beforeEach(async () => {
    server = await discoveryServer();
  });

  afterEach(() => server.close());

  it('should ask for discovery once per reader start, whatever the number of kinds', async () => {
    const reader = readCluster(server.kubeConfig, {
      kinds: [
        { resource: 'sa' },
        { resource: 'wd' },
        { resource: 'Widget', namespaces: ['a', 'b'] },
        { resource: 'serviceaccounts', namespaces: ['c'] },
      ],
      initialList: 'paginated',
    });

    // Five targets: Widget reads two namespaces.
    const start = (): Promise<unknown> =>
      firstValueFrom(
        reader.events$.pipe(
          filter((e) => e.type === 'synced'),
          take(5),
          toArray(),
        ),
      );
    const synced = firstValueFrom(reader.synced$.pipe(filter((state) => state.all)));
    await start();
    expect((await synced).kinds).toEqual({
      sa: true,
      wd: true,
      Widget: true,
      serviceaccounts: true,
    });
    expect(discoveries(server).sort()).toEqual(['/api', '/apis']);
    const lists = server.requests
      .filter((r) => r.verb === 'list' && !['/api', '/apis'].includes(r.path))
      .map((r) => r.path);
    expect(lists.sort()).toEqual([
      '/api/v1/namespaces/c/serviceaccounts',
      '/api/v1/serviceaccounts',
      '/apis/example.com/v2/namespaces/a/widgets',
      '/apis/example.com/v2/namespaces/b/widgets',
      '/apis/example.com/v2/widgets',
    ]);

    // A new start asks again: the kinds a server serves change over time.
    await start();
    expect(discoveries(server).sort()).toEqual(['/api', '/api', '/apis', '/apis']);
  });

  it('should answer several names from one set of requests', async () => {
    const results = await discoverResources(server.kubeConfig, ['sa', 'Widget', 'widgets', 'nope']);

    expect(
      results.map((result) => (E.isRight(result) ? result.right.plural : result.left._tag)),
    ).toEqual(['serviceaccounts', 'widgets', 'widgets', 'ConfigError']);
    expect(discoveries(server).sort()).toEqual(['/api', '/apis']);
  });

  it('should say so when the server has no aggregated discovery', async () => {
    const old = await startFakeApiServer((request) =>
      request.path === '/api'
        ? { body: { kind: 'APIVersions', versions: ['v1'] } }
        : { body: { kind: 'APIGroupList', groups: [] } },
    );
    try {
      const result = await discoverResource(old.kubeConfig, 'wd');
      expect(E.isLeft(result) && result.left._tag).toBe('ConfigError');
      expect(E.isLeft(result) && result.left.message).toBe(
        'cannot look up "wd": the API server does not offer aggregated discovery (Kubernetes ' +
          '1.27 and later do), so it cannot be searched by kind, plural or short name. Write ' +
          'it as group/version/resource, such as example.com/v1/widgets',
      );
    } finally {
      await old.close();
    }
  });
});
